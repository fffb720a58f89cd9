// `.ggen/receipt.json`: what a run consumed and produced (hashes only, no timestamps), read back for safe overwrites.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GgenError } from '../errors.js';

export const RECEIPT_PATH = '.ggen/receipt.json';

export interface ReceiptOutput {
  /** Path relative to the output root (POSIX). */
  path: string;
  /** SHA-256 of the whole file as written. */
  hash: string;
  /** SHA-256 ignoring freeze-block interiors: hand edits inside them are allowed. */
  hashOutsideFrozen: string;
  template: string;
  /** `file`: ggen owns the whole file; `inject`: ggen inserted into a file it does not own. */
  kind: 'file' | 'inject';
}

export interface Receipt {
  version: 1;
  graph: { hash: string; files: Array<{ path: string; hash: string }> };
  templates: Array<{ path: string; hash: string; rdf: Array<{ path: string; hash: string }> }>;
  vars: Record<string, string>;
  seed: string;
  outputs: ReceiptOutput[];
}

export async function readReceipt(root: string): Promise<Receipt | undefined> {
  const file = join(root, RECEIPT_PATH);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Receipt;
    if (value.version !== 1 || !Array.isArray(value.outputs)) throw new Error('unknown receipt version');
    return value;
  } catch (err) {
    throw new GgenError('E_CONFIG', `receipt is not valid: ${(err as Error).message}`, { at: { file }, hint: 'delete it and regenerate with --force if you are sure the outputs are ggen-generated' });
  }
}

/** Sorted, pretty JSON with a final newline: byte-stable across runs and machines. */
export function serializeReceipt(receipt: Receipt): string {
  const sorted: Receipt = {
    ...receipt,
    graph: { hash: receipt.graph.hash, files: [...receipt.graph.files].sort((a, b) => cmp(a.path, b.path)) },
    templates: [...receipt.templates].sort((a, b) => cmp(a.path, b.path)),
    vars: Object.fromEntries(Object.entries(receipt.vars).sort(([a], [b]) => cmp(a, b))),
    outputs: [...receipt.outputs].sort((a, b) => cmp(a.path, b.path) || cmp(a.template, b.template)),
  };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
