// Plugin modules for generation: `[plugins] modules` in ggen.toml, consent (like hooks), hashes for the receipt,
// and loading each module's `filters`, `functions` and `tests` for the template engine.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GgenError, type SourceLocation } from '../errors.js';
import type { TemplatePlugin } from '../template/index.js';
import { sha256Hex } from '../util/hash.js';
import { readTomlFile, throwIfErrors } from '../util/toml/index.js';
import { isProjectTrusted, trustSnippet, userConfigPath } from '../util/user-config.js';

/** One plugin module as the receipt records it: its path (relative to the project root) and the SHA-256 of its file. */
export interface PluginModuleHash {
  module: string;
  sha256: string;
}

export interface PluginConfig {
  /** Absolute module paths, in the order ggen.toml lists them (later modules win on a name clash). */
  modules: string[];
  /** Where `[plugins] modules` was written, for errors. */
  at?: SourceLocation;
  warnings: string[];
}

export interface LoadPluginsOptions {
  /** Paths in messages and the receipt are relative to this; trust is looked up for it. */
  projectRoot: string;
  /** Consent given for this run (`--allow-plugins`). Without it the project must be trusted in the user's config. */
  allowPlugins?: boolean;
  /** Environment for finding the user's config (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedPlugins {
  plugins: TemplatePlugin[];
  hashes: PluginModuleHash[];
}

const KINDS = ['filters', 'functions', 'tests'] as const;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function displayPath(projectRoot: string, file: string): string {
  const rel = relative(projectRoot, file);
  return rel === '' || isAbsolute(rel) ? file.split(sep).join('/') : rel.split(sep).join('/');
}

/** `[plugins] modules = [...]` of `<dir>/ggen.toml` (none when the file or the table is absent). */
export function readPluginConfig(dir: string): PluginConfig {
  const file = join(dir, 'ggen.toml');
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return { modules: [], warnings: [] };
  const doc = readTomlFile(file, 'ggen.toml');
  const r = doc.reader();
  const table = r.table(doc.value, [], 'plugins');
  let modules: string[] = [];
  if (table !== undefined) {
    r.unknownKeys(table, ['plugins'], ['modules'], '[plugins]');
    modules = r.stringList(table, ['plugins'], 'modules', 'for example modules = ["./ggen.plugins.mjs"]') ?? [];
  }
  throwIfErrors(r.errors);
  const warnings = r.warnings.map((w) => `${w.at.file}${w.at.line ? `:${w.at.line}:${w.at.column ?? 1}` : ''}: ${w.message}${w.hint ? `; ${w.hint}` : ''}`);
  return { modules: modules.map((m) => resolve(dir, m)), at: modules.length > 0 ? doc.at(['plugins', 'modules']) : undefined, warnings };
}

/**
 * The receipt's record of the plugin modules: path and SHA-256 of each file, in the given order. Only the module
 * file itself is hashed (not what it imports). Cheap and side-effect free, so it can join an input hash.
 */
export function pluginModuleHashes(modules: readonly string[], projectRoot: string): PluginModuleHash[] {
  return modules.map((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new GgenError('E_PLUGIN', `plugin module not found: ${displayPath(projectRoot, file)}`, {
        at: { file }, hint: `[plugins] modules paths are relative to ggen.toml (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      });
    }
    return { module: displayPath(projectRoot, file), sha256: sha256Hex(bytes) };
  });
}

/** Refuses (E_PLUGIN, naming the module and how to allow it) unless the run has consent or the project is trusted. */
export function assertPluginConsent(modules: readonly string[], opts: LoadPluginsOptions): void {
  if (modules.length === 0 || opts.allowPlugins === true) return;
  const env = opts.env ?? process.env;
  if (isProjectTrusted(opts.projectRoot, env)) return;
  const first = displayPath(opts.projectRoot, modules[0]!);
  const more = modules.length > 1 ? ` (and ${modules.length - 1} more)` : '';
  throw new GgenError('E_PLUGIN', `plugin module ${first}${more} runs project code; plugins load only with consent`, {
    at: { file: modules[0]! },
    hint: `rerun with --allow-plugins, or trust this project: add ${trustSnippet(opts.projectRoot)} to ${userConfigPath(env)}`,
  });
}

function checkExports(name: string, file: string, mod: Record<string, unknown>): TemplatePlugin {
  // Named exports, or one default export holding them.
  const source = KINDS.some((k) => mod[k] !== undefined) ? mod : typeof mod.default === 'object' && mod.default !== null ? (mod.default as Record<string, unknown>) : mod;
  const plugin: TemplatePlugin = { name };
  let found = false;
  for (const kind of KINDS) {
    const value = source[kind];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new GgenError('E_PLUGIN', `plugin ${name}: export "${kind}" must be an object of functions`, { at: { file }, hint: `e.g. export const ${kind} = { my_name(...) { … } }` });
    }
    for (const [key, fn] of Object.entries(value)) {
      if (typeof fn !== 'function') throw new GgenError('E_PLUGIN', `plugin ${name}: ${kind}.${key} is ${fn === null ? 'null' : typeof fn}, not a function`, { at: { file } });
      if (!NAME.test(key)) throw new GgenError('E_PLUGIN', `plugin ${name}: "${key}" is not a name templates can call`, { at: { file }, hint: 'names are letters, digits and _, not starting with a digit' });
    }
    (plugin as unknown as Record<string, unknown>)[kind] = value;
    found = true;
  }
  if (!found) throw new GgenError('E_PLUGIN', `plugin ${name} exports none of filters, functions, tests`, { at: { file }, hint: 'export const filters = { … }; export const functions = { … }; export const tests = { … }' });
  return plugin;
}

/**
 * Loads the modules after the consent check. Each import URL carries the file's hash, so an edited module is
 * loaded afresh (watch) while an unchanged one is not evaluated twice.
 */
export async function loadPlugins(modules: readonly string[], opts: LoadPluginsOptions): Promise<LoadedPlugins> {
  if (modules.length === 0) return { plugins: [], hashes: [] };
  assertPluginConsent(modules, opts);
  const hashes = pluginModuleHashes(modules, opts.projectRoot);
  const plugins: TemplatePlugin[] = [];
  for (const [i, file] of modules.entries()) {
    const { module: name, sha256 } = hashes[i]!;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(`${pathToFileURL(file).href}?sha256=${sha256}`)) as Record<string, unknown>;
    } catch (err) {
      throw new GgenError('E_PLUGIN', `plugin ${name} failed to load: ${(err as Error).message?.split('\n')[0] ?? String(err)}`, { at: { file }, cause: err, hint: 'plugins are ES modules (.mjs, or .js in a "type": "module" package)' });
    }
    plugins.push(checkExports(name, file, mod));
  }
  return { plugins, hashes };
}
