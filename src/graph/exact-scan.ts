// Finds the XSD literals of a Turtle, TriG, N-Triples or N-Quads document with the subject, predicate
// and graph of the statement that holds each, in one pass over the characters and without building terms
// for the rest of the document: the exact-terms side table needs only those statements, and a full parse
// cost 2-3x the store's own load (bench/results/graph-exact.md).
//
// It reads the grammar's statement structure (subjects, `;`, `,`, `[ ]`, collections, graph blocks, N-Quads
// graph terms, PREFIX/BASE directives). Anything else it does not follow (RDF 1.2 triple terms and
// annotations, escapes in IRIs and names, relative IRIs where a key needs them, whitespace around `^^`)
// makes it give up: the caller then parses the document properly. A document it mis-reads is one the store
// rejects, so what it returns is only used after the store has loaded the document.

export interface ExactLiteral {
  value: string;
  datatype: string;
}

/** One statement whose object is an XSD literal: N-Triples keys of subject, predicate, graph ('' default; blank nodes as `_:`), and the literal. */
export interface Candidate {
  s: string;
  p: string;
  g: string;
  value: string;
  datatype: string;
}

export type ScanFormat = 'turtle' | 'trig' | 'ntriples' | 'nquads';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = `${XSD}string`;
const XSD_INTEGER = `${XSD}integer`;
const XSD_DECIMAL = `${XSD}decimal`;
const XSD_DOUBLE = `${XSD}double`;
const XSD_BOOLEAN = `${XSD}boolean`;
const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const RDF_FIRST = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>';
const BLANK = '_:';

const absoluteIri = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const schemeAt = /[A-Za-z][A-Za-z0-9+.-]*:/y;
const numberToken = /[+-]?(?:\d+(?:\.\d*)?[eE][+-]?\d+|\.\d+[eE][+-]?\d+|\d*\.\d+|\d+)/y;
// Lexical forms the store keeps as written: canonical integers (or ones too large to convert) and booleans.
const canonicalInteger = /^(?:0|-?[1-9]\d*)$/;

/** Thrown (and caught in scanStatements) where the scanner stops following the document. */
const GIVE_UP = Symbol('give up');

// Where a frame is in its statement.
const SUBJECT = 0;
const PREDICATE = 1;
const OBJECT = 2;
const AFTER_OBJECT = 3;
const AFTER_GRAPH_TERM = 4; // N-Quads: `s p o g` read, `.` next
const GRAPH_LABEL = 5; // after TriG's GRAPH keyword

// Term kinds held by a frame (the text span is kept, the key is built only when a literal needs it).
const IRI = 1;
const PNAME = 2;
const BNODE = 3;
const TYPE = 4;
const FIRST = 5;
const ESCAPED = 6; // an IRI or name with escapes: its key is left to the parser

// How a nested frame ends: `[ … ]` / `( … )` as a subject, or as an object.
const AS_SUBJECT = 0;
const AS_OBJECT = 1;

interface Frame {
  collection: boolean;
  as: number;
  pos: number;
  sKind: number;
  sStart: number;
  sEnd: number;
  sKey: string | undefined;
  pKind: number;
  pStart: number;
  pEnd: number;
  pKey: string | undefined;
}

function frame(collection: boolean, as: number, pos: number, sKind: number, pKind: number): Frame {
  return { collection, as, pos, sKind, sStart: 0, sEnd: 0, sKey: undefined, pKind, pStart: 0, pEnd: 0, pKey: undefined };
}

function giveUp(): never {
  throw GIVE_UP;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0xc0;
}

/** Letters, digits, `_`, `-`, `:`, `%`, U+00B7 and anything from U+00C0 (what Turtle allows is narrower: the store checks). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 45 || c === 37 || c === 0xb7 || c >= 0xc0;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

const unescapes: Record<string, string> = { t: '\t', b: '\b', n: '\n', r: '\r', f: '\f' };

/** The value of an N-Triples/Turtle string body (ECHAR and UCHAR escapes). */
export function unescapeString(text: string): string {
  return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_m, u?: string, U?: string, c?: string) =>
    u !== undefined || U !== undefined ? String.fromCodePoint(parseInt((u ?? U)!, 16)) : unescapes[c!] ?? c!,
  );
}

/** Literals whose lexical form the store certainly keeps; the others are checked against the store. */
export function surelyCanonical(value: string, datatype: string): boolean {
  if (datatype === XSD_INTEGER) return canonicalInteger.test(value);
  if (datatype === XSD_BOOLEAN) return value === 'true' || value === 'false';
  return false;
}

export interface ScanResult {
  /** XSD literals the store may rewrite, with their statements. */
  candidates: Candidate[];
  /** XSD literals written as the store keeps them (their statements are not needed). */
  canonical: ExactLiteral[];
}

/**
 * The document's XSD literal objects (xsd:string excepted), or undefined when the scanner gave up.
 * `graph` is the key of the graph triples load into ('' for the default graph).
 */
export function scanStatements(text: string, format: ScanFormat, graph: string): ScanResult | undefined {
  try {
    return scan(text, format, graph);
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

function scan(text: string, format: ScanFormat, defaultGraph: string): ScanResult {
  return new Scanner(text, format, defaultGraph).run();
}

// A class, not closures: closures made per document would give V8 new call targets each time (and deopts).
class Scanner {
  private readonly n: number;
  private readonly trig: boolean;
  private readonly nquads: boolean;
  private readonly prefixes = new Map<string, string>();
  private readonly candidates: Candidate[] = [];
  private readonly canonical: ExactLiteral[] = [];
  private readonly stack: Frame[] = [frame(false, AS_SUBJECT, SUBJECT, 0, 0)];
  private top: Frame = this.stack[0]!;
  private graphKey: string;
  private inGraphBlock = false;
  /** Candidates of the current N-Quads statement start here (its graph term comes after the object). */
  private statementStart = 0;
  /** The next backslash from where it was last looked for: strings before it need no unescaping. */
  private nextBackslash = -1;
  // Predicates and datatypes repeat: their keys are kept by token (names until a prefix changes).
  private readonly iriKeys = new Map<string, string>();
  private readonly nameKeys = new Map<string, string>();
  /** Datatype token → its IRI when it is an XSD one other than xsd:string, else ''. */
  private readonly iriDatatypes = new Map<string, string>();
  private readonly nameDatatypes = new Map<string, string>();

  constructor(
    private readonly text: string,
    format: ScanFormat,
    private readonly defaultGraph: string,
  ) {
    this.n = text.length;
    this.trig = format === 'trig';
    this.nquads = format === 'nquads';
    this.graphKey = defaultGraph;
  }

  run(): ScanResult {
    const text = this.text;
    const n = this.n;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (c) {
        case 35: // # comment
          while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
          continue;
        case 60: {
          // <IRI>; `<<` opens an RDF 1.2 triple term
          if (text.charCodeAt(i + 1) === 60) giveUp();
          const end = text.indexOf('>', i + 1);
          if (end === -1) giveUp();
          this.term(this.escapedBetween(i + 1, end) ? ESCAPED : IRI, i + 1, end);
          i = end + 1;
          continue;
        }
        case 34:
        case 39:
          i = this.stringLiteral(i, c);
          continue;
        case 59: {
          // ;
          const top = this.top;
          if ((top.pos !== AFTER_OBJECT && top.pos !== PREDICATE) || top.collection) giveUp();
          top.pos = PREDICATE;
          i++;
          continue;
        }
        case 44: // ,
          if (this.top.pos !== AFTER_OBJECT) giveUp();
          this.top.pos = OBJECT;
          i++;
          continue;
        case 46: {
          // . ends a statement, or starts a number (.5)
          const pos = this.top.pos;
          if (pos === OBJECT && isDigit(text.charCodeAt(i + 1))) {
            i = this.number(i);
            continue;
          }
          if (this.stack.length !== 1 || (pos !== AFTER_OBJECT && pos !== PREDICATE && pos !== AFTER_GRAPH_TERM)) giveUp();
          this.endStatement();
          i++;
          continue;
        }
        case 91: // [
          this.open(false);
          i++;
          continue;
        case 93: // ]
          this.close(false);
          i++;
          continue;
        case 40: // (
          this.open(true);
          i++;
          continue;
        case 41: // )
          this.close(true);
          i++;
          continue;
        case 123: {
          // { opens a TriG graph block: the default graph, or the one just labelled
          const top = this.top;
          if (!this.trig || this.inGraphBlock || this.stack.length !== 1 || text.charCodeAt(i + 1) === 124) giveUp();
          if (top.pos === PREDICATE && top.sKind !== 0) this.graphKey = this.key(top.sKind, top.sStart, top.sEnd);
          else if (top.pos === SUBJECT) this.graphKey = '';
          else if (top.pos !== PREDICATE) giveUp(); // PREDICATE with no subject: after GRAPH and its label
          this.inGraphBlock = true;
          this.endStatement();
          i++;
          continue;
        }
        case 125: {
          // }
          const pos = this.top.pos;
          if (!this.inGraphBlock || this.stack.length !== 1 || (pos !== SUBJECT && pos !== AFTER_OBJECT && pos !== PREDICATE)) giveUp();
          this.inGraphBlock = false;
          this.graphKey = this.defaultGraph;
          this.endStatement();
          i++;
          continue;
        }
        case 64: {
          // @prefix, @base, @version
          let j = i + 1;
          while (j < n && isNameChar(text.charCodeAt(j))) j++;
          const word = text.slice(i + 1, j);
          if (this.top.pos !== SUBJECT || this.stack.length !== 1) giveUp();
          if (word === 'prefix' || word === 'base') i = this.directive(j, word);
          else if (word === 'version') i = this.versionString(j);
          else giveUp();
          i = skipSpace(text, i);
          if (text.charCodeAt(i) !== 46) giveUp();
          i++;
          continue;
        }
        default:
          if (c === 43 || c === 45 || isDigit(c)) i = this.number(i);
          else if (isNameStart(c)) i = this.name(i);
          else giveUp();
      }
    }
    return { candidates: this.candidates, canonical: this.canonical };
  }

  // The prefix resolved last, compared in place (most names in a row share one).
  private lastPrefix: string | undefined;
  private lastNamespace = '';

  /** The N-Triples key of a term token (slices only what the key keeps). */
  private key(kind: number, start: number, end: number): string {
    if (kind === BNODE) return BLANK;
    if (kind === TYPE) return RDF_TYPE;
    if (kind === FIRST) return RDF_FIRST;
    if (kind === ESCAPED) giveUp();
    const text = this.text;
    if (kind === IRI) {
      schemeAt.lastIndex = start;
      if (!schemeAt.test(text) || schemeAt.lastIndex > end) giveUp(); // relative: resolving is the parser's job
      return text.slice(start - 1, end + 1);
    }
    const colon = text.indexOf(':', start);
    const last = this.lastPrefix;
    let ns: string | undefined;
    if (last !== undefined && colon - start === last.length && text.startsWith(last, start)) ns = this.lastNamespace;
    else {
      const prefix = text.slice(start, colon);
      ns = this.prefixes.get(prefix);
      if (ns === undefined || !absoluteIri.test(ns)) giveUp();
      this.lastPrefix = prefix;
      this.lastNamespace = ns;
    }
    return `<${ns}${text.slice(colon + 1, end)}>`;
  }

  /** True when the text from `start` (visited in document order) to `end` holds a backslash. */
  private escapedBetween(start: number, end: number): boolean {
    if (this.nextBackslash < start) this.nextBackslash = indexOrEnd(this.text, '\\', start);
    return this.nextBackslash < end;
  }

  private cachedKey(kind: number, start: number, end: number): string {
    const keys = kind === IRI ? this.iriKeys : kind === PNAME ? this.nameKeys : undefined;
    if (keys === undefined) return this.key(kind, start, end);
    const token = this.text.slice(start, end);
    let k = keys.get(token);
    if (k === undefined) keys.set(token, (k = this.key(kind, start, end)));
    return k;
  }

  // The datatype token seen last, compared in place (most typed literals repeat the one before).
  private lastDatatypeKind = 0;
  private lastDatatypeToken = '';
  private lastDatatype = '';

  private xsdDatatype(kind: number, start: number, end: number): string {
    const last = this.lastDatatypeToken;
    if (kind === this.lastDatatypeKind && end - start === last.length && this.text.startsWith(last, start)) return this.lastDatatype;
    const byToken = kind === IRI ? this.iriDatatypes : this.nameDatatypes;
    const token = this.text.slice(start, end);
    let dt = byToken.get(token);
    if (dt === undefined) {
      const iri = this.key(kind, start, end).slice(1, -1);
      byToken.set(token, (dt = iri.startsWith(XSD) && iri !== XSD_STRING ? iri : ''));
    }
    this.lastDatatypeKind = kind;
    this.lastDatatypeToken = token;
    this.lastDatatype = dt;
    return dt;
  }

  /** An object literal; `datatype` is '' when it is not an XSD one. */
  private literal(value: string, datatype: string): void {
    const f = this.top;
    if (f.pos !== OBJECT) giveUp();
    f.pos = f.collection ? OBJECT : AFTER_OBJECT;
    if (datatype === '') return;
    if (surelyCanonical(value, datatype)) {
      this.canonical.push({ value, datatype });
      return;
    }
    const s = (f.sKey ??= this.key(f.sKind, f.sStart, f.sEnd));
    const p = (f.pKey ??= this.cachedKey(f.pKind, f.pStart, f.pEnd));
    this.candidates.push({ s, p, g: this.graphKey, value, datatype });
  }

  /** A subject, predicate or object that is not a literal. */
  private term(kind: number, start: number, end: number): void {
    const f = this.top;
    switch (f.pos) {
      case SUBJECT:
        f.sKind = kind;
        f.sStart = start;
        f.sEnd = end;
        f.sKey = undefined;
        f.pos = PREDICATE;
        return;
      case PREDICATE:
        f.pKind = kind;
        f.pStart = start;
        f.pEnd = end;
        f.pKey = undefined;
        f.pos = OBJECT;
        return;
      case OBJECT:
        f.pos = f.collection ? OBJECT : AFTER_OBJECT;
        return;
      case AFTER_OBJECT: {
        // N-Quads: the graph term, after the object
        if (!this.nquads || this.stack.length !== 1) giveUp();
        const g = this.key(kind, start, end);
        for (let k = this.statementStart; k < this.candidates.length; k++) this.candidates[k]!.g = g;
        f.pos = AFTER_GRAPH_TERM;
        return;
      }
      case GRAPH_LABEL:
        this.graphKey = this.key(kind, start, end);
        f.pos = PREDICATE; // `{` follows, as after a TriG graph label
        f.sKind = 0;
        return;
      default:
        giveUp();
    }
  }

  private open(collection: boolean): void {
    const pos = this.top.pos;
    let as: number;
    if (pos === SUBJECT) as = AS_SUBJECT;
    else if (pos === OBJECT) as = AS_OBJECT;
    else giveUp();
    this.top = collection ? frame(true, as, OBJECT, BNODE, FIRST) : frame(false, as, PREDICATE, BNODE, 0);
    this.stack.push(this.top);
  }

  private close(collection: boolean): void {
    const f = this.top;
    if (this.stack.length === 1 || f.collection !== collection) giveUp();
    if (!collection && f.pos !== PREDICATE && f.pos !== AFTER_OBJECT) giveUp();
    this.stack.pop();
    const top = (this.top = this.stack[this.stack.length - 1]!);
    if (f.as === AS_SUBJECT) {
      top.sKind = BNODE;
      top.sKey = undefined;
      top.pos = PREDICATE;
    } else top.pos = top.collection ? OBJECT : AFTER_OBJECT;
  }

  private endStatement(): void {
    const top = this.top;
    top.pos = SUBJECT;
    top.sKind = 0;
    top.pKind = 0;
    this.statementStart = this.candidates.length;
  }

  /** A directive's prefix and IRI (`@prefix p: <…>` / `PREFIX p: <…>` / `@base <…>` / `BASE <…>`); returns the index after it. */
  private directive(at: number, word: string): number {
    const text = this.text;
    let i = skipSpace(text, at);
    let prefix: string | undefined;
    if (word === 'prefix') {
      const start = i;
      while (i < this.n && text.charCodeAt(i) !== 58) {
        if (!isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 46) giveUp();
        i++;
      }
      prefix = text.slice(start, i);
      i = skipSpace(text, i + 1);
    }
    if (text.charCodeAt(i) !== 60) giveUp();
    const end = text.indexOf('>', i + 1);
    if (end === -1) giveUp();
    if (prefix !== undefined) {
      const iri = text.slice(i + 1, end);
      if (iri.includes('\\')) giveUp();
      this.prefixes.set(prefix, iri); // a relative one is refused only where a key uses it
      this.nameKeys.clear();
      this.nameDatatypes.clear();
      this.lastDatatypeKind = 0;
      this.lastPrefix = undefined;
    }
    return end + 1;
  }

  private number(at: number): number {
    const text = this.text;
    numberToken.lastIndex = at;
    if (!numberToken.test(text)) giveUp();
    const end = numberToken.lastIndex;
    let datatype = XSD_INTEGER;
    for (let k = at; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 101 || c === 69) {
        datatype = XSD_DOUBLE;
        break;
      }
      if (c === 46) datatype = XSD_DECIMAL;
    }
    this.literal(text.slice(at, end), datatype);
    return end;
  }

  /** A prefixed name, blank node label or keyword. */
  private name(at: number): number {
    const text = this.text;
    let i = at;
    let colon = -1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (isNameChar(c)) {
        if (c === 58 && colon === -1) colon = i;
        i++;
      } else if (c === 46 && isNameChar(text.charCodeAt(i + 1))) i++;
      else if (c === 92) {
        escaped = true; // an escape in a local name: key() refuses it where it matters
        i += 2;
      } else break;
    }
    if (colon !== -1) {
      this.term(text.charCodeAt(at) === 95 && colon === at + 1 ? BNODE : escaped ? ESCAPED : PNAME, at, i);
      return i;
    }
    const word = text.slice(at, i);
    const top = this.top;
    if (word === 'a' && top.pos === PREDICATE) this.term(TYPE, at, i);
    else if ((word === 'true' || word === 'false') && top.pos === OBJECT) this.literal(word, XSD_BOOLEAN);
    else if (this.stack.length === 1 && top.pos === SUBJECT) {
      const lower = word.toLowerCase();
      if (lower === 'prefix' || lower === 'base') return this.directive(i, lower);
      if (lower === 'version') return this.versionString(i);
      if (lower === 'graph' && this.trig && !this.inGraphBlock) top.pos = GRAPH_LABEL;
      else giveUp();
    } else giveUp();
    return i;
  }

  private versionString(at: number): number {
    const i = skipSpace(this.text, at);
    const q = this.text.charCodeAt(i);
    if (q !== 34 && q !== 39) giveUp();
    const end = this.text.indexOf(q === 34 ? '"' : "'", i + 1);
    if (end === -1) giveUp();
    return end + 1;
  }

  /** A string literal with its language tag or datatype; returns the index after it. */
  private stringLiteral(at: number, quote: number): number {
    const text = this.text;
    const n = this.n;
    let i: number;
    let bodyStart: number;
    let bodyEnd: number;
    let escaped = false;
    if (text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote) {
      bodyStart = at + 3;
      i = bodyStart;
      for (;;) {
        if (i >= n) giveUp();
        const c = text.charCodeAt(i);
        if (c === 92) {
          escaped = true;
          i += 2;
        } else if (c === quote && text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) break; // the first three close it
        else i++;
      }
      bodyEnd = i;
      i += 3;
    } else {
      // A short string ends at the next quote no backslash escapes (a line break in it is the store's error to report).
      bodyStart = at + 1;
      const q = quote === 34 ? '"' : "'";
      i = text.indexOf(q, bodyStart);
      if (i === -1) giveUp();
      if (this.escapedBetween(bodyStart, i)) {
        escaped = true;
        for (;;) {
          let k = i - 1;
          while (text.charCodeAt(k) === 92) k--;
          if ((i - k) % 2 === 1) break; // an even run of backslashes before it: the quote closes
          i = text.indexOf(q, i + 1);
          if (i === -1) giveUp();
        }
      }
      bodyEnd = i;
      i++;
    }
    let datatype = '';
    const next = text.charCodeAt(i);
    if (next === 64) {
      // @lang (or @lang--dir)
      i++;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
    } else if (next === 94) {
      if (text.charCodeAt(i + 1) !== 94) giveUp();
      i += 2;
      let kind: number;
      let start: number;
      let end: number;
      if (text.charCodeAt(i) === 60) {
        kind = IRI;
        start = i + 1;
        end = text.indexOf('>', start);
        if (end === -1 || this.escapedBetween(start, end)) giveUp();
        i = end + 1;
      } else if (isNameStart(text.charCodeAt(i))) {
        kind = PNAME;
        start = i;
        while (isNameChar(text.charCodeAt(i)) || (text.charCodeAt(i) === 46 && isNameChar(text.charCodeAt(i + 1)))) i++;
        if (text.charCodeAt(i) === 92) giveUp();
        end = i;
      } else giveUp();
      datatype = this.xsdDatatype(kind, start, end);
    }
    if (datatype === '') this.literal('', '');
    else {
      const raw = text.slice(bodyStart, bodyEnd);
      this.literal(escaped ? unescapeString(raw) : raw, datatype);
    }
    return i;
  }
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, from);
  return at === -1 ? text.length : at;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}
