// File trees: a sorted listing with sha256 per file, and a readable diff between two trees.
import { createHash } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeEntry {
  /** Path relative to the tree root, with `/` separators. */
  path: string;
  type: 'file' | 'symlink';
  size: number;
  /** sha256 of the file bytes, or of the link target for a symlink. */
  sha256: string;
}

export interface TreeOptions {
  /** Top-level names to leave out (e.g. `node_modules`, `.git`). */
  exclude?: string[];
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Every file and symlink under `root`, sorted by path (byte order); directories are implied. */
export async function listTree(root: string, opts: TreeOptions = {}): Promise<TreeEntry[]> {
  const exclude = new Set(opts.exclude ?? []);
  const out: TreeEntry[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (prefix === '' && exclude.has(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isSymbolicLink()) {
        const target = await readlink(full);
        out.push({ path: rel, type: 'symlink', size: Buffer.byteLength(target), sha256: sha256(target) });
      } else if (entry.isFile()) {
        const bytes = await readFile(full);
        out.push({ path: rel, type: 'file', size: bytes.length, sha256: sha256(bytes) });
      }
    }
  }
  await walk(root, '');
  return out.sort(byPath);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface TreeDiff {
  added: string[];
  removed: string[];
  changed: string[];
  equal: boolean;
}

/** Compares two listings by path and hash. */
export function diffTrees(expected: TreeEntry[], actual: TreeEntry[]): TreeDiff {
  const want = new Map(expected.map((e) => [e.path, e]));
  const got = new Map(actual.map((e) => [e.path, e]));
  const added = [...got.keys()].filter((p) => !want.has(p)).sort();
  const removed = [...want.keys()].filter((p) => !got.has(p)).sort();
  const changed = [...got.keys()].filter((p) => want.has(p) && (want.get(p)!.sha256 !== got.get(p)!.sha256 || want.get(p)!.type !== got.get(p)!.type)).sort();
  return { added, removed, changed, equal: added.length + removed.length + changed.length === 0 };
}

/**
 * A unified-style line diff (`-` expected, `+` actual) with a little context, for messages.
 * Large inputs fall back to showing the first differing line, to keep the cost bounded.
 */
export function diffLines(expected: string, actual: string, context = 2, maxLines = 40): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  if (a.length * b.length > 4_000_000) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return [`@@ line ${i + 1} @@`, `-${a[i] ?? ''}`, `+${b[i] ?? ''}`].join('\n');
  }
  // LCS table from the end, then walk forward emitting edits.
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Array<{ kind: ' ' | '-' | '+'; text: string; line: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ kind: ' ', text: a[i]!, line: i + 1 }); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push({ kind: '-', text: a[i]!, line: i + 1 }); i++; }
    else { ops.push({ kind: '+', text: b[j]!, line: i + 1 }); j++; }
  }
  const keep = ops.map((op, k) => op.kind !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.kind !== ' '));
  const lines: string[] = [];
  let skipping = true;
  ops.forEach((op, k) => {
    if (!keep[k]) { skipping = true; return; }
    if (skipping) lines.push(`@@ line ${op.line} @@`);
    skipping = false;
    lines.push(`${op.kind}${op.text}`);
  });
  if (lines.length > maxLines) return [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more diff lines`].join('\n');
  return lines.join('\n');
}
