// Reading a TOML config file: syntax errors with file:line:col and a marked excerpt, key positions for later errors.
import { parse, TomlError } from 'smol-toml';
import { formatLocation, GgenError, type ErrorCode, type SourceLocation } from '../../errors.js';
import { readTextFileSync } from '../fs.js';
import { KeyPositions } from './positions.js';
import { ConfigReader, type ConfigIssue, type TomlTable } from './reader.js';

export interface TomlSyntaxOptions {
  /** Error code for a syntax error (E_CONFIG by default; E_PACK for gpack.toml, E_LOCKFILE for ggen.lock). */
  code?: ErrorCode;
  /** Message before the parser's reason, e.g. "gpack.toml is not valid TOML" (default "invalid TOML"). */
  message?: string;
  hint?: string;
}

/** A parsed TOML document that can say where each key was written. */
export interface TomlDocument {
  file: string;
  value: TomlTable;
  positions: KeyPositions;
  /** `file:line:col` of a key path (or its nearest written ancestor). */
  at(path: readonly string[]): SourceLocation;
  /** A typed reader over the document that collects located errors and warnings. */
  reader(): ConfigReader;
}

/** Parses TOML text; a syntax error throws a located GgenError (one line, excerpt as detail). */
export function parseTomlText(text: string, file: string, opts: TomlSyntaxOptions = {}): TomlDocument {
  let value: TomlTable;
  try {
    value = parse(text) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new GgenError(opts.code ?? 'E_CONFIG', `${opts.message ?? 'invalid TOML'}: ${reason}`, {
        at: { file, line: err.line, column: err.column },
        detail: err.codeblock.replace(/\n+$/, ''),
        hint: opts.hint ?? 'fix the TOML syntax at the marked position',
        cause: err,
      });
    }
    throw err;
  }
  const positions = new KeyPositions(text);
  const at = (path: readonly string[]): SourceLocation => {
    const pos = positions.locate(path);
    return pos ? { file, line: pos.line, column: pos.column } : { file };
  };
  return { file, value, positions, at, reader: () => new ConfigReader(file, positions) };
}

/** Reads and parses a TOML file (`what` names it in I/O errors). */
export function readTomlFile(file: string, what: string, opts: TomlSyntaxOptions = {}): TomlDocument {
  return parseTomlText(readTextFileSync(file, { what, allowEmpty: true }), file, opts);
}

/** Issues in file order, so the first one printed is the first one in the file. */
export function byPosition(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.at.file.localeCompare(b.at.file) || (a.at.line ?? 0) - (b.at.line ?? 0) || (a.at.column ?? 0) - (b.at.column ?? 0));
}

/** Throws the first error (located, with the others listed under it); does nothing when there are none. */
export function throwIfErrors(errors: readonly ConfigIssue[], code: ErrorCode = 'E_CONFIG'): void {
  const first = errors[0];
  if (!first) return;
  const rest = errors.slice(1).map((e) => `  ${formatLocation(e.at)}: ${e.message}`);
  throw new GgenError(code, first.message, { at: first.at, hint: first.hint, detail: rest.length ? `${rest.length} more problem(s):\n${rest.join('\n')}` : undefined });
}
