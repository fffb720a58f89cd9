// Graph snapshots: canonical hash, counts, input file hashes and the canonical statements, so a later
// verify can say exactly what changed.
import { readFile } from 'node:fs/promises';
import { GgenError } from '../errors.js';
import { readTextFile } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import { decompose } from './canonical.js';
import { diffDecomposed, type GraphDiff } from './diff.js';
import type { Graph } from './graph.js';
import { computeGraphStats } from './stats.js';

export const SNAPSHOT_FORMAT = 'ggen-graph-snapshot/1';

export interface SnapshotCounts {
  quads: number;
  triples: number;
  subjects: number;
  predicates: number;
  objects: number;
  namedGraphs: number;
}

export interface GraphSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** RDFC-1.0 hash: hex SHA-256 of `nquads`. */
  hash: string;
  counts: SnapshotCounts;
  files: Array<{ path: string; sha256: string }>;
  /** Canonical N-Quads of the whole dataset. */
  nquads: string;
}

export interface SnapshotVerification {
  ok: boolean;
  expectedHash: string;
  actualHash: string;
  counts: { expected: SnapshotCounts; actual: SnapshotCounts };
  /** Input files whose content differs from the snapshot, or that were added or dropped. */
  files: Array<{ path: string; change: 'modified' | 'added' | 'removed' }>;
  diff: GraphDiff;
}

function countsOf(graph: Graph): SnapshotCounts {
  const s = computeGraphStats(graph, { top: 0 });
  return { quads: s.quads, triples: s.triples, subjects: s.subjects, predicates: s.predicates, objects: s.objects, namedGraphs: s.namedGraphs.length };
}

async function fileHashes(files: string[]): Promise<Array<{ path: string; sha256: string }>> {
  const out: Array<{ path: string; sha256: string }> = [];
  for (const path of files) out.push({ path, sha256: sha256Hex(await readFile(path)) });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A snapshot of a graph loaded from `files`. */
export async function createGraphSnapshot(graph: Graph, files: string[]): Promise<GraphSnapshot> {
  const nquads = await graph.canonicalNQuads();
  return { format: SNAPSHOT_FORMAT, hash: sha256Hex(nquads), counts: countsOf(graph), files: await fileHashes(files), nquads };
}

/** Reads and checks a snapshot file. */
export async function readGraphSnapshot(path: string): Promise<GraphSnapshot> {
  const text = await readTextFile(path, { what: 'snapshot' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new GgenError('E_CONFIG', `not a ggen graph snapshot (invalid JSON: ${(err as Error).message})`, { at: { file: path }, cause: err, hint: 'create one with `ggen graph snapshot create FILE... -o SNAP`' });
  }
  const snap = parsed as Partial<GraphSnapshot>;
  if (snap === null || typeof snap !== 'object' || snap.format !== SNAPSHOT_FORMAT || typeof snap.hash !== 'string' || typeof snap.nquads !== 'string' || !Array.isArray(snap.files) || typeof snap.counts !== 'object') {
    throw new GgenError('E_CONFIG', `not a ggen graph snapshot (expected "format": "${SNAPSHOT_FORMAT}")`, { at: { file: path }, hint: 'create one with `ggen graph snapshot create FILE... -o SNAP`' });
  }
  if (sha256Hex(snap.nquads) !== snap.hash) {
    throw new GgenError('E_INTEGRITY', 'snapshot is corrupt: its statements do not match its hash', { at: { file: path }, hint: 'recreate it with `ggen graph snapshot create`' });
  }
  return snap as GraphSnapshot;
}

/** Compares a snapshot with a graph loaded from `files`. */
export async function verifyGraphSnapshot(snapshot: GraphSnapshot, graph: Graph, files: string[]): Promise<SnapshotVerification> {
  const current = await createGraphSnapshot(graph, files);
  const ok = current.hash === snapshot.hash;
  const before = new Map(snapshot.files.map((f) => [f.path, f.sha256]));
  const after = new Map(current.files.map((f) => [f.path, f.sha256]));
  const changedFiles: SnapshotVerification['files'] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(path);
    const a = after.get(path);
    if (b === undefined) changedFiles.push({ path, change: 'added' });
    else if (a === undefined) changedFiles.push({ path, change: 'removed' });
    else if (a !== b) changedFiles.push({ path, change: 'modified' });
  }
  const diff = ok ? { equal: true, added: [], removed: [] } : diffDecomposed(await decompose(snapshot.nquads), await decompose(current.nquads));
  return { ok, expectedHash: snapshot.hash, actualHash: current.hash, counts: { expected: snapshot.counts, actual: current.counts }, files: changedFiles, diff };
}
