// Typed access to a parsed TOML table: each wrong type becomes an issue naming the key, file and line.
import type { SourceLocation } from '../../errors.js';
import { didYouMean } from '../closest.js';
import type { KeyPositions } from './positions.js';

export type TomlTable = Record<string, unknown>;

/** One problem found in a config file, located at the key it concerns. */
export interface ConfigIssue {
  message: string;
  at: SourceLocation;
  hint?: string;
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  if (typeof value === 'bigint') return 'an integer';
  return `a ${typeof value}`;
}

/** Collects errors and warnings while reading a document, each located by its key path. */
export class ConfigReader {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  constructor(
    readonly file: string,
    private readonly positions: KeyPositions,
  ) {}

  at(path: readonly string[]): SourceLocation {
    const pos = this.positions.locate(path);
    return pos ? { file: this.file, line: pos.line, column: pos.column } : { file: this.file };
  }

  error(path: readonly string[], message: string, hint?: string): void {
    this.errors.push({ message, at: this.at(path), hint });
  }

  warn(path: readonly string[], message: string, hint?: string): void {
    this.warnings.push({ message, at: this.at(path), hint });
  }

  private wrongType(path: readonly string[], expected: string, value: unknown, hint?: string): undefined {
    this.error(path, `"${path.join('.')}" must be ${expected}, found ${describeType(value)}`, hint);
    return undefined;
  }

  /** Warns about keys not in `known`, with a did-you-mean; returns nothing. */
  unknownKeys(table: TomlTable, path: readonly string[], known: readonly string[], what: string): void {
    for (const key of Object.keys(table).sort()) {
      if (known.includes(key)) continue;
      this.warn([...path, key], `unknown key "${key}" in ${what} (ignored)`, didYouMean(key, known) ?? `known keys: ${known.join(', ')}`);
    }
  }

  string(table: TomlTable, path: readonly string[], key: string): string | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.wrongType([...path, key], 'a string', value);
    return value;
  }

  boolean(table: TomlTable, path: readonly string[], key: string): boolean | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.wrongType([...path, key], 'true or false', value);
    return value;
  }

  number(table: TomlTable, path: readonly string[], key: string): number | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value !== 'number') return this.wrongType([...path, key], 'a number', value);
    return value;
  }

  stringList(table: TomlTable, path: readonly string[], key: string, hint?: string): string[] | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.wrongType([...path, key], 'an array of strings', value, hint);
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.wrongType([...path, key], `an array of strings (item ${i + 1})`, item);
    });
    return out;
  }

  table(table: TomlTable, path: readonly string[], key: string): TomlTable | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (!isTable(value)) return this.wrongType([...path, key], 'a table', value);
    return value;
  }

  /** A table of string-ish scalars (env vars): numbers and booleans become strings. */
  scalarMap(table: TomlTable, path: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(table)) {
      if (typeof value === 'string') out[name] = value;
      else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out[name] = String(value);
      else this.wrongType([...path, name], 'a string, number or boolean', value);
    }
    return out;
  }
}
