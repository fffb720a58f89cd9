// Project directories for `ggen project …`: ggen.toml (with file:line:col errors), template discovery, and the
// plan options a project run uses once CLI flags are layered on top.
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { GgenError } from '../errors.js';
import { walkFiles } from '../util/glob.js';
import { readTomlFile, throwIfErrors, type TomlTable } from '../util/toml/index.js';
import type { EndpointOptions } from '../graph/endpoint/index.js';
import { endpointFor, readGraphTable } from './endpoint-config.js';
import type { PlanOptions, TemplateInput } from './plan.js';
import { readPluginConfig } from './plugins.js';

export interface ProjectConfig {
  /** Absolute project directory. */
  dir: string;
  /** Absolute path of ggen.toml, when there is one. */
  configFile?: string;
  templateDirs: string[];
  /** Installed gpack ids (`packs = [...]`) whose templates join the project's, with their presets. */
  packs: string[];
  graphFiles: string[];
  /** SHACL shapes files (`shapes = [...]`), absolute: the project graph must conform before anything renders. */
  shapes: string[];
  vars: Record<string, string>;
  outDir: string;
  prefixes: Record<string, string>;
  baseIri?: string;
  seed?: string;
  /** `[graph] endpoint` and its dataset/auth (url '' when only those are set, for --endpoint). */
  endpoint?: EndpointOptions;
  /** `[plugins] modules`, absolute, in order. */
  plugins: string[];
  /** `file:line:col: message` lines for keys that were ignored. */
  warnings: string[];
}

const KNOWN = ['templates', 'graph', 'shapes', 'output', 'vars', 'prefixes', 'base', 'seed', 'packs'];

/** Reads `<dir>/ggen.toml` when present. Other areas keep their own tables there; only this section is checked. */
export async function loadProjectConfig(dir: string, opts: { cwd?: string } = {}): Promise<ProjectConfig> {
  const abs = resolve(opts.cwd ?? process.cwd(), dir);
  if (!statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
    throw new GgenError('E_USAGE', `not a directory: ${dir}`, { hint: 'project commands take a project directory (with an optional ggen.toml)' });
  }
  const file = join(abs, 'ggen.toml');
  const config: ProjectConfig = { dir: abs, templateDirs: [abs], packs: [], graphFiles: [], shapes: [], vars: {}, outDir: abs, prefixes: {}, plugins: [], warnings: [] };
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return config;
  config.configFile = file;
  const doc = readTomlFile(file, 'ggen.toml');
  const r = doc.reader();
  const inSection = doc.value.generate !== undefined && typeof doc.value.generate === 'object' && doc.value.generate !== null;
  const base: string[] = inSection ? ['generate'] : [];
  const section = (inSection ? doc.value.generate : doc.value) as TomlTable;
  // Tables belong to other areas (market, lifecycle, graph…); unknown scalars here are likely typos.
  const scalars = Object.fromEntries(Object.entries(section).filter(([, v]) => v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date));
  r.unknownKeys(scalars, base, KNOWN, 'ggen.toml');
  const stringOrList = (key: string): string[] => {
    const v = section[key];
    if (typeof v === 'string') return [v];
    return r.stringList(section, base, key, 'for example ["ontology/shop.ttl"]') ?? [];
  };
  const scalarTable = (key: string): Record<string, string> => {
    const t = r.table(section, base, key);
    return t === undefined ? {} : r.scalarMap(t, [...base, key]);
  };
  const templates = stringOrList('templates');
  config.packs = stringOrList('packs');
  if (templates.length > 0) config.templateDirs = templates.map((t) => resolve(abs, t));
  // A project made of packs alone does not scan its own directory for templates.
  else if (config.packs.length > 0 && section.templates === undefined) config.templateDirs = [];
  const graphTable = readGraphTable(section, base, r);
  config.graphFiles = (graphTable ? graphTable.files ?? [] : stringOrList('graph')).map((g) => resolve(abs, g));
  if (graphTable?.endpoint) config.endpoint = graphTable.endpoint;
  config.shapes = stringOrList('shapes').map((g) => resolve(abs, g));
  config.vars = scalarTable('vars');
  config.prefixes = scalarTable('prefixes');
  const output = r.string(section, base, 'output');
  if (output !== undefined) config.outDir = resolve(abs, output);
  const baseIri = r.string(section, base, 'base');
  if (baseIri !== undefined) config.baseIri = baseIri;
  const seed = section.seed;
  if (seed !== undefined) config.seed = typeof seed === 'string' ? seed : String(r.number(section, base, 'seed') ?? '');
  throwIfErrors(r.errors);
  const plugins = readPluginConfig(abs);
  config.plugins = plugins.modules;
  config.warnings.push(...plugins.warnings);
  for (const w of r.warnings) config.warnings.push(`${w.at.file}${w.at.line ? `:${w.at.line}:${w.at.column ?? 1}` : ''}: ${w.message}${w.hint ? `; ${w.hint}` : ''}`);
  return config;
}

/** The nearest directory holding a ggen.toml at or above `dir` (4 levels at most), e.g. a template's project. */
export function findProjectDir(dir: string): string | undefined {
  let current = resolve(dir);
  for (let i = 0; i < 4; i++) {
    if (statSync(join(current, 'ggen.toml'), { throwIfNoEntry: false })?.isFile()) return current;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/** Every `*.tmpl` under the given files/directories, sorted; `exclude` (e.g. the output dir) is not entered. */
export async function findTemplates(paths: string[], exclude: string[] = [], opts: { cwd?: string } = {}): Promise<string[]> {
  const cwd = opts.cwd ?? process.cwd();
  const found = new Set<string>();
  const excludeDirs = new Set(exclude.map((e) => resolve(cwd, e)));
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const info = statSync(abs, { throwIfNoEntry: false });
    if (info === undefined) throw new GgenError('E_IO', 'template not found', { at: { file: p }, hint: 'check the path' });
    if (!info.isDirectory()) {
      found.add(abs);
      continue;
    }
    for (const rel of walkFiles(abs, { excludeDirs })) if (rel.endsWith('.tmpl')) found.add(join(abs, ...rel.split('/')));
  }
  return [...found].sort();
}

/** A path relative to `base` when inside it, with forward slashes. */
export function relativeInside(base: string, file: string): string {
  const rel = relative(base, file);
  return rel.split(sep).join('/');
}

/** The templates of the packs named in ggen.toml, resolved through the project's ggen.lock. */
async function packTemplateInputs(config: ProjectConfig): Promise<TemplateInput[]> {
  if (config.packs.length === 0) return [];
  const { resolvePackReference } = await import('../market/index.js');
  const inputs: TemplateInput[] = [];
  for (const id of config.packs) {
    const pack = await resolvePackReference(id, { projectRoot: config.dir });
    for (const path of pack.templates) inputs.push({ path, label: `${pack.packId}:${relativeInside(pack.dir, path)}`, preset: pack.preset });
  }
  return inputs;
}

/** What a project run takes from the command line, on top of ggen.toml. */
export interface ProjectOverrides {
  graphFiles?: string[];
  /** `--shapes`: added to ggen.toml's `shapes`. */
  shapes?: string[];
  vars?: Record<string, string>;
  outDir?: string;
  compat?: 'ggen1';
  seed?: string;
  baseIri?: string;
  force?: boolean;
  conflicts?: 'fail' | 'markers';
  prune?: boolean;
  strict?: boolean;
  endpoint?: string;
  /** Reuse what did not change (default true); false: `--no-cache`. */
  incremental?: boolean;
  /** `--allow-plugins`: consent to load the project's plugin modules. */
  allowPlugins?: boolean;
  /** false (`--no-validate`): skip the SHACL gate. */
  validate?: boolean;
}

export interface ResolvedProject {
  plan: PlanOptions;
  config: ProjectConfig;
  /** Paths watch mode observes: template directories, graph and shapes files, ggen.toml. */
  watch: string[];
  /** Directories watch mode ignores (the output root, unless the templates live inside it). */
  ignore: string[];
}

/** ggen.toml under the flags: graph files add up, `--var` wins over `[vars]`, `--out` over `output`. */
export async function resolveProject(dir: string, overrides: ProjectOverrides, opts: { cwd?: string } = {}): Promise<ResolvedProject> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const config = await loadProjectConfig(dir, { cwd });
  const outDir = overrides.outDir !== undefined ? resolve(cwd, overrides.outDir) : config.outDir;
  const templates: TemplateInput[] = (await findTemplates(config.templateDirs, [outDir], { cwd })).map((path) => ({ path }));
  const packTemplates = await packTemplateInputs(config);
  templates.push(...packTemplates);
  if (templates.length === 0) {
    const shown = config.templateDirs.map((d) => relative(cwd, d) || '.').join(', ');
    throw new GgenError('E_USAGE', `no templates (*.tmpl) found in ${shown}`, { hint: 'templates are files ending in .tmpl' });
  }
  return {
    plan: {
      templates, cwd, graphFiles: [...config.graphFiles, ...(overrides.graphFiles ?? []).map((g) => resolve(cwd, g))],
      vars: { ...config.vars, ...overrides.vars }, cliVars: overrides.vars, outDir, projectRoot: config.dir,
      compat: overrides.compat, seed: overrides.seed ?? config.seed, baseIri: overrides.baseIri ?? config.baseIri, prefixes: config.prefixes,
      force: overrides.force, conflicts: overrides.conflicts, prune: overrides.prune, strict: overrides.strict, endpoint: endpointFor(overrides.endpoint, config.endpoint),
      incremental: overrides.incremental,
      plugins: config.plugins, allowPlugins: overrides.allowPlugins,
      shapes: [...config.shapes, ...(overrides.shapes ?? []).map((g) => resolve(cwd, g))], validate: overrides.validate,
    },
    config,
    watch: [...config.templateDirs, ...packTemplates.map((t) => t.path), ...config.graphFiles, ...config.shapes, ...config.plugins, ...(config.configFile ? [config.configFile] : [])],
    ignore: config.templateDirs.some((d) => d === outDir || d.startsWith(outDir + sep)) ? [] : [outDir],
  };
}
