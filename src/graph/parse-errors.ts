// Turns oxigraph's parser and SPARQL error texts into GgenErrors that point at file:line:col and the token.
import { GgenError } from '../errors.js';
import { closestName, editDistance } from '../util/closest.js';
import { formatLabel, type RdfFormat } from './formats.js';
import { declaredQueryPrefixes, lineColumnAt, usedQueryPrefixes } from './prefixes.js';

interface Position {
  line: number;
  column: number;
  /** End column on the same line (exclusive), when the parser gave a range. */
  endColumn?: number;
}

const positionPatterns: Array<[RegExp, (m: RegExpMatchArray) => Position]> = [
  [/^Parser error at line (\d+) column (\d+): ([\s\S]*)$/, (m) => ({ line: +m[1]!, column: +m[2]! })],
  [/^Parser error at line (\d+) between columns (\d+) and (\d+): ([\s\S]*)$/, (m) => ({ line: +m[1]!, column: +m[2]!, endColumn: +m[3]! })],
  [/^Parser error between line (\d+) column (\d+) and line \d+ column \d+: ([\s\S]*)$/, (m) => ({ line: +m[1]!, column: +m[2]! })],
];

function lineOf(text: string, line: number): string | undefined {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** The text at a position: the given range, or the run of non-blank characters there. */
function tokenAt(text: string, pos: Position): string {
  const line = lineOf(text, pos.line);
  if (line === undefined) return 'end of file';
  if (pos.endColumn !== undefined && pos.endColumn > pos.column) return JSON.stringify(line.slice(pos.column - 1, pos.endColumn - 1));
  const rest = line.slice(pos.column - 1);
  const token = /^[^\s]{1,40}/.exec(rest)?.[0];
  if (token !== undefined) return JSON.stringify(token);
  // Past the end of the line: the parser gave up after its last token; show that token.
  const last = /[^\s]{1,40}$/.exec(line.slice(0, pos.column - 1).trimEnd())?.[0];
  if (last !== undefined && rest.trim() === '' && lineOf(text, pos.line + 1) === undefined) return JSON.stringify(last);
  return lineOf(text, pos.line + 1) === undefined ? 'end of file' : 'end of line';
}

/** Locates a backquoted token from an error message (RDF/XML errors carry no position). */
function positionOfQuotedToken(text: string, message: string): Position | undefined {
  const quoted = [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  for (const token of quoted.reverse()) {
    const at = text.indexOf(token);
    if (at !== -1) {
      const { line, column } = lineColumnAt(text, at);
      return { line, column, endColumn: column + token.length };
    }
  }
  return undefined;
}

/** A GgenError for a document oxigraph could not parse. */
export function rdfParseError(err: unknown, ctx: { file: string; format: RdfFormat; text: string }): GgenError {
  const raw = (err instanceof Error ? err.message : String(err)).trim();
  let position: Position | undefined;
  let reason = raw;
  for (const [pattern, toPosition] of positionPatterns) {
    const m = pattern.exec(raw);
    if (m) {
      position = toPosition(m);
      reason = m[m.length - 1]!;
      break;
    }
  }
  position ??= positionOfQuotedToken(ctx.text, raw);
  if (/LoadDocumentCallback|remote context/i.test(raw)) {
    const at = ctx.text.indexOf('"@context"');
    return new GgenError('E_RDF_PARSE', 'JSON-LD remote @context is not supported: ggen does not fetch documents', {
      at: at === -1 ? { file: ctx.file } : { file: ctx.file, ...lineColumnAt(ctx.text, at) },
      hint: 'inline the context object (or convert the file to Turtle/N-Quads once)',
      cause: err,
    });
  }
  reason = reason.replace(/\s+/g, ' ').replace(/\.$/, '');
  const label = formatLabel[ctx.format];
  const near = position ? tokenAt(ctx.text, position) : undefined;
  const message = `${label} syntax error: ${reason}${near !== undefined ? ` (at ${near})` : ''}`;
  return new GgenError('E_RDF_PARSE', message, {
    at: position ? { file: ctx.file, line: position.line, column: position.column } : { file: ctx.file },
    hint: `check the ${label} syntax${ctx.format === 'turtle' ? ', or name the format with --input-format if the file is not Turtle' : ''}`,
    cause: err,
  });
}

/** Shortens oxigraph's "expected one of …" lists to something readable. */
function tidySparqlReason(reason: string): string {
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  const expected = /^expected one of (.*)$/.exec(oneLine);
  if (!expected) return oneLine;
  const options = expected[1]!.split(/, (?=\[|[A-Z"'])/).filter((o) => !o.startsWith('['));
  return options.length > 0 ? `expected one of ${options.slice(0, 6).join(', ')}${options.length > 6 ? ', …' : ''}` : 'unexpected character';
}

// SPARQL 1.1 keywords and built-in function names: a bare word near one of these, and not one itself, is a slip.
const SPARQL_KEYWORDS = [
  'SELECT', 'CONSTRUCT', 'ASK', 'DESCRIBE', 'WHERE', 'PREFIX', 'BASE', 'DISTINCT', 'REDUCED', 'FROM', 'NAMED', 'OPTIONAL',
  'FILTER', 'UNION', 'MINUS', 'GRAPH', 'SERVICE', 'SILENT', 'BIND', 'VALUES', 'UNDEF', 'ORDER', 'GROUP', 'BY', 'HAVING', 'LIMIT',
  'OFFSET', 'ASC', 'DESC', 'AS', 'NOT', 'EXISTS', 'IN', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'SAMPLE', 'GROUP_CONCAT',
  'SEPARATOR', 'STR', 'LANG', 'LANGMATCHES', 'DATATYPE', 'BOUND', 'IRI', 'URI', 'BNODE', 'RAND', 'ABS', 'CEIL', 'FLOOR',
  'ROUND', 'CONCAT', 'STRLEN', 'UCASE', 'LCASE', 'ENCODE_FOR_URI', 'CONTAINS', 'STRSTARTS', 'STRENDS', 'STRBEFORE',
  'STRAFTER', 'YEAR', 'MONTH', 'DAY', 'HOURS', 'MINUTES', 'SECONDS', 'TIMEZONE', 'TZ', 'NOW', 'UUID', 'STRUUID', 'MD5',
  'SHA1', 'SHA256', 'SHA384', 'SHA512', 'COALESCE', 'IF', 'STRLANG', 'STRDT', 'SAMETERM', 'ISIRI', 'ISURI', 'ISBLANK',
  'ISLITERAL', 'ISNUMERIC', 'REGEX', 'SUBSTR', 'REPLACE', 'TRUE', 'FALSE',
];
const SPARQL_KEYWORD_SET = new Set(SPARQL_KEYWORDS);
const QUERY_FORMS = ['SELECT', 'CONSTRUCT', 'ASK', 'DESCRIBE', 'PREFIX', 'BASE'];

/** The keyword a bare word most likely meant (`SELEC` → SELECT), or undefined when it is one or is not close to one. */
function keywordFor(word: string, candidates: readonly string[]): string | undefined {
  const upper = word.toUpperCase();
  if (word.length < 2 || SPARQL_KEYWORD_SET.has(upper)) return undefined;
  const near = closestName(upper, candidates);
  // One slip in a short word, two in a long one: `WHER`, `SELEC`, `CONSTRUC`, `OPTIONL`.
  return near !== undefined && editDistance(upper, near) <= (upper.length >= 6 ? 2 : 1) ? near : undefined;
}

/** The first word of the query after comments and the BASE/PREFIX prologue, with its offset. */
function queryFormWord(query: string): { word: string; offset: number } | undefined {
  const prologue = /^(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[A-Za-z0-9_.-]*:\s*<[^>]*>)*/i.exec(query)![0];
  const m = /^[A-Za-z_]+/.exec(query.slice(prologue.length));
  return m ? { word: m[0], offset: prologue.length } : undefined;
}

/** A mistyped keyword: the query form, else a bare word on the error line up to the error column. */
function keywordSlip(query: string, line: number, column: number): { word: string; keyword: string; offset: number } | undefined {
  const form = queryFormWord(query);
  if (form) {
    const keyword = keywordFor(form.word, QUERY_FORMS);
    if (keyword) return { ...form, keyword };
  }
  let lineStart = 0;
  for (let i = 1; i < line; i++) lineStart = query.indexOf('\n', lineStart) + 1;
  const upto = query.slice(lineStart, lineStart + column + 40).split('\n')[0]!;
  // Bare words only: not ?vars/$vars, not prefixed names (ex:x, x:), not inside <IRIs> or strings (roughly).
  const words = [...upto.matchAll(/(?<![?$:\w<"'@^])[A-Za-z_]+(?![\w:(])|(?<![?$:\w<"'@^])[A-Za-z_]+(?=\s*\()/g)]
    .filter((m) => m.index! < column + 1);
  for (const m of words.reverse().slice(0, 3)) {
    if (m[0].length < 3) continue;
    const keyword = keywordFor(m[0], SPARQL_KEYWORDS);
    if (keyword) return { word: m[0], keyword, offset: lineStart + m.index! };
  }
  return undefined;
}

/**
 * A GgenError for a SPARQL text oxigraph rejected. `query` is the user's text; the engine saw it after
 * `addedLines` lines of prologue.
 */
export function sparqlError(err: unknown, ctx: { source?: string; query: string; addedLines: number; knownPrefixes: Record<string, string> }): GgenError {
  const file = ctx.source ?? 'query';
  const declared = new Set([...declaredQueryPrefixes(ctx.query), ...Object.keys(ctx.knownPrefixes)]);
  const unknown = usedQueryPrefixes(ctx.query).find((u) => !declared.has(u.prefix));
  if (unknown) {
    const known = [...declared].sort().map((p) => `${p}:`);
    // Prefixes are short: suggest only a one-letter slip (fof: for foaf:), not any two-letter name.
    const candidate = closestName(unknown.prefix, declared);
    const near = candidate !== undefined && editDistance(unknown.prefix, candidate) <= Math.max(1, Math.floor(unknown.prefix.length / 3)) ? `did you mean "${candidate}:"?` : undefined;
    return new GgenError('E_SPARQL', `unknown prefix "${unknown.prefix}:"`, {
      at: { file, ...lineColumnAt(ctx.query, unknown.offset) },
      hint: `${near ? `${near} ` : ''}declare it with PREFIX ${unknown.prefix}: <…> or in the data; known prefixes: ${known.join(', ') || '(none)'}`,
      cause: err,
    });
  }
  const raw = err instanceof Error ? err.message : String(err);
  const m = /^error at (\d+):(\d+): ([\s\S]*)$/.exec(raw.trim());
  if (!m) return new GgenError('E_SPARQL', `SPARQL error: ${raw.replace(/\s+/g, ' ').trim()}`, { at: { file }, cause: err });
  const line = Math.max(1, +m[1]! - ctx.addedLines);
  const column = +m[2]!;
  // oxigraph names what it expected next ("expected CONSTRUCT" for `SELEC ?s …`); a mistyped keyword is the likelier story.
  const slip = keywordSlip(ctx.query, line, column);
  if (slip) {
    return new GgenError('E_SPARQL', `SPARQL syntax error: unknown keyword "${slip.word}"`, {
      at: { file, ...lineColumnAt(ctx.query, slip.offset) },
      hint: `did you mean ${slip.keyword}?`,
      cause: err,
    });
  }
  const near = tokenAt(ctx.query, { line, column });
  return new GgenError('E_SPARQL', `SPARQL syntax error: ${tidySparqlReason(m[3]!)} (at ${near})`, {
    at: { file, line, column },
    hint: 'check the query syntax (SPARQL 1.1)',
    cause: err,
  });
}
