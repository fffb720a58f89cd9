// `.ggen/objects/<sha256>`: what ggen last generated for each output, content-addressed: the base of a 3-way merge.
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import type { Receipt } from './receipt.js';
import { stateDir } from './state-dir.js';

const HASH = /^[0-9a-f]{64}$/;

export function objectsDir(root: string): string {
  return join(stateDir(root), 'objects');
}

/** The stored text with this hash, or undefined when missing or not matching its name (edited, corrupted). */
export function readObject(root: string, hash: string): string | undefined {
  if (!HASH.test(hash)) return undefined;
  let text: string;
  try {
    text = readFileSync(join(objectsDir(root), hash), 'utf8');
  } catch {
    return undefined;
  }
  return sha256Hex(text) === hash ? text : undefined;
}

/**
 * Stores each text once under its hash (existing objects are not rewritten, so a no-op run writes nothing).
 * Records the files it created in `created` (also on failure), so a failed run can remove them again.
 */
export function storeObjects(root: string, texts: Iterable<string>, created: string[] = []): string[] {
  const dir = objectsDir(root);
  for (const text of texts) {
    const file = join(dir, sha256Hex(text));
    if (existsSync(file)) continue;
    writeFileAtomicSync(file, text);
    created.push(file);
  }
  return created;
}

/** The hashes a receipt still needs: every owned output's merge base. */
export function referencedObjects(receipt: Receipt): Set<string> {
  return new Set(receipt.outputs.filter((o) => o.kind === 'file').map((o) => o.base ?? o.hash));
}

/** Removes objects the receipt no longer references, so the store stays the size of one generation. */
export function pruneObjects(root: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(objectsDir(root));
  } catch {
    return;
  }
  for (const name of names) if (HASH.test(name) && !keep.has(name)) unlinkSync(join(objectsDir(root), name));
}
