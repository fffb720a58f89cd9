// What completes the value of a flag or an argument, where commander's `.choices()` does not already say.
// Each entry names a command path (a prefix: "graph" covers every graph command) and a flag or argument that must
// exist in the tree (test/cli/completion.test.ts checks it). Fixed sets come from the constants the commands
// validate against; dynamic ones (phases, packs) are read cheaply from the project, never from the network.
import type { Argument, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CompletionContext {
  /** The directory the command would run in (`-C DIR` applied). */
  cwd: string;
  /** The value given so far for a flag, by long name (`--root`). */
  option(name: string): string | undefined;
  /** The command path, e.g. "lifecycle run". */
  path: string;
}

export interface ValueSpec {
  values?: (ctx: CompletionContext) => Promise<Array<{ value: string; description?: string }>>;
  /** The shell adds file names (only these extensions, when given). */
  files?: boolean | string[];
  dirs?: boolean;
}

interface Entry extends ValueSpec {
  path: string;
  flag?: string;
  arg?: string;
}

const plain = (list: readonly string[]) => async () => list.map((value) => ({ value }));

/** Packs locked in the project's ggen.lock (cheap: one TOML file; nothing when there is none). */
async function installedPacks(ctx: CompletionContext) {
  const { readGgenLock } = await import('../../market/index.js');
  const lock = await readGgenLock(ctx.cwd).catch(() => undefined);
  return (lock?.packs ?? []).map((p) => ({ value: p.id, description: `${p.version}${p.requested ? '' : ' (dependency)'}` }));
}

/** Packs of the registry bundled with ggen (offline; configured remote registries are not fetched for a TAB). */
async function bundledPacks() {
  const { bundledRegistryDir } = await import('../../market/index.js');
  try {
    const index = JSON.parse(readFileSync(join(bundledRegistryDir(), 'index.json'), 'utf8')) as { packs?: Record<string, { description?: string }> };
    return Object.entries(index.packs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, p]) => ({ value, description: p.description }));
  } catch {
    return [];
  }
}

/** Phases (or environments) of make.toml under `--root` (default: the current directory). */
async function makeToml(ctx: CompletionContext) {
  const { loadMakeToml } = await import('../../lifecycle/index.js');
  try {
    return loadMakeToml({ root: join(ctx.cwd, ctx.option('--root') ?? '.') }).make;
  } catch {
    return undefined;
  }
}

async function phases(ctx: CompletionContext) {
  return Object.values((await makeToml(ctx))?.phases ?? {}).sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => ({ value: p.name, description: p.description }));
}

const TEMPLATE_FILES = ['.tmpl'];

const ENTRIES: Entry[] = [
  { path: 'completion', arg: 'shell' }, // choices on the argument
  { path: 'gen', arg: 'template', files: TEMPLATE_FILES },
  { path: 'gen', flag: '--conflicts', values: async () => (await import('../generate.js')).CONFLICT_MODES.map((value) => ({ value })) },
  { path: 'project', flag: '--conflicts', values: async () => (await import('../generate.js')).CONFLICT_MODES.map((value) => ({ value })) },
  { path: 'gen', flag: '--compat', values: async () => (await import('../generate.js')).COMPAT_MODES.map((value) => ({ value })) },
  { path: 'project', flag: '--compat', values: async () => (await import('../generate.js')).COMPAT_MODES.map((value) => ({ value })) },
  { path: 'project', flag: '--out', dirs: true },
  { path: 'gen', flag: '--out', dirs: true },
  { path: 'gen', flag: '--graph', files: true },
  { path: 'project', flag: '--graph', files: true },
  { path: 'project gen', arg: 'dir', dirs: true, values: installedPacks },
  { path: 'project plan', arg: 'dir', dirs: true, values: installedPacks },
  { path: 'project diff', arg: 'dir', dirs: true, values: installedPacks },
  { path: 'project apply', arg: 'plan', files: ['.json'] },
  { path: 'graph', flag: '--input-format', values: async () => plain((await import('../../graph/index.js')).RDF_FORMATS)() },
  { path: 'graph export', flag: '--to', values: async () => {
    const { EXPORT_TARGETS } = await import('../graph.js');
    const { RDF_FORMATS } = await import('../../graph/index.js');
    return [...Object.keys(EXPORT_TARGETS), ...RDF_FORMATS].map((value) => ({ value }));
  } },
  { path: 'graph validate', flag: '--shapes', files: true },
  { path: 'template render', arg: 'file', files: ['.tmpl', '.tera'] },
  { path: 'template show', arg: 'file', files: TEMPLATE_FILES },
  { path: 'template lint', arg: 'files', files: TEMPLATE_FILES },
  { path: 'template new', flag: '--type', values: async () => plain((await import('../../generate/index.js')).TEMPLATE_KINDS)() },
  { path: 'template new', flag: '--dir', dirs: true },
  { path: 'market search', flag: '--sort', values: async () => plain((await import('../../market/index.js')).SEARCH_SORTS)() },
  { path: 'market search', flag: '--order', values: async () => (await import('../market.js')).SEARCH_ORDERS.map((value) => ({ value })) },
  { path: 'market add', arg: 'gpack', values: bundledPacks },
  { path: 'market install', arg: 'gpack', values: bundledPacks },
  { path: 'market remove', arg: 'gpack', values: installedPacks },
  { path: 'market update', arg: 'gpack', values: installedPacks },
  { path: 'market info', arg: 'gpack', values: async (ctx) => [...(await installedPacks(ctx)), ...(await bundledPacks())] },
  { path: 'market test', arg: 'gpack', values: installedPacks },
  { path: 'market pack', arg: 'dir', dirs: true },
  { path: 'market publish', arg: 'dir', dirs: true },
  { path: 'market serve', arg: 'dir', dirs: true },
  { path: 'init', arg: 'dir', dirs: true },
  { path: 'init', flag: '--pack', values: bundledPacks },
  { path: 'lifecycle', flag: '--root', dirs: true },
  { path: 'lifecycle run', arg: 'phases', values: phases },
  { path: 'lifecycle pipeline', arg: 'phases', values: phases },
  { path: 'lifecycle show', arg: 'phase', values: phases },
  { path: 'lifecycle', flag: '--env', values: async (ctx) => Object.keys((await makeToml(ctx))?.envSets ?? {}).sort().map((value) => ({ value })) },
  { path: 'lifecycle readiness-update', arg: 'status', values: async () => (await import('../lifecycle.js')).READINESS_STATUSES.map((value) => ({ value })) },
  { path: 'cleanroom', arg: 'files', files: ['.toml'] },
];

export const COMPLETION_ENTRIES: ReadonlyArray<Readonly<Entry>> = ENTRIES;

const covers = (entryPath: string, path: string) => path === entryPath || path.startsWith(`${entryPath} `);

export function specForOption(path: string, option: Option): ValueSpec | undefined {
  return ENTRIES.find((e) => e.flag !== undefined && (e.flag === option.long || e.flag === option.short) && covers(e.path, path));
}

export function specForArgument(path: string, arg: Argument): ValueSpec | undefined {
  return ENTRIES.find((e) => e.arg === arg.name() && covers(e.path, path));
}
