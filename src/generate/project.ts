// Project directories for `ggen project …`: the optional ggen.toml (graph files, vars, output dir) and template discovery.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { readTextFile } from '../util/fs.js';

export interface ProjectConfig {
  /** Absolute project directory. */
  dir: string;
  /** Absolute path of ggen.toml, when there is one. */
  configFile?: string;
  templateDirs: string[];
  graphFiles: string[];
  vars: Record<string, string>;
  outDir: string;
  prefixes: Record<string, string>;
  baseIri?: string;
  seed?: string;
  warnings: string[];
}

const KNOWN = ['templates', 'graph', 'output', 'vars', 'prefixes', 'base', 'seed'];

/** Other areas keep their own tables in ggen.toml; only non-table keys are checked here. */
export async function loadProjectConfig(dir: string): Promise<ProjectConfig> {
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => undefined);
  if (!info?.isDirectory()) throw new GgenError('E_USAGE', `not a directory: ${dir}`, { hint: 'project commands take a project directory (with an optional ggen.toml)' });
  const file = join(abs, 'ggen.toml');
  const config: ProjectConfig = { dir: abs, templateDirs: [abs], graphFiles: [], vars: {}, outDir: abs, prefixes: {}, warnings: [] };
  const exists = await stat(file).then((s) => s.isFile(), () => false);
  if (!exists) return config;
  config.configFile = file;
  const text = await readTextFile(file, { what: 'ggen.toml', allowEmpty: true });
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; column?: number; message: string };
    throw new GgenError('E_CONFIG', `invalid TOML: ${e.message.split('\n')[0]}`, { at: { file, line: e.line, column: e.column } });
  }
  const section = (raw.generate !== null && typeof raw.generate === 'object' ? raw.generate : raw) as Record<string, unknown>;
  const fail = (key: string, what: string): never => {
    throw new GgenError('E_CONFIG', `ggen.toml: "${key}" must be ${what}`, { at: { file } });
  };
  const strings = (key: string): string[] => {
    const v = section[key];
    if (v === undefined) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    return fail(key, 'a string or a list of strings');
  };
  const table = (key: string): Record<string, string> => {
    const v = section[key];
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(key, 'a table');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : String(x)]));
  };
  for (const key of Object.keys(section)) {
    const value = section[key];
    if (!KNOWN.includes(key) && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      config.warnings.push(`ggen.toml: unknown key "${key}" (ignored)${(h => (h ? `; ${h}` : ''))(didYouMean(key, KNOWN))}`);
    }
  }
  const templates = strings('templates');
  if (templates.length > 0) config.templateDirs = templates.map((t) => resolve(abs, t));
  config.graphFiles = strings('graph').map((g) => resolve(abs, g));
  config.vars = table('vars');
  config.prefixes = table('prefixes');
  if (section.output !== undefined) {
    if (typeof section.output !== 'string') fail('output', 'a directory path');
    config.outDir = resolve(abs, section.output as string);
  }
  if (section.base !== undefined) config.baseIri = String(section.base);
  if (section.seed !== undefined) config.seed = String(section.seed);
  return config;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.ggen']);

/** Every `*.tmpl` under the given files/directories, sorted; `exclude` (e.g. the output dir) is not entered. */
export async function findTemplates(paths: string[], exclude: string[] = []): Promise<string[]> {
  const found = new Set<string>();
  const excluded = new Set(exclude.map((e) => resolve(e)));
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !excluded.has(full)) await walk(full);
      } else if (entry.name.endsWith('.tmpl') && (entry.isFile() || entry.isSymbolicLink())) {
        found.add(full);
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) throw new GgenError('E_IO', 'template not found', { at: { file: p }, hint: 'check the path' });
    if (info.isDirectory()) await walk(abs);
    else found.add(abs);
  }
  return [...found].sort();
}

/** A path relative to `base` when inside it, with forward slashes. */
export function relativeInside(base: string, file: string): string {
  const rel = relative(base, file);
  return rel.split(sep).join('/');
}
