// RDFC-1.0 canonical form (rdf-canonize), and a split of a dataset into ground statements and
// blank-node components, each canonicalized on its own, so diffs do not depend on blank-node labels.
import { canonize } from 'rdf-canonize';
import { GgenError } from '../errors.js';

/** RDFC-1.0 canonical N-Quads for N-Quads text. */
export async function canonicalize(nquads: string): Promise<string> {
  try {
    return await canonize(nquads, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads', maxWorkFactor: 2 });
  } catch (err) {
    throw new GgenError('E_RDF_PARSE', `cannot canonicalize the graph: ${(err as Error).message}`, { cause: err, hint: 'the blank-node structure is too symmetric for RDFC-1.0 within its work limit' });
  }
}

const blankNodeToken = /"(?:[^"\\]|\\.)*"|<[^>]*>|_:([^\s]+)/g;

function blankLabels(line: string): string[] {
  const labels: string[] = [];
  for (const m of line.matchAll(blankNodeToken)) if (m[1] !== undefined) labels.push(m[1]);
  return labels;
}

/** A dataset as ground statements plus blank-node components in canonical form. */
export interface DecomposedDataset {
  /** Statements without blank nodes, canonical N-Quads lines, sorted. */
  ground: string[];
  /** Each component: the canonical N-Quads lines of statements linked by shared blank nodes. Sorted by text. */
  components: string[][];
}

/** Splits N-Quads into ground statements and blank-node-connected components, canonicalizing each. */
export async function decompose(nquads: string): Promise<DecomposedDataset> {
  const canonicalLines = (await canonicalize(nquads)).split('\n').filter((l) => l !== '');
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let n = x; n !== root; ) {
      const next = parent.get(n)!;
      parent.set(n, root);
      n = next;
    }
    return root;
  };
  const ground: string[] = [];
  const withBlanks: Array<[string, string]> = [];
  for (const line of canonicalLines) {
    const labels = blankLabels(line);
    if (labels.length === 0) {
      ground.push(line);
      continue;
    }
    for (const l of labels) if (!parent.has(l)) parent.set(l, l);
    for (const l of labels.slice(1)) {
      const a = find(labels[0]!);
      const b = find(l);
      if (a !== b) parent.set(b, a);
    }
    withBlanks.push([labels[0]!, line]);
  }
  const groups = new Map<string, string[]>();
  for (const [label, line] of withBlanks) {
    const root = find(label);
    const list = groups.get(root);
    if (list) list.push(line);
    else groups.set(root, [line]);
  }
  const components: string[][] = [];
  for (const lines of groups.values()) {
    // rdf-canonize keeps labels that already look canonical (_:c14nN), so rename them first.
    const neutral = lines.map((l) => l.replace(/_:c14n(\d+)/g, '_:n$1')).join('\n');
    components.push((await canonicalize(`${neutral}\n`)).split('\n').filter((l) => l !== ''));
  }
  components.sort((a, b) => {
    const ka = a.join('\n');
    const kb = b.join('\n');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return { ground: ground.sort(), components };
}
