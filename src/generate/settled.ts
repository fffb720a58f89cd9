// The start-up fast path of the daily loop. A run that leaves the output root settled (every output ggen's own,
// unedited, nothing merged, pruned or warned about) records a memo of itself in the signed inputs record: the key
// of its options and the hash of every file it read. The same run again, with those files unchanged and every
// output still as ggen wrote it (by its stats), is answered from the memo alone: this module loads no template
// engine, no graph store and no schema library, so a no-op costs little more than starting Node.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { ggenVersion } from '../util/version.js';
import { FileHashes, inputsRecordPath, readInputsRecord, readsUnchanged, statClean, type InputsRecord, type SettledMemo } from './inputs.js';
import type { GenerationPlan, PlannedOperation } from './plan.js';
import type { Receipt } from './receipt.js';
import { lockOutputRoot } from './root-lock.js';
import type { RunOptions, RunResult } from './run.js';
import { resolveOutputRoot, stateDir } from './state-dir.js';

const RECEIPT_FILE = ['.ggen', 'receipt.json'];
const sorted = (o: Record<string, string> | undefined) => (o === undefined ? null : Object.keys(o).sort().map((k) => [k, o[k]]));

/**
 * The key of a run's options: everything its result depends on besides file contents. Undefined for runs that are
 * never answered from a memo (dry runs, no receipt, no cache, endpoints, plugins, hooks allowed).
 */
export function runKey(opts: RunOptions): string | undefined {
  if (opts.dryRun || opts.writeReceipt === false || opts.hashGraph === false || opts.incremental === false || opts.endpoint !== undefined || (opts.plugins?.length ?? 0) > 0) return undefined;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectRoot = resolve(cwd, opts.projectRoot ?? '.');
  const templates = new Map<string, unknown>();
  for (const input of opts.templates) {
    const t = typeof input === 'string' ? { path: input } : input;
    templates.set(resolve(projectRoot, t.path), [t.label ?? null, t.preset === undefined ? null : [sorted(t.preset.vars), [...t.preset.graphFiles].sort()]]);
  }
  return sha256Hex(JSON.stringify([
    'ggen-settled-run/1', ggenVersion(), projectRoot, resolve(projectRoot, opts.outDir),
    [...templates.keys()].sort().map((k) => [k, templates.get(k)]),
    [...new Set((opts.graphFiles ?? []).map((f) => resolve(projectRoot, f)))].sort(),
    sorted(opts.vars), sorted(opts.cliVars), opts.seed ?? '0', opts.compat ?? null, opts.baseIri ?? null, sorted(opts.prefixes),
    [...new Set((opts.shapes ?? []).map((f) => resolve(projectRoot, f)))].sort(), opts.validate !== false, opts.mergeReceipt === true,
  ]));
}

/** The memo of a run just applied, when it left the tree settled; undefined otherwise. */
export function settledMemo(opts: RunOptions, plan: GenerationPlan, stats: Record<string, unknown>): SettledMemo | undefined {
  const key = runKey(opts);
  const inputs = plan.inputs;
  if (key === undefined || inputs === undefined || plan.inputFiles === undefined || plan.hooks.length > 0 || plan.warnings.length > 0 || (plan.shacl?.length ?? 0) > 0) return undefined;
  if (plan.stats === undefined || !plan.operations.every((op) => op.kind === 'create' || op.kind === 'overwrite' || op.kind === 'unchanged')) return undefined;
  const templates = [...plan.stats.rendered, ...plan.stats.reused].sort();
  if (!templates.every((label) => inputs.templates[label] !== undefined)) return undefined;
  const labels = new Set(templates);
  // A full run owns every record; a partial one (gen of some templates) only its own.
  const mine = plan.receipt.outputs.filter((o) => labels.has(o.template));
  if (!opts.mergeReceipt && mine.length !== plan.receipt.outputs.length) return undefined;
  if (!mine.every((o) => o.kind === 'file' && o.base === undefined && !o.conflict && stats[o.path] !== undefined)) return undefined;
  return { key, files: plan.inputFiles, templates, shaclChecks: (plan.stats.shacl?.validated ?? 0) + (plan.stats.shacl?.skipped ?? 0) };
}

/**
 * The plan of a settled run repeated with nothing changed, or undefined when anything may have changed (then the
 * full pipeline decides). The caller holds the root's lock.
 */
export async function settledPlan(opts: RunOptions): Promise<GenerationPlan | undefined> {
  const key = runKey(opts);
  if (key === undefined) return undefined;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectRoot = resolve(cwd, opts.projectRoot ?? '.');
  const root = resolveOutputRoot(projectRoot, opts.outDir);
  let receiptText: string;
  try {
    // A staging directory means a run was killed half-way: recovery (the full path) comes first.
    if (readdirSync(stateDir(root)).some((name) => name.startsWith('staging-'))) return undefined;
    receiptText = readFileSync(resolve(root, ...RECEIPT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const record: InputsRecord | undefined = readInputsRecord(root, receiptText, opts.env);
  const memo = record?.settled;
  if (record === undefined || memo === undefined || memo.key !== key) return undefined;
  const hashes = new FileHashes();
  const now = await Promise.all(memo.files.map(([file]) => hashes.of(file)));
  if (!memo.files.every(([, hash], i) => now[i] === hash)) return undefined;
  if (!(await readsUnchanged(record.reads, projectRoot, hashes, opts.env))) return undefined;
  // Signed together with the record, so it is the receipt ggen wrote: no need to check it again.
  const receipt = JSON.parse(receiptText) as Receipt;
  const labels = new Set(memo.templates);
  const mine = receipt.outputs.filter((o) => labels.has(o.template));
  if (statClean(root, mine, record.stats).size !== mine.length) return undefined;
  mine.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const operations: PlannedOperation[] = mine.map((o) => ({
    kind: 'unchanged', path: o.path, templates: [o.template], reason: 'unchanged: same inputs, file as ggen wrote it', contentHash: o.hash, previousHash: o.hash,
  }));
  return {
    version: 1, root, projectRoot, operations, hooks: [], warnings: [], receipt,
    stats: { rendered: [], reused: memo.templates, graphParsed: false, shacl: { validated: 0, skipped: memo.shaclChecks } },
    shacl: [],
  };
}

/** A run answered from its memo, under the root's lock; undefined when the full pipeline has to run. */
export async function runSettled(opts: RunOptions): Promise<RunResult | undefined> {
  if (runKey(opts) === undefined) return undefined;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const root = resolveOutputRoot(resolve(cwd, opts.projectRoot ?? '.'), opts.outDir);
  // No memo without a receipt: a first run goes straight to the full path (and does not touch `.ggen/` here).
  if (!existsSync(inputsRecordPath(root)) || !existsSync(resolve(root, ...RECEIPT_FILE))) return undefined;
  // Another run writing this root will change what the memo describes: then the full path waits for it.
  let lock;
  try {
    lock = await lockOutputRoot(root, { ...opts, wait: false, onWait: undefined });
  } catch (err) {
    if (err instanceof GgenError && err.code === 'E_LOCKED') return undefined;
    throw err;
  }
  try {
    const plan = await settledPlan(opts);
    if (plan === undefined) return undefined;
    opts.onPlanned?.(plan);
    return { plan, applied: { written: [], deleted: [], hooks: [], receiptPath: resolve(root, ...RECEIPT_FILE) } };
  } finally {
    lock.release();
  }
}
