// verifyReceipt: recomputes what generation would produce and compares it with the receipt and the files on disk.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { hashOutsideFrozen } from './freeze.js';
import { planGeneration, type PlanOptions } from './plan.js';
import { cmp, readReceipt, RECEIPT_PATH } from './receipt.js';

export interface Drift {
  kind: 'graph-changed' | 'template-changed' | 'template-added' | 'template-removed' | 'output-missing' | 'output-edited' | 'output-stale' | 'output-new' | 'output-gone';
  path: string;
  detail: string;
}

export interface VerifyResult {
  receiptPath: string;
  drift: Drift[];
}

export async function verifyReceipt(opts: PlanOptions): Promise<VerifyResult> {
  const fresh = await planGeneration({ ...opts, force: true });
  const root = fresh.root;
  const receiptPath = join(root, ...RECEIPT_PATH.split('/'));
  const stored = await readReceipt(root);
  if (stored === undefined) throw new GgenError('E_IO', 'no receipt to verify', { at: { file: receiptPath }, hint: 'run `ggen project gen` first (it writes .ggen/receipt.json)' });
  const drift: Drift[] = [];
  const now = fresh.receipt;
  if (stored.graph.hash !== now.graph.hash) drift.push({ kind: 'graph-changed', path: now.graph.files.map((f) => f.path).join(', ') || '(no graph)', detail: `graph hash ${short(stored.graph.hash)} → ${short(now.graph.hash)}` });
  const storedTemplates = new Map(stored.templates.map((t) => [t.path, t]));
  const nowTemplates = new Map(now.templates.map((t) => [t.path, t]));
  for (const [path, t] of nowTemplates) {
    const old = storedTemplates.get(path);
    if (old === undefined) drift.push({ kind: 'template-added', path, detail: 'template not in the receipt' });
    else if (old.hash !== t.hash || JSON.stringify(old.rdf) !== JSON.stringify(t.rdf)) drift.push({ kind: 'template-changed', path, detail: 'template (or its rdf: files) changed since the receipt' });
  }
  for (const path of storedTemplates.keys()) if (!nowTemplates.has(path)) drift.push({ kind: 'template-removed', path, detail: 'template in the receipt no longer exists' });
  const orphans = new Set(fresh.operations.filter((op) => op.kind === 'orphan' || op.kind === 'delete').map((op) => op.path));
  const nowOutputs = new Map(now.outputs.filter((o) => !orphans.has(o.path)).map((o) => [o.path, o]));
  for (const out of stored.outputs) {
    let text: string | undefined;
    try {
      text = await readFile(join(root, ...out.path.split('/')), 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) drift.push({ kind: 'output-missing', path: out.path, detail: 'file recorded in the receipt is missing' });
    else if (out.kind === 'file' ? hashOutsideFrozen(text) !== out.hashOutsideFrozen : sha256Hex(text) !== out.hash) drift.push({ kind: 'output-edited', path: out.path, detail: 'file differs from what ggen wrote (edited by hand?)' });
    const expected = nowOutputs.get(out.path);
    if (expected === undefined) drift.push({ kind: 'output-gone', path: out.path, detail: 'generation no longer produces this file' });
    else if (expected.hash !== out.hash && text !== undefined && hashOutsideFrozen(text) === out.hashOutsideFrozen) drift.push({ kind: 'output-stale', path: out.path, detail: 'regenerating would change this file' });
  }
  const storedPaths = new Set(stored.outputs.map((o) => o.path));
  for (const o of now.outputs) if (!storedPaths.has(o.path)) drift.push({ kind: 'output-new', path: o.path, detail: 'generation would add this file' });
  drift.sort((a, b) => cmp(a.path, b.path) || cmp(a.kind, b.kind));
  return { receiptPath, drift };
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
