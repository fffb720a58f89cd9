// Reads make.toml: file → TOML (syntax errors with line:col) → model → rules; throws the first error.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { formatLocation, GgenError } from '../../errors.js';
import { readTextFileSync } from '../../util/fs.js';
import type { ConfigIssue, LoadedMake, MakeToml, Workspace } from '../model.js';
import { normalizeMakeToml } from './normalize.js';
import { KeyPositions } from './positions.js';
import { ConfigReader, type TomlTable } from './reader.js';
import { checkMakeToml } from './rules.js';

export const MAKE_FILE = 'make.toml';

function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new GgenError('E_CONFIG', `invalid TOML: ${first}`, { at: { file, line: err.line, column: err.column }, detail: err.codeblock.replace(/\n+$/, ''), hint: 'fix the TOML syntax at the marked position', cause: err });
    }
    throw err;
  }
}

/** Issues in file order, so the first one printed is the first one in the file. */
function byPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.at.file.localeCompare(b.at.file) || (a.at.line ?? 0) - (b.at.line ?? 0) || (a.at.column ?? 0) - (b.at.column ?? 0));
}

function throwIfErrors(errors: ConfigIssue[]): void {
  const first = errors[0];
  if (!first) return;
  const rest = errors.slice(1).map((e) => `  ${formatLocation(e.at)}: ${e.message}`);
  throw new GgenError('E_CONFIG', first.message, { at: first.at, hint: first.hint, detail: rest.length ? `${rest.length} more problem(s):\n${rest.join('\n')}` : undefined });
}

function readDocument(file: string, root: string): { make: MakeToml; reader: ConfigReader } {
  const text = readTextFileSync(file, { what: 'make.toml', allowEmpty: true });
  const doc = parseToml(text, file);
  const reader = new ConfigReader(file, new KeyPositions(text));
  const make = normalizeMakeToml(reader, doc, { file, root });
  return { make, reader };
}

export interface LoadMakeOptions {
  /** Project root (default: the current directory). make.toml is read from here. */
  root?: string;
}

/** Loads `<root>/make.toml`, throwing a located GgenError for syntax, type and rule errors. */
export function loadMakeToml(opts: LoadMakeOptions = {}): LoadedMake {
  const root = resolve(opts.root ?? '.');
  const file = join(root, MAKE_FILE);
  if (!existsSync(file)) {
    throw new GgenError('E_CONFIG', `no make.toml found in ${root}`, { hint: 'create make.toml with a [project] table and [lifecycle.PHASE] tables, or pass --root DIR (see docs/lifecycle.md)' });
  }
  const { make, reader } = readDocument(file, root);
  const checked = checkMakeToml(make);
  throwIfErrors([...reader.errors, ...checked.errors]);
  return { make, warnings: byPosition([...reader.warnings, ...checked.warnings]) };
}

/** The config a workspace runs with: its own make.toml (if any) layered over the root one. */
export function loadWorkspaceMake(rootMake: MakeToml, ws: Workspace): LoadedMake {
  const dir = resolve(rootMake.root, ws.path);
  const file = join(dir, MAKE_FILE);
  if (!existsSync(file)) return { make: { ...rootMake, root: dir, workspaces: {} }, warnings: [] };
  const { make: own, reader } = readDocument(file, dir);
  const envSets = { ...rootMake.envSets };
  for (const [name, vars] of Object.entries(own.envSets)) envSets[name] = { ...envSets[name], ...vars };
  const merged: MakeToml = {
    ...rootMake,
    file,
    root: dir,
    phases: { ...rootMake.phases, ...own.phases },
    hooks: { ...rootMake.hooks, ...own.hooks },
    hookAt: { ...rootMake.hookAt, ...own.hookAt },
    workspaces: {},
    env: { ...rootMake.env, ...own.env },
    envSets,
  };
  const checked = checkMakeToml(merged);
  throwIfErrors([...reader.errors, ...checked.errors]);
  return { make: merged, warnings: byPosition([...reader.warnings, ...checked.warnings]) };
}
