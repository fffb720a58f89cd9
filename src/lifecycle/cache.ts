// Cache keys: the 1.x byte layout (phase, "\n"+command…, "\nK=V"…) extended with input files' content hashes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../util/hash.js';
import type { FileIndex } from '../util/glob.js';
import type { Phase } from './model.js';

/** Per-invocation memo of file content hashes, so a file shared by many phases is read once. */
export type HashMemo = Map<string, string>;

export function hashFile(absPath: string, memo: HashMemo): string {
  let hex = memo.get(absPath);
  if (hex === undefined) {
    try {
      hex = sha256Hex(readFileSync(absPath));
    } catch {
      hex = 'unreadable';
    }
    memo.set(absPath, hex);
  }
  return hex;
}

export interface CacheKeyInput {
  phase: string;
  commands: readonly string[];
  /** The variables ggen sets for the phase (not the inherited environment), without GGEN_ROOT. */
  env: Record<string, string>;
  /** Input files relative to the phase root, sorted, with their content hashes. */
  inputs: ReadonlyArray<{ path: string; hash: string }>;
}

/** SHA-256 hex; with no inputs and the same env pairs this equals the 1.x key. */
export function computeCacheKey(input: CacheKeyInput): string {
  const h = createHash('sha256');
  h.update(input.phase);
  for (const c of input.commands) h.update(`\n${c}`);
  for (const k of Object.keys(input.env).sort()) if (k !== 'GGEN_ROOT') h.update(`\n${k}=${input.env[k]}`);
  for (const f of input.inputs) h.update(`\n${f.path}\0${f.hash}`);
  return h.digest('hex');
}

/** True when the phase declares what it reads or writes and has not opted out. */
export function isCacheable(phase: Phase): boolean {
  return phase.cache !== false && (phase.inputs.length > 0 || phase.outputs.length > 0);
}

export function inputHashes(phase: Phase, index: FileIndex, memo: HashMemo): Array<{ path: string; hash: string }> {
  const prefix = index.root.endsWith('/') ? index.root : `${index.root}/`;
  return index.matchAll(phase.inputs).map((path) => ({ path, hash: hashFile(prefix + path, memo) }));
}

/** Output globs that match nothing (each must match at least one file). */
export function missingOutputs(phase: Phase, index: FileIndex): string[] {
  return phase.outputs.filter((pattern) => index.match(pattern).length === 0);
}
