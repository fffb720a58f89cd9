// Injection into existing files: anchors, line numbers, owned regions; idempotent and EOL-preserving.
import { GgenError, type SourceLocation } from '../errors.js';
import { commentLine, commentStyleFor } from './comments.js';
import { compileRustRegex } from '../template/index.js';

export interface InjectOptions {
  prepend?: boolean;
  append?: boolean;
  before?: string;
  after?: string;
  at_line?: number;
  skip_if?: string;
  eof_last?: boolean;
  /** Owned region name: the content lives between `ggen:begin:NAME` and `ggen:end:NAME` markers. */
  region?: string;
}

export type InjectResult = { changed: true; text: string; reason: string } | { changed: false; reason: string };

interface Lines {
  lines: string[];
  eol: string;
  finalNewline: boolean;
}

function splitLines(text: string, eol?: string): Lines {
  const detected = eol ?? (text.includes('\r\n') ? '\r\n' : '\n');
  const normal = text.replace(/\r\n/g, '\n');
  const finalNewline = normal.endsWith('\n');
  const body = finalNewline ? normal.slice(0, -1) : normal;
  return { lines: body === '' && !finalNewline ? [] : body.split('\n'), eol: detected, finalNewline };
}

function joinLines(l: Lines): string {
  return l.lines.join(l.eol) + (l.finalNewline && l.lines.length > 0 ? l.eol : '');
}

export const regionMarkers = (name: string) => ({ begin: `ggen:begin:${name}`, end: `ggen:end:${name}` });

/** The content wrapped in owned-region markers in the comment syntax of `path`. */
export function wrapRegion(path: string, name: string, content: string): string {
  const style = commentStyleFor(path);
  const { begin, end } = regionMarkers(name);
  const inner = content === '' || content.endsWith('\n') ? content : `${content}\n`;
  return `${commentLine(style, begin)}\n${inner}${commentLine(style, end)}\n`;
}

function findRegion(lines: string[], name: string, at: SourceLocation, path: string): { begin: number; end: number } | undefined {
  const { begin, end } = regionMarkers(name);
  const b = lines.findIndex((l) => markerMatches(l, begin));
  if (b < 0) return undefined;
  const e = lines.findIndex((l, i) => i > b && markerMatches(l, end));
  if (e < 0) throw new GgenError('E_GENERATE', `owned region "${name}" in ${path} has a begin marker but no "${end}" marker`, { at, hint: 'restore the end marker (or delete the whole region to have it re-inserted)' });
  return { begin: b, end: e };
}

function markerMatches(line: string, marker: string): boolean {
  const i = line.indexOf(marker);
  if (i < 0) return false;
  const next = line[i + marker.length];
  return next === undefined || !/[A-Za-z0-9_.-]/.test(next);
}

/**
 * Inserts `content` into `existing`. The file's EOL style and final newline are kept. Without a
 * region, content already present is not inserted again; with one, the region is replaced in place.
 * An anchor (before/after) that is not found is an error, never a silent append.
 */
export function injectContent(existing: string, content: string, opts: InjectOptions, where: { path: string; at: SourceLocation }): InjectResult {
  const file = splitLines(existing);
  const piece = splitLines(content, file.eol);
  if (opts.skip_if !== undefined) {
    let re: RegExp;
    try {
      re = compileRustRegex(opts.skip_if); // Rust regex syntax, as 1.x templates write it ((?m), \A, (?P<n>…))
    } catch (err) {
      throw new GgenError('E_FRONTMATTER', `skip_if is not a valid regular expression: ${(err as Error).message}`, { at: where.at });
    }
    if (re.test(existing)) return { changed: false, reason: `skip_if /${opts.skip_if}/ matched` };
  }
  if (opts.region !== undefined) {
    const found = findRegion(file.lines, opts.region, where.at, where.path);
    if (found) {
      const inner = file.lines.slice(found.begin + 1, found.end);
      if (inner.join('\n') === piece.lines.join('\n')) return { changed: false, reason: `region "${opts.region}" is up to date` };
      file.lines.splice(found.begin + 1, found.end - found.begin - 1, ...piece.lines);
      return { changed: true, text: finish(file, opts), reason: `replace region "${opts.region}"` };
    }
    const wrapped = splitLines(wrapRegion(where.path, opts.region, content), file.eol);
    return insertLines(file, wrapped.lines, opts, where, `insert region "${opts.region}"`);
  }
  if (piece.lines.length === 0) return { changed: false, reason: 'nothing to inject (empty content)' };
  if (containsBlock(file.lines, piece.lines)) return { changed: false, reason: 'already injected' };
  return insertLines(file, piece.lines, opts, where, 'inject');
}

function containsBlock(lines: string[], block: string[]): boolean {
  outer: for (let i = 0; i + block.length <= lines.length; i++) {
    for (let j = 0; j < block.length; j++) if (lines[i + j] !== block[j]) continue outer;
    return true;
  }
  return false;
}

function insertLines(file: Lines, piece: string[], opts: InjectOptions, where: { path: string; at: SourceLocation }, what: string): InjectResult {
  const lines = file.lines;
  let index: number;
  let how: string;
  if (opts.prepend) {
    index = 0;
    how = 'at the top';
  } else if (opts.append) {
    index = lines.length;
    how = 'at the end';
  } else if (opts.before !== undefined || opts.after !== undefined) {
    const anchor = (opts.before ?? opts.after)!;
    const found = lines.findIndex((l) => l.includes(anchor));
    if (found < 0) {
      throw new GgenError('E_GENERATE', `injection anchor ${JSON.stringify(anchor)} (${opts.before !== undefined ? 'before' : 'after'}:) not found in ${where.path}`, {
        at: where.at, hint: 'the anchor is a substring of one line of the target file; fix it or the target',
      });
    }
    index = opts.before !== undefined ? found : found + 1;
    how = `${opts.before !== undefined ? 'before' : 'after'} line ${found + 1}`;
  } else if (opts.at_line !== undefined) {
    if (opts.at_line > lines.length + 1) {
      throw new GgenError('E_GENERATE', `at_line ${opts.at_line} is past the end of ${where.path} (${lines.length} lines)`, { at: where.at, hint: `use a line between 1 and ${lines.length + 1}` });
    }
    index = Math.max(0, opts.at_line - 1);
    how = `at line ${Math.max(1, opts.at_line)}`;
  } else {
    index = lines.length;
    how = 'at the end';
  }
  // Appending to a file whose last line has no newline: the old last line must end before ours.
  const appendingToOpenLine = index === lines.length && !file.finalNewline && lines.length > 0;
  lines.splice(index, 0, ...piece);
  if (appendingToOpenLine && opts.eof_last !== true) file.finalNewline = false;
  if (lines.length === piece.length) file.finalNewline = true;
  return { changed: true, text: finish(file, opts), reason: `${what} ${how}` };
}

function finish(file: Lines, opts: InjectOptions): string {
  if (opts.eof_last) file.finalNewline = true;
  return joinLines(file);
}

/**
 * Several contents with the same options (e.g. one per foreach row): an owned region gets them all,
 * concatenated; otherwise the pieces not yet present are inserted together, in row order.
 */
export function injectContents(existing: string, contents: string[], opts: InjectOptions, where: { path: string; at: SourceLocation }): InjectResult {
  if (opts.region !== undefined || contents.length === 1) return injectContent(existing, contents.join(''), opts, where);
  const file = splitLines(existing);
  const missing = contents.filter((c) => {
    const piece = splitLines(c, file.eol).lines;
    return piece.length > 0 && !containsBlock(file.lines, piece);
  });
  if (missing.length === 0) return { changed: false, reason: 'already injected' };
  return injectContent(existing, missing.map((c) => (c.endsWith('\n') ? c : `${c}\n`)).join(''), opts, where);
}
