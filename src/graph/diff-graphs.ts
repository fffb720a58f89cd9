// Diff two loaded graphs, blank-node aware.
import { decompose } from './canonical.js';
import { diffDecomposed, type GraphDiff } from './diff.js';
import type { Graph } from './graph.js';

export type { GraphDiff };

/** Statements removed from `a` and added in `b`; equal graphs (isomorphic) give no changes. */
export async function diffGraphs(a: Graph, b: Graph): Promise<GraphDiff> {
  return diffDecomposed(await decompose(a.nquads()), await decompose(b.nquads()));
}
