// planGeneration: load → render (pure) → read the disk once → decide (pure). Writes nothing.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { EndpointOptions } from '../graph/endpoint/index.js';
import { GgenError } from '../errors.js';
import { graphContentHash } from '../graph/content-hash.js';
import type { Graph } from '../graph/index.js';
import { hashGraphOffThread } from '../graph/hash-off-thread.js';
import type { FrontmatterWarning } from '../template/index.js';
import { sha256Hex } from '../util/hash.js';
import { keepHeapNearLive, LARGE_RUN_OUTPUTS } from '../util/heap.js';
import { decideHooks, decideOperations, type DiskEntry, type OutputRender, type PlannedHook, type PlannedOperation } from './decide.js';
import { readDiskState } from './disk.js';
import { createEngineFactory } from './engine.js';
import { hashOutsideFrozen } from './freeze.js';
import { FileHashes, graphKey, statClean, ReadRecorder, readInputsRecord, readsUnchanged, templateFingerprint, unionReads, type InputsRecord, type TemplateInputs } from './inputs.js';
import { loadTemplate, type LoadedTemplate } from './load-template.js';
import { readObject } from './objects.js';
import { loadPlugins } from './plugins.js';
import { GraphCache } from './queries.js';
import { QueryCache } from './query-cache.js';
import { cmp, readReceiptFile, type Receipt, type ReceiptOutput } from './receipt.js';
import { renderTemplate, templateGraphInputs, type RenderedOutput } from './render-template.js';
import { runShaclGate, type ShaclGateReport } from './shacl-gate.js';
import { assertStateDirSafe, resolveOutputRoot } from './state-dir.js';

export { resolveOutputRoot } from './state-dir.js';

export type { OperationKind, PlannedHook, PlannedOperation } from './decide.js';

export interface TemplateInput {
  path: string;
  /** Shown in messages and receipts instead of the path (e.g. `pack-id:templates/x.tmpl`). */
  label?: string;
  preset?: { vars: Record<string, string>; graphFiles: string[] };
}

export interface PlanOptions {
  templates: Array<string | TemplateInput>;
  graphFiles?: string[];
  /** CLI/project vars; they override frontmatter `vars` defaults. */
  vars?: Record<string, string>;
  /** The part of `vars` given on the command line, recorded in the receipt for verify. */
  cliVars?: Record<string, string>;
  /** Output root: every `to:` resolves inside it. */
  outDir: string;
  /** Relative paths resolve against this (default: the process's working directory, read once here). */
  cwd?: string;
  /** Paths in messages and receipts are relative to this (default: `cwd`). */
  projectRoot?: string;
  force?: boolean;
  /** What a merge conflict does: refuse the run (default) or write conflict markers. */
  conflicts?: 'fail' | 'markers';
  /** Delete outputs that are no longer generated (unless edited by hand, or with force). */
  prune?: boolean;
  compat?: 'ggen1';
  seed?: string;
  baseIri?: string;
  prefixes?: Record<string, string>;
  /** Send templates' queries to this SPARQL endpoint; graph files are then not loaded. */
  endpoint?: EndpointOptions;
  /**
   * A partial run (`gen` of some templates, watch): receipt entries of other templates are kept, and only
   * the outputs of the templates rendered here can become orphans.
   */
  mergeReceipt?: boolean;
  /** Hash the graph for the receipt (default true); skipped when no receipt will be written. */
  hashGraph?: boolean;
  /** Report files the run would refuse (as skips) instead of failing: for diff and verify. */
  refusals?: 'throw' | 'report';
  /** A query that returns no rows fails the run instead of warning. */
  strict?: boolean;
  /**
   * Reuse the outputs of templates whose inputs (recorded in the receipt) did not change, without rendering them,
   * and the graph hash when its files did not change (default true; false renders everything: `--no-cache`).
   */
  incremental?: boolean;
  /** Where get_env reads (default process.env); also what reused templates are checked against. */
  env?: NodeJS.ProcessEnv;
  /** Store new query results in `.ggen/cache` (runs that write, under the root's lock); others only read it. */
  writeCache?: boolean;
  /**
   * Progress in outputs (a 919-row foreach is 919 steps): the total grows as each template's row count becomes
   * known; templates not yet rendered count as one output each.
   */
  onProgress?: (done: number, total: number, template: string) => void;
  /** Plugin modules (absolute, or relative to projectRoot): filters, functions and tests for every template. */
  plugins?: string[];
  /** Consent to run the plugin modules; without it they load only for a project the user's config trusts. */
  allowPlugins?: boolean;
  /** SHACL shapes files (absolute, or relative to projectRoot) the project graph must conform to before anything renders. */
  shapes?: string[];
  /** false (`--no-validate`): skip the SHACL gate (ggen.toml `shapes` and frontmatter `shape:`). */
  validate?: boolean;
}

export interface GenerationPlan {
  version: 1;
  /** Absolute output root. */
  root: string;
  /** Absolute project root (hooks run here). */
  projectRoot: string;
  operations: PlannedOperation[];
  hooks: PlannedHook[];
  warnings: FrontmatterWarning[];
  /** Written to `<root>/.ggen/receipt.json` by applyPlan when asked. */
  receipt: Receipt;
  /** What the next run may reuse; written beside the receipt after a successful apply (see inputs.ts). */
  inputs?: InputsRecord;
  /** Templates rendered and reused (inputs unchanged) in this plan, and whether the project graph was parsed. */
  stats?: { rendered: string[]; reused: string[]; graphParsed: boolean; shacl?: { validated: number; skipped: number } };
  /** SHACL results that did not refuse the run (warnings, infos, custom severities) of the graphs validated now. */
  shacl?: ShaclGateReport[];
  /** Every SHACL shapes file the run checked against, absolute (watch observes them). */
  shapeFiles?: string[];
  /** New query results, stored in `.ggen/cache` only once the plan is applied (not part of a saved plan). */
  queryCache?: QueryCache;
  /** When planning started (ms since the epoch): outputs modified since are not taken as verified. */
  startedAt?: number;
  /** Every file the plan read (templates, graphs, shapes, partials…), absolute, with its hash (see settled.ts). */
  inputFiles?: Array<[string, string | null]>;
  /** Outputs found as ggen wrote them by their recorded stats, with those stats (a file not written keeps them). */
  checkedStats?: Record<string, [number, number, number]>;
}

/** A path relative to the project root, with forward slashes (`../x` outside it), so receipts travel between machines. */
function displayPath(projectRoot: string, file: string): string {
  const rel = relative(projectRoot, file);
  if (rel === '' || isAbsolute(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}

export async function planGeneration(opts: PlanOptions): Promise<GenerationPlan> {
  const startedAt = Date.now();
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectRoot = resolve(cwd, opts.projectRoot ?? '.');
  const root = resolveOutputRoot(projectRoot, opts.outDir);
  assertStateDirSafe(root);
  const vars = opts.vars ?? {};
  const seed = opts.seed ?? '0';
  const graphFiles = opts.endpoint ? [] : [...new Set((opts.graphFiles ?? []).map((f) => resolve(projectRoot, f)))].sort();
  // The receipt's graph hash, when it is needed, starts (off this thread) as soon as the project graph is loaded.
  let hashWanted = false;
  let pendingHash: (() => Promise<string>) | undefined;
  const startHash = (graph: Graph) => { if (hashWanted) pendingHash ??= hashGraphOffThread(graph); };
  const graphs = new GraphCache({ files: graphFiles, baseIri: opts.baseIri, prefixes: opts.prefixes, endpoint: opts.endpoint, onBaseLoaded: startHash });
  // A run from an endpoint is bound by the network, and is where foreach runs over 100k rows happen: its heap is
  // kept near the live size from the start (any other run from LARGE_RUN_OUTPUTS outputs on).
  if (opts.endpoint !== undefined) keepHeapNearLive();
  // Nothing is reused from an endpoint run: the store can change without any file ggen hashes changing.
  const incremental = opts.endpoint === undefined && opts.incremental !== false;
  // Plugins load (after the consent check) before anything renders, so a refusal renders nothing.
  const plugins = await loadPlugins((opts.plugins ?? []).map((m) => resolve(projectRoot, m)), { projectRoot, allowPlugins: opts.allowPlugins });
  const reads = new ReadRecorder();
  const engineFor = createEngineFactory({ plugins: plugins.plugins, onRead: reads.onRead, env: opts.env });
  const hashes = new FileHashes();
  // A recorded input's hash: read once per run; an input that cannot be read fails the run here.
  const fileHash = async (file: string): Promise<string> => (await hashes.of(file)) ?? sha256Hex(await readFile(file));
  const receiptFile = await readReceiptFile(root);
  const previous = receiptFile?.receipt;
  const queryCache = incremental ? { cache: new QueryCache(root, { writable: opts.writeCache === true, env: opts.env }), hashOf: (f: string) => hashes.of(f) } : undefined;

  // Inputs sorted by path and de-duplicated: the order they were given in must not matter.
  const inputs = new Map<string, TemplateInput>();
  for (const input of opts.templates) {
    const t = typeof input === 'string' ? { path: input } : input;
    inputs.set(resolve(projectRoot, t.path), t);
  }
  const templates: Array<{ loaded: LoadedTemplate; input: TemplateInput }> = [];
  for (const file of [...inputs.keys()].sort()) {
    const input = inputs.get(file)!;
    templates.push({ loaded: await loadTemplate(file, input.label ?? displayPath(projectRoot, file), { compat: opts.compat }), input });
  }

  const projectGraphFiles = await Promise.all(graphFiles.map(async (f) => ({ path: displayPath(projectRoot, f), hash: await hashes.of(f) })));
  const previousInputs = incremental && receiptFile !== undefined ? readInputsRecord(root, receiptFile.text, opts.env) : undefined;
  // The SHACL gate, before anything renders: a violation refuses the run here, with nothing rendered or written.
  // The gate validates graphs ggen loads; an endpoint's data is not loaded, so a configured gate cannot pass.
  if (opts.endpoint !== undefined && opts.validate !== false && ((opts.shapes?.length ?? 0) > 0 || templates.some(({ loaded }) => loaded.frontmatter.shape.length > 0))) {
    throw new GgenError('E_USAGE', 'the SHACL gate (shapes / shape:) validates graphs ggen loads, and with --endpoint the data stays in the store', { hint: 'validate in the store, then generate with --no-validate' });
  }
  const gate = await runShaclGate({
    validate: opts.validate !== false, projectShapes: (opts.shapes ?? []).map((f) => resolve(projectRoot, f)), graphs, hashes, baseIri: opts.baseIri,
    passedBefore: previousInputs?.shacl ?? [], displayPath: (f) => displayPath(projectRoot, f),
    templates: templates.map(({ loaded, input }) => ({
      loaded,
      extras: async () => {
        const g = await templateGraphInputs(loaded, { engine: engineFor(projectRoot, loaded.frontmatter.seed ?? seed), vars, presetVars: input.preset?.vars });
        return { files: [...(input.preset?.graphFiles ?? []), ...g.rdfFiles], inline: g.inline };
      },
    })),
  });
  const fingerprintOf = async (loaded: LoadedTemplate, input: TemplateInput, rdf: string[]): Promise<string> => {
    const extra = await Promise.all([...(input.preset?.graphFiles ?? []), ...rdf].map(async (f) => ({ path: displayPath(projectRoot, f), hash: await hashes.of(f) })));
    const parts: TemplateInputs = {
      template: { label: loaded.display, hash: loaded.hash }, vars, presetVars: input.preset?.vars, seed, compat: opts.compat,
      baseIri: opts.baseIri, prefixes: opts.prefixes, graphFiles: [...projectGraphFiles, ...extra], plugins: plugins.hashes,
      shapes: gate.shapesOf(loaded.display),
    };
    return templateFingerprint(parts);
  };
  // Every file the run read: the templates and whatever was hashed (graphs, shapes, rdf:, partials, from:).
  const inputFiles = async (): Promise<Array<[string, string | null]>> => {
    const files = new Map<string, string | null>(await hashes.entries());
    for (const { loaded } of templates) files.set(loaded.file, loaded.hash);
    return [...files.entries()].sort((a, b) => cmp(a[0], b[0]));
  };
  // The project graph's content key: its hash is reused under it instead of parsing (a no-op run parses nothing).
  const key = graphKey(projectGraphFiles, opts.baseIri, gate.projectShapes);
  // Reuse needs the previous run's reads (partials, from:, env) unchanged; then each template is checked on its own.
  const mayReuse = previousInputs !== undefined && await readsUnchanged(previousInputs.reads, projectRoot, hashes, opts.env);
  // The graph hash the receipt needs, unless its files are unchanged.
  const hashReused = previousInputs?.graph?.key === key && previous?.graph.hash === previousInputs.graph.hash;
  hashWanted = opts.hashGraph !== false && opts.endpoint === undefined && graphFiles.length > 0 && !hashReused;
  void graphs.loadedBase()?.then(startHash, () => undefined);
  // Outputs the last run recorded that are still as ggen wrote them, by their stats (not read); the others are
  // read now: an unedited one is its own pure render, no object needed.
  const clean = mayReuse ? statClean(root, previous!.outputs, previousInputs!.stats) : new Set<string>();
  const diskBefore = mayReuse ? readDiskState(root, previous!.outputs.map((o) => o.path).filter((p) => !clean.has(p)), () => ({ file: '.ggen/receipt.json' })) : new Map<string, DiskEntry>();
  const settled: ReceiptOutput[] = [];
  const settledBy = new Map<string, { loaded: LoadedTemplate }>();

  // Render: pure, template by template; each render gets its own helpers (no shared scope).
  const rendered: RenderedOutput[] = [];
  const templateEntries: Receipt['templates'] = [];
  const warnings: FrontmatterWarning[] = [];
  const reused: string[] = [];
  const fingerprints = new Map<string, string>();
  let done = 0;
  let known = 0;
  let remaining = templates.length;
  for (const { loaded, input } of templates) {
    warnings.push(...loaded.warnings);
    // A streamed foreach renders before its count is known: the total is never below what is done.
    const progress = () => opts.onProgress?.(done, Math.max(done, known + remaining), loaded.display);
    const entryBefore = mayReuse ? previous!.templates.find((t) => t.path === loaded.display) : undefined;
    const fingerprintBefore = previousInputs?.templates[loaded.display];
    if (entryBefore !== undefined && fingerprintBefore !== undefined && loaded.warnings.length === 0) {
      const rdfBefore = entryBefore.rdf.map((r) => resolve(projectRoot, r.path)).filter((f) => !(input.preset?.graphFiles ?? []).includes(f));
      const fingerprint = await fingerprintOf(loaded, input, rdfBefore);
      // Files as ggen wrote them (by their stats) are settled unread; otherwise the outputs are read back.
      const records = fingerprint === fingerprintBefore ? previous!.outputs.filter((o) => o.template === loaded.display) : [];
      const settles = records.length > 0 && records.every((r) => clean.has(r.path));
      const again = settles || fingerprint !== fingerprintBefore ? undefined : reuseOutputs(root, loaded, previous!, diskBefore);
      if (settles || again !== undefined) {
        if (settles) {
          settled.push(...records);
          settledBy.set(loaded.display, { loaded });
        } else rendered.push(...again!);
        const count = settles ? records.length : again!.length;
        known += count;
        done += count;
        remaining--;
        progress();
        templateEntries.push({ ...entryBefore, rdf: await Promise.all(entryBefore.rdf.map(async (r) => ({ path: r.path, hash: await fileHash(resolve(projectRoot, r.path)) }))) });
        reused.push(loaded.display);
        fingerprints.set(loaded.display, fingerprint);
        continue;
      }
    }
    const engine = engineFor(projectRoot, loaded.frontmatter.seed ?? seed);
    const result = await renderTemplate(loaded, { engine, graphs, vars, presetVars: input.preset?.vars, presetGraphFiles: input.preset?.graphFiles, strict: opts.strict,
      queryCache, onFrom: (file) => reads.file(file),
      onOutputs: (count) => { known += count; remaining--; if (known >= LARGE_RUN_OUTPUTS) keepHeapNearLive(); progress(); },
      onOutput: () => { done++; progress(); },
    });
    warnings.push(...result.warnings);
    rendered.push(...result.outputs);
    const extra = [...(input.preset?.graphFiles ?? []), ...result.rdfFiles];
    templateEntries.push({
      path: loaded.display, hash: loaded.hash,
      rdf: await Promise.all([...new Set(extra)].sort().map(async (f) => ({ path: displayPath(projectRoot, f), hash: await fileHash(f) }))),
    });
    // Only plain file outputs can be reused unrendered: injections, hooks, unless_exists and warnings must re-run.
    if (result.warnings.length === 0 && loaded.warnings.length === 0 && result.outputs.length > 0 && result.outputs.every(plainOutput)) {
      fingerprints.set(loaded.display, await fingerprintOf(loaded, input, result.rdfFiles));
    }
  }
  // A settled file that a rendered output also names (an injection into it, say) is decided the usual way.
  const renderedPaths = new Set(rendered.map((o) => o.path));
  for (const [label, { loaded }] of settledBy) {
    if (!settled.some((r) => r.template === label && renderedPaths.has(r.path))) continue;
    const again = reuseOutputs(root, loaded, previous!, readDiskState(root, settled.filter((r) => r.template === label).map((r) => r.path), () => ({ file: '.ggen/receipt.json' })));
    if (again === undefined) throw new GgenError('E_GENERATE', `the stored outputs of ${label} are missing`, { hint: 'rerun with --no-cache' });
    rendered.push(...again);
    for (let i = settled.length - 1; i >= 0; i--) if (settled[i]!.template === label) settled.splice(i, 1);
  }
  const outputs: OutputRender[] = rendered;
  // Rows are not needed past rendering (an endpoint run's can be 100k): only their hash stays.
  (await graphs.remote())?.releaseRows();

  // Decide: the disk read once (every target, its backup, every output the last run recorded), then pure rules.
  const wanted = new Set<string>();
  for (const o of outputs) {
    wanted.add(o.path);
    if (o.inject && o.backup) wanted.add(`${o.path}.backup`);
  }
  const settledPaths = new Set(settled.map((r) => r.path));
  for (const o of previous?.outputs ?? []) if (!settledPaths.has(o.path)) wanted.add(o.path);
  const askedBy = new Map<string, string>(outputs.map((o) => [o.path, o.template]));
  const disk = new Map(diskBefore);
  // A file still as ggen wrote it (by its stats) holds what the receipt recorded: its text comes from the merge-base
  // pack, one read, instead of one read per file (a re-rendered template rewrites all of its outputs).
  const recorded = new Map((previous?.outputs ?? []).map((o) => [o.path, o]));
  for (const path of wanted) {
    const record = recorded.get(path);
    if (disk.has(path) || !clean.has(path) || record === undefined || record.base !== undefined) continue;
    const text = readObject(root, record.hash); // checked against its hash
    if (text !== undefined) disk.set(path, { kind: 'file', text });
  }
  for (const [path, entry] of readDiskState(root, [...wanted].filter((p) => !disk.has(p)).sort(cmp), (path) => ({ file: askedBy.get(path) ?? '.ggen/receipt.json' }))) disk.set(path, entry);
  const ranTemplates = opts.mergeReceipt ? new Set(templates.map((t) => t.loaded.display)) : 'all';
  const operations = decideOperations({
    outputs, disk, receipt: previous, baseOf: (hash) => readObject(root, hash), settled,
    policy: { force: opts.force === true, conflicts: opts.conflicts, prune: opts.prune, ranTemplates, refusals: opts.refusals },
  });
  const hooks = decideHooks(outputs);

  // From an endpoint, the receipt's graph hash is that of the query results (what the run consumed).
  const remote = await graphs.remote();
  const resultsHash = remote === undefined || opts.hashGraph === false ? undefined : await remote.resultsHash();
  remote?.close();
  const graphHash = opts.hashGraph === false ? ''
    : resultsHash !== undefined ? resultsHash
    : graphFiles.length === 0 ? sha256Hex('')
    : hashReused ? previousInputs!.graph!.hash
    : pendingHash !== undefined ? await pendingHash()
    : await graphContentHash(await graphs.base());
  const outputsRecorded = receiptOutputs(operations, new Set(outputs.filter((o) => !o.inject).map((o) => o.path)), previous, settledPaths);
  const receipt: Receipt = {
    version: 1,
    graph: {
      hash: graphHash, files: await Promise.all(graphFiles.map(async (f) => ({ path: displayPath(projectRoot, f), hash: await fileHash(f) }))),
      ...(remote === undefined ? {} : { endpoint: { url: remote.url, resultsHash: resultsHash ?? '' } }),
    },
    templates: templateEntries,
    vars: { ...vars },
    ...(opts.cliVars && Object.keys(opts.cliVars).length > 0 ? { cliVars: { ...opts.cliVars } } : {}),
    seed,
    ...(plugins.hashes.length > 0 ? { plugins: plugins.hashes } : {}),
    outputs: outputsRecorded,
  };
  const finalReceipt = opts.mergeReceipt && previous ? mergeReceipts(previous, receipt, operations) : receipt;
  // Reused templates did not read their partials this time: what they read last time still counts; so do the
  // fingerprints of templates a partial run did not touch.
  const readNow = await reads.toReceipt((f) => displayPath(projectRoot, f), hashes);
  const carried = mayReuse && (reused.length > 0 || opts.mergeReceipt) ? previousInputs : undefined;
  const templateFingerprints: Record<string, string> = {};
  if (carried !== undefined && opts.mergeReceipt) {
    for (const [label, fingerprint] of Object.entries(carried.templates)) if (recordsClean(label, finalReceipt.outputs)) templateFingerprints[label] = fingerprint;
  }
  for (const t of templateEntries) {
    delete templateFingerprints[t.path];
    const fingerprint = fingerprints.get(t.path);
    if (fingerprint !== undefined && ownsItsRecords(t.path, [...outputs, ...settled], finalReceipt.outputs)) templateFingerprints[t.path] = fingerprint;
  }
  const inputsRecord: InputsRecord = {
    ...(graphHash !== '' && graphFiles.length > 0 ? { graph: { key, hash: graphHash } } : {}),
    reads: carried !== undefined ? unionReads(carried.reads, readNow) : readNow,
    templates: templateFingerprints,
    ...(gate.passed.length > 0 ? { shacl: gate.passed } : {}),
  };
  const rendered_ = templates.map((t) => t.loaded.display).filter((l) => !reused.includes(l));
  return {
    version: 1, root, projectRoot, operations, hooks, warnings, receipt: finalReceipt, inputs: inputsRecord, inputFiles: await inputFiles(),
    checkedStats: pickStats(previousInputs?.stats, clean),
    stats: { rendered: rendered_, reused, graphParsed: graphs.parsed, shacl: { validated: gate.validated, skipped: gate.skipped } }, queryCache: queryCache?.cache, startedAt,
    shacl: gate.reports, shapeFiles: gate.shapeFiles,
  };
}

function pickStats(stats: Record<string, [number, number, number]> | undefined, paths: ReadonlySet<string>): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  if (stats !== undefined) for (const p of paths) if (stats[p] !== undefined) out[p] = stats[p];
  return out;
}

const plainOutput = (o: RenderedOutput): boolean => !o.inject && !o.unlessExists && !o.backup && !o.hooks.before?.trim() && !o.hooks.after?.trim();

/**
 * A template's fingerprint is kept only when each of its outputs is recorded as a file of its own (not shared
 * with an injection, not skipped, no conflict): then the records are exactly what a render would give again.
 */
function recordsClean(label: string, recorded: ReceiptOutput[]): boolean {
  return recorded.every((r) => (r.template === label ? r.kind === 'file' && r.conflict !== true : !r.template.split(', ').includes(label)));
}

function ownsItsRecords(label: string, outputs: ReadonlyArray<{ path: string; template: string }>, recorded: ReceiptOutput[]): boolean {
  if (!recordsClean(label, recorded)) return false;
  const mine = outputs.filter((o) => o.template === label);
  const records = new Map(recorded.map((r) => [r.path, r]));
  return mine.every((o) => { const r = records.get(o.path); return r !== undefined && r.kind === 'file' && r.template === label && r.conflict !== true; })
    && recorded.filter((r) => r.template === label).length === mine.length;
}

/**
 * The outputs a template rendered last time, as the render would give them again: the pure render of each is the
 * merge base when one was kept, else the recorded content, both content-addressed in `.ggen/objects`.
 * Undefined when any is missing (objects deleted), and the template is rendered instead.
 */
function reuseOutputs(root: string, loaded: LoadedTemplate, previous: Receipt, disk: ReadonlyMap<string, DiskEntry>): RenderedOutput[] | undefined {
  const out: RenderedOutput[] = [];
  for (const record of previous.outputs) {
    if (record.template !== loaded.display) continue;
    if (record.kind !== 'file' || record.conflict) return undefined;
    const entry = disk.get(record.path);
    const unedited = record.base === undefined && entry?.kind === 'file' && sha256Hex(entry.text) === record.hash ? entry.text : undefined;
    const content = unedited ?? readObject(root, record.base ?? record.hash);
    if (content === undefined) return undefined;
    out.push({
      path: record.path, template: loaded.display, content, inject: false, injectOptions: {}, force: loaded.frontmatter.force,
      unlessExists: false, backup: false, hooks: {},
    });
  }
  return out.length > 0 ? out : undefined;
}

/** What the receipt records after applying: every output written or kept, orphans until they are pruned. */
function receiptOutputs(operations: PlannedOperation[], written: ReadonlySet<string>, previous: Receipt | undefined, settled: ReadonlySet<string>): ReceiptOutput[] {
  const before = new Map((previous?.outputs ?? []).map((o) => [o.path, o]));
  const outputs: ReceiptOutput[] = [];
  for (const op of operations) {
    if (settled.has(op.path)) {
      outputs.push(before.get(op.path)!);
      continue;
    }
    if (op.kind === 'orphan') {
      const record = before.get(op.path);
      if (record !== undefined && op.previousHash !== null) outputs.push(record); // still on disk: reported again next run
      continue;
    }
    if (op.kind === 'delete' || op.kind === 'skip' || op.content === undefined || op.contentHash === undefined) continue;
    // Backups are ggen's own files; a target only injected into stays the user's.
    const owned = written.has(op.path) || op.reason.startsWith('backup of ');
    const record: ReceiptOutput = {
      path: op.path, hash: op.contentHash,
      hashOutsideFrozen: op.content.includes('ggen:freeze:start:') ? hashOutsideFrozen(op.content) : op.contentHash,
      template: op.templates.length === 1 ? op.templates[0]! : op.templates.join(', '), kind: owned ? 'file' : 'inject',
    };
    if (op.base !== undefined) record.base = sha256Hex(op.base);
    if (op.kind === 'conflict') record.conflict = true;
    outputs.push(record);
  }
  return outputs;
}

/** A partial run's receipt: this run's records over the previous ones; pruned and vanished orphans leave. */
function mergeReceipts(previous: Receipt, current: Receipt, operations: PlannedOperation[]): Receipt {
  const outputs = new Map(previous.outputs.map((o) => [o.path, o]));
  for (const op of operations) if (op.kind === 'delete' || op.kind === 'orphan') outputs.delete(op.path);
  for (const o of current.outputs) outputs.set(o.path, o);
  const templates = new Map(previous.templates.map((t) => [t.path, t]));
  for (const t of current.templates) templates.set(t.path, t);
  return { ...current, vars: { ...previous.vars, ...current.vars }, ...(previous.cliVars || current.cliVars ? { cliVars: { ...previous.cliVars, ...current.cliVars } } : {}), templates: [...templates.values()], outputs: [...outputs.values()] };
}
