// RDFC-1.0 canonical form, and a split of a dataset into ground statements and blank-node components
// (each canonicalized on its own), so hashes and diffs do not depend on blank-node labels.
//
// Only statements with blank nodes go through rdf-canonize: RDFC-1.0 labels depend on those alone, and
// oxigraph already writes ground statements in canonical N-Quads form (checked in the tests), so
// sorting them is enough. rdf-canonize on a whole 100k-statement graph took minutes.
import { canonize } from 'rdf-canonize';
import { GgenError } from '../errors.js';

// Blank nodes outside literals and IRIs; group 1 is the label.
const blankNodeToken = /"(?:[^"\\]|\\.)*"|<[^>]*>|_:([^\s]+)/g;

function blankLabels(line: string): string[] {
  if (!line.includes('_:')) return [];
  const labels: string[] = [];
  for (const m of line.matchAll(blankNodeToken)) if (m[1] !== undefined) labels.push(m[1]);
  return labels;
}

/** rdf-canonize on statements that all have blank nodes; returns canonical lines. */
async function canonicalizeBlankStatements(lines: string[]): Promise<string[]> {
  if (lines.length === 0) return [];
  // rdf-canonize keeps labels that already look canonical (_:c14nN), so rename them first.
  const neutral = lines.map((l) => l.replace(/_:c14n(\d+)/g, '_:n$1')).join('\n');
  try {
    const out = await canonize(`${neutral}\n`, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads', maxWorkFactor: 2 });
    return out.split('\n').filter((l) => l !== '');
  } catch (err) {
    throw new GgenError('E_RDF_PARSE', `cannot canonicalize the graph: ${(err as Error).message}`, { cause: err, hint: 'the blank-node structure is too symmetric for RDFC-1.0 within its work limit' });
  }
}

function splitStatements(nquads: string): { ground: string[]; withBlanks: Array<[labels: string[], line: string]> } {
  const ground: string[] = [];
  const withBlanks: Array<[string[], string]> = [];
  for (const line of nquads.split('\n')) {
    if (line === '') continue;
    const labels = blankLabels(line);
    if (labels.length === 0) ground.push(line);
    else withBlanks.push([labels, line]);
  }
  return { ground, withBlanks };
}

function sortUnique(lines: string[]): string[] {
  lines.sort();
  return lines.filter((line, i) => i === 0 || line !== lines[i - 1]);
}

/** RDFC-1.0 canonical N-Quads for N-Quads text written by oxigraph (or already canonical). */
export async function canonicalize(nquads: string): Promise<string> {
  const { ground, withBlanks } = splitStatements(nquads);
  const lines = sortUnique([...ground, ...(await canonicalizeBlankStatements(withBlanks.map(([, line]) => line)))]);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
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
  const { ground, withBlanks } = splitStatements(nquads);
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
  for (const [labels] of withBlanks) {
    for (const l of labels) if (!parent.has(l)) parent.set(l, l);
    for (const l of labels.slice(1)) {
      const a = find(labels[0]!);
      const b = find(l);
      if (a !== b) parent.set(b, a);
    }
  }
  const groups = new Map<string, string[]>();
  for (const [labels, line] of withBlanks) {
    const root = find(labels[0]!);
    const list = groups.get(root);
    if (list) list.push(line);
    else groups.set(root, [line]);
  }
  const components: string[][] = [];
  for (const lines of groups.values()) components.push(await canonicalizeBlankStatements(lines));
  const key = (c: string[]) => c.join('\n');
  components.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { ground: sortUnique(ground), components };
}
