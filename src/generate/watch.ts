// watchProject: regenerates on change, re-rendering only the templates a changed file affects; survives errors.
import { resolve, sep } from 'node:path';
import type { PlanOptions } from './plan.js';
import { runGeneration, type LockOptions } from './run.js';
import { isShaclGateError } from './shacl-gate.js';

export type WatchEvent =
  | { type: 'ready'; templates: number; watching: number }
  | { type: 'change'; paths: string[]; templates: string[] }
  | { type: 'generated'; written: string[]; unchanged: number; templates: number }
  | { type: 'error'; error: unknown };

export interface WatchOptions {
  /** Re-reads the project (ggen.toml, template discovery) and says which paths to watch. */
  load(): Promise<{ plan: PlanOptions; watch: string[]; ignore: string[] }>;
  debounceMs?: number;
  allowHooks?: boolean;
  writeReceipt?: boolean;
  /** Each write takes the output root's lock like any other run (waits, or with wait: false fails that run). */
  lock?: LockOptions;
  env?: NodeJS.ProcessEnv;
  onEvent(event: WatchEvent): void;
}

export interface ProjectWatcher {
  close(): Promise<void>;
  /** Resolves after the run in progress (if any) finished; for tests and shutdown. */
  idle(): Promise<void>;
}

function templatePath(t: PlanOptions['templates'][number]): string {
  return typeof t === 'string' ? t : t.path;
}

export async function watchProject(opts: WatchOptions): Promise<ProjectWatcher> {
  const { watch } = await import('chokidar');
  let project = await opts.load();
  /** template (absolute) → rdf files it loaded (absolute), from the last run. */
  let rdfOf = new Map<string, string[]>();
  /** SHACL shapes files (ggen.toml `shapes` and frontmatter `shape:`) the last run checked against. */
  const shapeFiles = new Set<string>();

  const run = async (only?: Set<string>): Promise<void> => {
    const root = resolve(project.plan.projectRoot ?? process.cwd());
    const all = project.plan.templates;
    const templates = only === undefined ? all : all.filter((t) => only.has(resolve(root, templatePath(t))));
    if (templates.length === 0) return;
    let generated;
    try {
      generated = await runGeneration({
        ...project.plan, ...opts.lock, templates, mergeReceipt: only !== undefined, allowHooks: opts.allowHooks, writeReceipt: opts.writeReceipt, env: opts.env, purpose: 'ggen project watch',
      });
    } catch (error) {
      // A refused run still says which shapes files to watch: fixing them is the next change.
      if (isShaclGateError(error)) error.shapeFiles.forEach((f) => shapeFiles.add(f));
      throw error;
    }
    const { plan, applied } = generated;
    (plan.shapeFiles ?? []).forEach((f) => shapeFiles.add(f));
    const result = applied!;
    for (const t of plan.receipt.templates) {
      if (t.rdf.length > 0) rdfOf.set(resolve(root, t.path), t.rdf.map((r) => resolve(root, r.path)));
    }
    opts.onEvent({ type: 'generated', written: result.written, unchanged: plan.operations.length - result.written.length, templates: templates.length });
  };

  try {
    await run();
  } catch (error) {
    opts.onEvent({ type: 'error', error });
  }

  const ignored = (path: string) => project.ignore.some((dir) => path === dir || path.startsWith(dir + sep)) || /[\\/](\.ggen|\.git|node_modules)([\\/]|$)/.test(path);
  /** Templates, and the files named as inputs (graph files, ggen.toml, rdf: files); outputs are not. */
  const relevant = (path: string) => path.endsWith('.tmpl') || project.watch.includes(path) || shapeFiles.has(path) || [...rdfOf.values()].some((files) => files.includes(path));
  const watcher = watch(project.watch, { ignoreInitial: true, ignored, awaitWriteFinish: false });
  // rdf: files may live outside the watched directories: watch each one the templates loaded.
  const watchRdfFiles = () => {
    const files = [...new Set([...[...rdfOf.values()].flat(), ...shapeFiles])].filter((f) => !project.watch.includes(f));
    if (files.length > 0) watcher.add(files);
  };
  watchRdfFiles();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const flush = () => {
    const changed = [...pending].sort();
    pending = new Set();
    running = running.then(async () => {
      const root = resolve(project.plan.projectRoot ?? process.cwd());
      const known = new Set(project.plan.templates.map((t) => resolve(root, templatePath(t))));
      const affected = new Set<string>();
      let everything = false;
      for (const path of changed) {
        if (path.endsWith('.tmpl')) {
          if (!known.has(path)) everything = true; // a new template: re-discover
          affected.add(path);
          continue;
        }
        const users = [...rdfOf].filter(([, files]) => files.includes(path)).map(([t]) => t);
        if (users.length > 0) users.forEach((u) => affected.add(u));
        else everything = true; // graph files, ggen.toml: every template may depend on them
      }
      try {
        if (everything) {
          project = await opts.load();
          rdfOf = new Map();
        }
        const names = everything ? ['(all templates)'] : [...affected].map((a) => a.slice(root.length + 1));
        opts.onEvent({ type: 'change', paths: changed.map((c) => (c.startsWith(root + sep) ? c.slice(root.length + 1) : c)), templates: names });
        await run(everything ? undefined : affected);
      } catch (error) {
        opts.onEvent({ type: 'error', error });
      }
      watchRdfFiles();
    });
  };
  const onChange = (path: string) => {
    const abs = resolve(path);
    if (!relevant(abs)) return;
    pending.add(abs);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, opts.debounceMs ?? 200);
  };
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);
  await new Promise<void>((r) => watcher.once('ready', () => r()));
  opts.onEvent({ type: 'ready', templates: project.plan.templates.length, watching: project.watch.length });
  return {
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
      await running;
    },
    idle: () => running,
  };
}
