// `ggen init`: scaffold a project that generates and passes its own test at once.
// Order: refuse a non-empty directory (unless force) → check the pack exists and no scaffold path is a directory →
// install the pack → write the scaffold → render once, so `ggen lifecycle run test` (project diff --check) passes
// right away. Nothing is written before the checks pass.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { writeFileAtomic } from '../util/fs.js';
import { INIT_PRESET_NAMES, INIT_PRESETS, scaffoldFiles, type InitPresetName } from './scaffold.js';

export interface InitOptions {
  /** Directory to create or fill (default: the current directory). */
  dir?: string;
  cwd?: string;
  /** One of INIT_PRESET_NAMES; default "default" (TypeScript and Python). */
  preset?: string;
  /** A registry pack whose templates the project uses instead of the preset's. */
  pack?: string;
  /** Allow a non-empty directory. Existing files that differ from the scaffold are kept and reported, never overwritten. */
  force?: boolean;
  /** Skip the first generation (the outputs are then missing until `ggen project gen`). */
  generate?: boolean;
  /** Registries and offline mode for installing the pack (as `ggen market add`). */
  registries?: string[];
  offline?: boolean;
  cacheRoot?: string;
}

export type InitFileStatus = 'created' | 'unchanged' | 'kept';

export interface InitResult {
  dir: string;
  name: string;
  preset?: InitPresetName;
  pack?: { id: string; version: string };
  /** Every scaffold file: created, already identical (unchanged), or existing and different (kept as it was). */
  files: Array<{ path: string; status: InitFileStatus }>;
  /** Output paths written by the first generation, relative to the output root. */
  generated: string[];
  /** The output root of the first generation. */
  outputRoot?: string;
  /** Warnings of the first generation (`file:line:col: message`), e.g. a pack query that matched nothing. */
  warnings: string[];
}

// A fresh `git init` or editor settings do not make a directory a project.
const IGNORED_ENTRIES = new Set(['.git', '.DS_Store']);

function projectName(dir: string): string {
  return basename(dir) || 'project';
}

function presetOf(name: string | undefined): InitPresetName {
  const preset = name ?? 'default';
  if (!(INIT_PRESET_NAMES as string[]).includes(preset)) {
    throw new GgenError('E_USAGE', `unknown preset "${preset}"`, {
      hint: didYouMean(preset, INIT_PRESET_NAMES) ?? `presets: ${INIT_PRESET_NAMES.map((p) => `${p} (${INIT_PRESETS[p as InitPresetName].description})`).join(', ')}; or --pack ID for a registry pack`,
    });
  }
  return preset as InitPresetName;
}

/** The directory's entries that count (refusal lists a few of them). */
function existingEntries(dir: string): string[] {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info === undefined) return [];
  if (!info.isDirectory()) throw new GgenError('E_USAGE', `not a directory: ${dir}`, { hint: 'ggen init takes a directory (created when missing)' });
  return readdirSync(dir).filter((e) => !IGNORED_ENTRIES.has(e)).sort();
}

function readIfFile(file: string): string | undefined {
  const info = statSync(file, { throwIfNoEntry: false });
  if (info === undefined) return undefined;
  if (!info.isFile()) throw new GgenError('E_IO', 'a scaffold path exists and is not a file', { at: { file }, hint: 'move it away, or init another directory' });
  return readFileSync(file, 'utf8');
}

/** Every pack `id` depends on, transitively, through the lock's `dependencies` ("id@range"), sorted. */
function dependencyIds(id: string, locked: Array<{ id: string; dependencies: string[] }>): string[] {
  const byId = new Map(locked.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    for (const dep of byId.get(stack.pop()!)?.dependencies ?? []) {
      const depId = dep.slice(0, dep.lastIndexOf('@'));
      if (!seen.has(depId) && depId !== id) {
        seen.add(depId);
        stack.push(depId);
      }
    }
  }
  return [...seen].sort();
}

export async function initProject(opts: InitOptions = {}): Promise<InitResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const dir = resolve(cwd, opts.dir ?? '.');
  if (opts.pack !== undefined && opts.preset !== undefined) throw new GgenError('E_USAGE', '--preset and --pack cannot be combined', { hint: 'a pack brings its own templates; pick one' });
  const preset = presetOf(opts.preset);
  const entries = existingEntries(dir);
  if (entries.length > 0 && !opts.force) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
    throw new GgenError('E_USAGE', `directory is not empty: ${dir} (${shown})`, { hint: 'init an empty or new directory, or pass --force (existing files are kept and listed, never overwritten)' });
  }
  const market = opts.pack !== undefined ? await import('../market/index.js') : undefined;
  const marketOpts = { projectRoot: dir, registries: opts.registries, offline: opts.offline, cacheRoot: opts.cacheRoot };
  // Before anything is written: an unknown pack leaves the directory as it was.
  if (market !== undefined) await market.packInfo(opts.pack!, marketOpts);

  const name = projectName(dir);
  // A scaffold path that is a directory (or anything but a file) refuses the init before anything is written.
  for (const f of scaffoldFiles({ name, preset, pack: opts.pack })) readIfFile(join(dir, ...f.path.split('/')));
  // Installed before the scaffold is written, so ggen.toml can list the dependencies a starter pack pulls in.
  let packs: string[] | undefined;
  let pack: InitResult['pack'];
  if (market !== undefined) {
    const installed = await market.addPacks([opts.pack!], marketOpts);
    const locked = installed.lock.packs.find((p) => p.id === opts.pack);
    if (locked) pack = { id: locked.id, version: locked.version };
    packs = [opts.pack!, ...dependencyIds(opts.pack!, installed.lock.packs)];
  }

  const result: InitResult = { dir, name, files: [], generated: [], warnings: [], ...(opts.pack === undefined ? { preset } : {}) };
  if (pack) result.pack = pack;
  const files = scaffoldFiles({ name, preset, pack: opts.pack, packs });
  const decided = files.map((f) => {
    const target = join(dir, ...f.path.split('/'));
    const existing = readIfFile(target);
    const status: InitFileStatus = existing === undefined ? 'created' : existing === f.content ? 'unchanged' : 'kept';
    return { ...f, target, status };
  });
  for (const f of decided) {
    if (f.status === 'created') {
      mkdirSync(dirname(f.target), { recursive: true });
      await writeFileAtomic(f.target, f.content);
    }
    result.files.push({ path: f.path, status: f.status });
  }

  if (opts.generate !== false) {
    const { resolveProject, runGeneration } = await import('../generate/index.js');
    const project = await resolveProject(dir, {}, { cwd: dir });
    const run = await runGeneration({ ...project.plan, writeReceipt: true });
    result.outputRoot = run.plan.root;
    result.generated = run.applied?.written ?? [];
    result.warnings = run.plan.warnings.map((w) => `${w.at.file}${w.at.line === undefined ? '' : `:${w.at.line}:${w.at.column ?? 1}`}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`);
  }
  return result;
}
