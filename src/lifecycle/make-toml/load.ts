// Reads make.toml: file → TOML (syntax errors with line:col) → model → rules; throws the first error.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GgenError } from '../../errors.js';
import { byPosition, readTomlFile, throwIfErrors, type ConfigReader } from '../../util/toml/index.js';
import type { LoadedMake, MakeToml, Workspace } from '../model.js';
import { normalizeMakeToml } from './normalize.js';
import { checkMakeToml } from './rules.js';

export const MAKE_FILE = 'make.toml';

function readDocument(file: string, root: string): { make: MakeToml; reader: ConfigReader } {
  const doc = readTomlFile(file, 'make.toml');
  const reader = doc.reader();
  const make = normalizeMakeToml(reader, doc.value, { file, root });
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
