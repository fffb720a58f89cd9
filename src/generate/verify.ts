// verifyReceipt: what regenerating would do, under the same decide step as `gen` and `project diff --check`,
// against the inputs the receipt recorded (flags override them), plus changes of the inputs themselves.
import { resolve } from 'node:path';
import { GgenError } from '../errors.js';
import type { PlannedOperation } from './decide.js';
import { planGeneration, resolveOutputRoot, type GenerationPlan, type PlanOptions } from './plan.js';
import { cmp, readReceipt, RECEIPT_PATH, type Receipt } from './receipt.js';
import type { ShaclGateReport } from './shacl-gate.js';

export interface Drift {
  kind: 'graph-changed' | 'plugin-changed' | 'template-changed' | 'template-added' | 'template-removed' | 'output-missing' | 'output-edited' | 'output-stale' | 'output-new' | 'output-gone' | 'output-conflict';
  path: string;
  detail: string;
}

export interface VerifyResult {
  receiptPath: string;
  /** Everything that makes regeneration change the tree (exit 1 when not empty). */
  drift: Drift[];
  /** Hand edits regeneration keeps (freeze blocks, owned regions, cleanly merged edits): legitimate, not drift. */
  kept: string[];
  /** SHACL results that did not refuse (warnings, infos) of the graphs validated. */
  shacl: ShaclGateReport[];
}

export interface VerifyOverrides {
  /** `--var` values: above the receipt's recorded --var values, which are above ggen.toml's. */
  vars?: Record<string, string>;
  seed?: string;
}

/** The operations that change the tree, as drift; the same set `project diff --check` fails on. */
export function driftOf(ops: readonly PlannedOperation[], stored: Receipt | undefined): Drift[] {
  const recorded = new Set((stored?.outputs ?? []).map((o) => o.path));
  const drift: Drift[] = [];
  for (const op of ops) {
    const d = (kind: Drift['kind'], detail: string) => drift.push({ kind, path: op.path, detail });
    switch (op.kind) {
      case 'create': d(recorded.has(op.path) ? 'output-missing' : 'output-new', recorded.has(op.path) ? 'file recorded in the receipt is missing' : 'generation would add this file'); break;
      case 'overwrite': case 'inject': d('output-stale', 'regenerating would change this file'); break;
      case 'merge': d('output-stale', 'regenerating would change this file (hand edits merge cleanly)'); break;
      case 'conflict': d('output-conflict', `hand edits conflict with the new render (${op.conflicts?.length ?? 0} conflict${op.conflicts?.length === 1 ? '' : 's'})`); break;
      case 'orphan': d('output-gone', 'generation no longer produces this file'); break;
      case 'delete': d('output-gone', 'generation no longer produces this file (--prune deletes it)'); break;
      case 'skip':
        if (op.refused === undefined) break;
        if (op.refused.includes('conflict')) d('output-conflict', op.refused);
        else d(recorded.has(op.path) ? 'output-edited' : 'output-new', op.refused);
        break;
      default: break;
    }
  }
  return drift;
}

/** Plan options with the receipt's recorded inputs filled in where the caller gave none. */
function withRecordedInputs(opts: PlanOptions, stored: Receipt, projectRoot: string, overrides: VerifyOverrides): PlanOptions {
  const graphFiles = (opts.graphFiles ?? []).length > 0 ? opts.graphFiles : stored.graph.files.map((f) => resolve(projectRoot, f.path));
  // ggen.toml as it is now, under the --var values the tree was generated with, under today's flags.
  return { ...opts, graphFiles, vars: { ...opts.vars, ...stored.cliVars, ...overrides.vars }, cliVars: { ...stored.cliVars, ...overrides.vars }, seed: overrides.seed ?? stored.seed ?? opts.seed };
}

export async function verifyReceipt(opts: PlanOptions, overrides: VerifyOverrides = {}): Promise<VerifyResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectRoot = resolve(cwd, opts.projectRoot ?? '.');
  const root = resolveOutputRoot(projectRoot, opts.outDir);
  const receiptPath = resolve(root, RECEIPT_PATH);
  const stored = await readReceipt(root);
  if (stored === undefined) throw new GgenError('E_IO', 'no receipt to verify', { at: { file: receiptPath }, hint: 'run `ggen project gen` first (it writes .ggen/receipt.json)' });
  const fresh: GenerationPlan = await planGeneration({ ...withRecordedInputs(opts, stored, projectRoot, overrides), cwd, conflicts: 'markers', refusals: 'report' });
  const now = fresh.receipt;
  const drift: Drift[] = [];
  if (stored.graph.hash !== now.graph.hash) drift.push({ kind: 'graph-changed', path: now.graph.files.map((f) => f.path).join(', ') || '(no graph)', detail: `graph hash ${short(stored.graph.hash)} → ${short(now.graph.hash)}` });
  drift.push(...pluginDrift(stored.plugins ?? [], now.plugins ?? []));
  const storedTemplates = new Map(stored.templates.map((t) => [t.path, t]));
  const nowTemplates = new Map(now.templates.map((t) => [t.path, t]));
  for (const [path, t] of nowTemplates) {
    const old = storedTemplates.get(path);
    if (old === undefined) drift.push({ kind: 'template-added', path, detail: 'template not in the receipt' });
    else if (old.hash !== t.hash || JSON.stringify(old.rdf) !== JSON.stringify(t.rdf)) drift.push({ kind: 'template-changed', path, detail: 'template (or its rdf: files) changed since the receipt' });
  }
  for (const path of storedTemplates.keys()) if (!nowTemplates.has(path)) drift.push({ kind: 'template-removed', path, detail: 'template in the receipt no longer exists' });
  drift.push(...driftOf(fresh.operations, stored));
  drift.sort((a, b) => cmp(a.path, b.path) || cmp(a.kind, b.kind));
  const byPath = new Map(stored.outputs.map((o) => [o.path, o]));
  const kept = fresh.operations.filter((op) => op.kind === 'unchanged' && op.contentHash !== undefined && byPath.get(op.path)?.kind === 'file' && byPath.get(op.path)!.hash !== op.contentHash).map((op) => op.path);
  return { receiptPath, drift, kept, shacl: fresh.shacl ?? [] };
}

/** Plugin modules added, removed or edited since the receipt: their filters may render differently. */
function pluginDrift(before: NonNullable<Receipt['plugins']>, after: NonNullable<Receipt['plugins']>): Drift[] {
  const old = new Map(before.map((p) => [p.module, p.sha256]));
  const drift: Drift[] = [];
  for (const p of after) {
    const was = old.get(p.module);
    if (was === undefined) drift.push({ kind: 'plugin-changed', path: p.module, detail: 'plugin module not in the receipt' });
    else if (was !== p.sha256) drift.push({ kind: 'plugin-changed', path: p.module, detail: `plugin module hash ${short(was)} → ${short(p.sha256)}` });
    old.delete(p.module);
  }
  for (const module of old.keys()) drift.push({ kind: 'plugin-changed', path: module, detail: 'plugin module in the receipt is no longer loaded' });
  return drift;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
