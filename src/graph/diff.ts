// Graph diff that ignores statement order and blank-node labels: ground statements compare as lines,
// blank-node components compare as wholes by their canonical form.
import type { DecomposedDataset } from './canonical.js';

export interface GraphDiff {
  equal: boolean;
  /** N-Quads lines only in the second graph (blank nodes labelled per component: _:c1_0 …). */
  added: string[];
  /** N-Quads lines only in the first graph. */
  removed: string[];
}

function multiset(components: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of components) {
    const key = c.join('\n');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Components of `from` not matched in `other` (as many times as they are missing). */
function missingComponents(from: string[][], other: string[][]): string[][] {
  const available = multiset(other);
  const missing: string[][] = [];
  for (const c of from) {
    const key = c.join('\n');
    const n = available.get(key) ?? 0;
    if (n > 0) available.set(key, n - 1);
    else missing.push(c);
  }
  return missing;
}

function relabel(components: string[][], first: number): string[] {
  return components.flatMap((lines, i) => lines.map((line) => line.replace(/_:c14n(\d+)/g, `_:c${first + i}_$1`)));
}

/** What turns graph `a` into graph `b`. */
export function diffDecomposed(a: DecomposedDataset, b: DecomposedDataset): GraphDiff {
  const inB = new Set(b.ground);
  const inA = new Set(a.ground);
  const removedComponents = missingComponents(a.components, b.components);
  const addedComponents = missingComponents(b.components, a.components);
  const removed = [...a.ground.filter((l) => !inB.has(l)), ...relabel(removedComponents, 1)].sort();
  const added = [...b.ground.filter((l) => !inA.has(l)), ...relabel(addedComponents, removedComponents.length + 1)].sort();
  return { equal: added.length === 0 && removed.length === 0, added, removed };
}
