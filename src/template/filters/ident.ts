// The `ident` filter: a name that compiles as an identifier in a target language (docs/templates.md, "Identifiers").
//
//   1. transliterate to ASCII (deunicode, as slugify does): `Straße` → `Strasse`
//   2. split into words like heck: on anything not a letter or digit, before an upper case letter that follows a
//      lower case one, and before the last capital of a run followed by a lower case letter
//      (`APIReference` → API Reference, `XMLHttpRequest` → XML Http Request, `3DModel` → 3D Model)
//   3. spell out a leading digit, one word per digit (`3DModel` → Three D Model), so every case and language starts
//      with a letter; no letters or digits at all gives the word `unnamed`
//   4. join in the case asked for: pascal, camel, snake, screaming_snake, kebab
//   5. escape a reserved word the language's own way: `r#type` (Rust; `self_` where raw names are refused),
//      `type_` (Python, TS/JS, Go, Java, GraphQL), `` `when` `` (Kotlin), `@class` (C#), `"order"` (SQL)
import { deunicodeChar } from '../engine/slug.js';

export const IDENT_LANGS = ['ts', 'js', 'python', 'rust', 'go', 'java', 'kotlin', 'csharp', 'sql', 'graphql'] as const;
export const IDENT_CASES = ['pascal', 'camel', 'snake', 'screaming_snake', 'kebab'] as const;
export type IdentLang = (typeof IDENT_LANGS)[number];
export type IdentCase = (typeof IDENT_CASES)[number];

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

// Each list is the language's reserved words that cannot be an identifier in some position (a type, a variable,
// a property or a parameter name), compared case-sensitively.
const JS_RESERVED = words(`break case catch class const continue debugger default delete do else enum export extends false finally for function
  if import in instanceof new null return super switch this throw true try typeof var void while with implements interface let package private
  protected public static yield await arguments eval undefined`);
const RESERVED: Record<IdentLang, ReadonlySet<string>> = {
  // TS also refuses its predefined type names as interface, class, enum and type alias names.
  ts: new Set([...JS_RESERVED, ...words('any unknown never number bigint boolean string symbol object')]),
  js: new Set(JS_RESERVED),
  python: new Set(words(`False None True and as assert async await break class continue def del elif else except finally for from global if import in
    is lambda nonlocal not or pass raise return try while with yield`)),
  rust: new Set(words(`as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self
    static struct super trait true type unsafe use where while async await dyn abstract become box do final macro override priv typeof unsized
    virtual yield try gen union`)),
  go: new Set(words(`break case chan const continue default defer else fallthrough for func go goto if import interface map package range return
    select struct switch type var`)),
  java: new Set(words(`abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally
    float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp
    super switch synchronized this throw throws transient try void volatile while true false null var yield record sealed permits non_sealed when module
    open requires exports opens uses provides to with transitive`)),
  kotlin: new Set(words('as break class continue do else false for fun if in interface is null object package return super this throw true try typealias typeof val var when while')),
  csharp: new Set(words(`abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event
    explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator
    out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true
    try typeof uint ulong unchecked unsafe ushort using virtual void volatile while`)),
  // SQL:2016 reserved words plus those PostgreSQL, MySQL and SQLite reserve, upper case (SQL keywords ignore case).
  sql: new Set(words(`ABORT ABS ACTION ADD ALL ALLOCATE ALTER ANALYSE ANALYZE AND ANY ARE ARRAY AS ASC ASENSITIVE ASYMMETRIC AT ATOMIC AUTHORIZATION
    AUTOINCREMENT BEGIN BETWEEN BIGINT BINARY BLOB BOOLEAN BOTH BY CALL CALLED CASCADE CASCADED CASE CAST CHAR CHARACTER CHECK CLOB CLOSE COLLATE
    COLLATION COLUMN COMMIT CONDITION CONFLICT CONNECT CONSTRAINT CONTINUE CONVERT CORRESPONDING CREATE CROSS CUBE CURRENT CURRENT_CATALOG
    CURRENT_DATE CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR CYCLE DATABASE DATE DAY DEALLOCATE DEC DECIMAL
    DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DEREF DESC DESCRIBE DETACH DETERMINISTIC DISCONNECT DISTINCT DO DOUBLE DROP DYNAMIC EACH ELEMENT
    ELSE ELSEIF END ESCAPE EXCEPT EXCLUSIVE EXEC EXECUTE EXISTS EXIT EXPLAIN EXTERNAL FAIL FALSE FETCH FILTER FLOAT FOR FOREIGN FREE FROM FULL
    FUNCTION GET GLOB GLOBAL GRANT GROUP GROUPS HANDLER HAVING HOLD HOUR IDENTITY IF IGNORE ILIKE IMMEDIATE IN INDEX INDEXED INDICATOR INITIALLY
    INNER INOUT INPUT INSENSITIVE INSERT INSTEAD INT INTEGER INTERSECT INTERVAL INTO IS ISNULL ITERATE JOIN KEY LANGUAGE LARGE LATERAL LEADING
    LEAVE LEFT LIKE LIMIT LOCAL LOCALTIME LOCALTIMESTAMP LOOP MATCH MERGE METHOD MINUTE MODIFIES MODULE MONTH NATIONAL NATURAL NCHAR NCLOB NEW
    NO NONE NOT NOTHING NOTNULL NULL NUMERIC OF OFF OFFSET OLD ON ONLY OPEN OR ORDER OTHERS OUT OUTER OUTPUT OVER OVERLAPS PARAMETER PARTITION
    PLACING PLAN PRAGMA PRECISION PREPARE PRIMARY PROCEDURE QUERY RAISE RANGE READS REAL RECURSIVE REF REFERENCES REFERENCING REGEXP REINDEX
    RELEASE RENAME REPEAT REPLACE RESIGNAL RESTRICT RESULT RETURN RETURNING RETURNS REVOKE RIGHT ROLLBACK ROLLUP ROW ROWID ROWS SAVEPOINT SCOPE
    SCROLL SEARCH SECOND SELECT SENSITIVE SESSION_USER SET SIGNAL SIMILAR SMALLINT SOME SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING START
    STATIC SUBMULTISET SYMMETRIC SYSTEM SYSTEM_USER TABLE TABLESAMPLE TEMP TEMPORARY THEN TIES TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO
    TRAILING TRANSACTION TRANSLATION TREAT TRIGGER TRUE UNBOUNDED UNDO UNION UNIQUE UNKNOWN UNNEST UNTIL UPDATE USER USING VACUUM VALUE VALUES
    VARCHAR VARIADIC VARYING VERBOSE VIEW VIRTUAL WHEN WHENEVER WHERE WHILE WINDOW WITH WITHIN WITHOUT YEAR`)),
  // GraphQL reserves no field or type names, but true, false and null cannot be enum values.
  graphql: new Set(['true', 'false', 'null']),
};
/** Rust keywords that cannot be raw identifiers (`r#self` is refused): they get a `_` suffix instead. */
const RUST_NOT_RAW = new Set(['self', 'Self', 'super', 'crate', '_']);

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** ASCII letters and digits of `s` after transliteration; everything else becomes a space (a word break). */
function asciiOf(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const t = cp < 0x80 ? ch : (deunicodeChar(cp) ?? ' ');
    out += t.replace(/[^A-Za-z0-9]/g, ' ');
  }
  return out;
}

type Mode = 'boundary' | 'lower' | 'upper';
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';

/** heck 0.4's word boundaries (digits stay with the word before them). */
export function identWords(s: string): string[] {
  const out: string[] = [];
  for (const word of asciiOf(s).split(' ')) {
    let init = 0;
    let mode: Mode = 'boundary';
    for (let i = 0; i < word.length; i++) {
      const c = word[i]!;
      const next = word[i + 1];
      if (next === undefined) {
        out.push(word.slice(init));
        break;
      }
      const nextMode: Mode = isLower(c) ? 'lower' : isUpper(c) ? 'upper' : mode;
      if (nextMode === 'lower' && isUpper(next)) {
        out.push(word.slice(init, i + 1));
        init = i + 1;
        mode = 'boundary';
      } else if (mode === 'upper' && isUpper(c) && isLower(next)) {
        out.push(word.slice(init, i));
        init = i;
        mode = 'boundary';
      } else mode = nextMode;
    }
  }
  const list = out.filter((w) => w !== '');
  // A leading digit run is spelled out: `3D` → three d, `2020` → two zero two zero.
  const lead = /^(\d+)(.*)$/.exec(list[0] ?? '');
  if (lead !== null) list.splice(0, 1, ...[...lead[1]!].map((d) => DIGITS[Number(d)]!), ...(lead[2] === '' ? [] : [lead[2]!]));
  return list.length === 0 ? ['unnamed'] : list;
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/** The words joined in one case (no escaping). */
export function joinIdent(list: readonly string[], identCase: IdentCase): string {
  switch (identCase) {
    case 'pascal':
      return list.map(cap).join('');
    case 'camel':
      return list.map((w, i) => (i === 0 ? w.toLowerCase() : cap(w))).join('');
    case 'snake':
      return list.map((w) => w.toLowerCase()).join('_');
    case 'screaming_snake':
      return list.map((w) => w.toUpperCase()).join('_');
    case 'kebab':
      return list.map((w) => w.toLowerCase()).join('-');
  }
}

export class IdentError extends Error {}

/** `name` as an identifier of `lang` in `identCase`: see the module comment for the rules. */
export function toIdent(name: string, lang: IdentLang, identCase: IdentCase): string {
  const id = joinIdent(identWords(name), identCase);
  if (identCase === 'kebab' && lang !== 'sql') {
    throw new IdentError(`a kebab-case name is not an identifier in ${lang} (only SQL can quote it); use snake, camel or pascal`);
  }
  if (lang === 'sql') return identCase === 'kebab' || RESERVED.sql.has(id.toUpperCase()) ? `"${id}"` : id;
  if (!RESERVED[lang].has(id)) return id;
  switch (lang) {
    case 'rust':
      return RUST_NOT_RAW.has(id) ? `${id}_` : `r#${id}`;
    case 'kotlin':
      return `\`${id}\``;
    case 'csharp':
      return `@${id}`;
    default:
      return `${id}_`;
  }
}

const isLang = (v: unknown): v is IdentLang => typeof v === 'string' && (IDENT_LANGS as readonly string[]).includes(v);
const isCase = (v: unknown): v is IdentCase => typeof v === 'string' && (IDENT_CASES as readonly string[]).includes(v);

/** `{{ name | ident(lang="rust", case="snake") }}`: both arguments are required. */
export function identFilter(value: unknown, args: Record<string, unknown>): string {
  if (typeof value !== 'string') throw new IdentError(`filter \`ident\` needs a string, got ${value === null ? 'null' : typeof value}`);
  if (!isLang(args.lang)) throw new IdentError(`filter \`ident\` needs lang= one of ${IDENT_LANGS.join(', ')}`);
  if (!isCase(args.case)) throw new IdentError(`filter \`ident\` needs case= one of ${IDENT_CASES.join(', ')}`);
  return toIdent(value, args.lang, args.case);
}
