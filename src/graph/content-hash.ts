// The graph hash receipts record: the SHA-256 of the dataset's canonical N-Quads.
import { sha256Hex } from '../util/hash.js';
import type { Graph } from './graph.js';

/** Blank nodes in N-Quads text (a false positive inside a literal only costs time). */
export const hasBlankNodes = (nquads: string): boolean => /(^|\s)_:/m.test(nquads);

/**
 * Without blank nodes, sorted N-Quads already are the canonical form, so hashing them equals hashing the
 * RDFC-1.0 output and is much faster; graphs with blank nodes go through full canonicalisation.
 */
export async function graphContentHash(graph: Graph): Promise<string> {
  const nquads = graph.nquads();
  return hasBlankNodes(nquads) ? graph.canonicalHash() : sha256Hex(nquads);
}
