// Golden files and golden trees: compare with a readable diff, or (re)write them in update mode.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { looksBinary } from '../util/fs.js';
import { diffLines, diffTrees, listTree, type TreeOptions } from './tree.js';

export interface SnapshotOptions extends TreeOptions {
  /** Write the golden from the actual output instead of comparing (default: GGEN_UPDATE_GOLDEN=1). */
  update?: boolean;
}

export interface SnapshotResult {
  equal: boolean;
  /** True when update mode (re)wrote the golden. */
  updated: boolean;
  /** Empty when equal; otherwise what differs, readable. */
  diff: string;
}

export function updateGoldenRequested(): boolean {
  return process.env.GGEN_UPDATE_GOLDEN === '1';
}

const UPDATE_HINT = 'run with GGEN_UPDATE_GOLDEN=1 to accept the actual output as the new golden';

async function describeFileDiff(expectedFile: string, actualFile: string, label: string): Promise<string> {
  const [want, got] = await Promise.all([readFile(expectedFile), readFile(actualFile)]);
  if (looksBinary(want) || looksBinary(got)) return `~ ${label} (binary, ${want.length} → ${got.length} bytes)`;
  const diff = diffLines(want.toString('utf8'), got.toString('utf8'));
  return [`~ ${label}`, ...diff.split('\n').map((l) => `    ${l}`)].join('\n');
}

/** Compares one file with its golden copy. */
export async function matchGoldenFile(actualFile: string, goldenFile: string, opts: { update?: boolean } = {}): Promise<SnapshotResult> {
  const update = opts.update ?? updateGoldenRequested();
  if (!existsSync(actualFile)) return { equal: false, updated: false, diff: `missing file ${actualFile}` };
  if (update) {
    await mkdir(dirname(goldenFile), { recursive: true });
    await cp(actualFile, goldenFile, { force: true });
    return { equal: true, updated: true, diff: '' };
  }
  if (!existsSync(goldenFile)) return { equal: false, updated: false, diff: `no golden file ${goldenFile} (${UPDATE_HINT})` };
  const [want, got] = await Promise.all([readFile(goldenFile), readFile(actualFile)]);
  if (want.equals(got)) return { equal: true, updated: false, diff: '' };
  return { equal: false, updated: false, diff: `${await describeFileDiff(goldenFile, actualFile, actualFile)}\n(${UPDATE_HINT})` };
}

/** Compares a directory with a golden directory: the same paths with the same bytes. */
export async function matchTreeSnapshot(actualDir: string, goldenDir: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const update = opts.update ?? updateGoldenRequested();
  const actual = existsSync(actualDir) ? await listTree(actualDir, opts) : [];
  if (update) {
    await rm(goldenDir, { recursive: true, force: true });
    await mkdir(goldenDir, { recursive: true });
    for (const entry of actual) {
      await mkdir(dirname(join(goldenDir, entry.path)), { recursive: true });
      await cp(join(actualDir, entry.path), join(goldenDir, entry.path), { force: true, verbatimSymlinks: true });
    }
    if (actual.length === 0) await writeFile(join(goldenDir, '.keep'), '');
    return { equal: true, updated: true, diff: '' };
  }
  if (!existsSync(goldenDir)) return { equal: false, updated: false, diff: `no golden tree ${goldenDir} (${UPDATE_HINT})` };
  const expected = (await listTree(goldenDir, opts)).filter((e) => e.path !== '.keep');
  const d = diffTrees(expected, actual);
  if (d.equal) return { equal: true, updated: false, diff: '' };
  const lines = [`tree ${actualDir} differs from golden ${goldenDir}:`];
  for (const p of d.removed) lines.push(`- missing: ${p}`);
  for (const p of d.added) lines.push(`+ unexpected: ${p}`);
  for (const p of d.changed) lines.push(await describeFileDiff(join(goldenDir, p), join(actualDir, p), p));
  lines.push(`(${UPDATE_HINT})`);
  return { equal: false, updated: false, diff: lines.join('\n') };
}

/** Thrown by the assert helpers; its name makes test runners (and runTest) report a failure, not an error. */
export class CleanroomAssertionError extends Error {
  override name = 'AssertionError';
}

/**
 * Asserts that a directory (an env's workspace, or `under` inside it) matches a golden tree; in update mode
 * (GGEN_UPDATE_GOLDEN=1 or `update: true`) it writes the golden instead. Throws with a readable diff.
 */
export async function assertTreeMatchesGolden(dir: string | { path: string }, goldenDir: string, opts: SnapshotOptions & { under?: string } = {}): Promise<void> {
  const root = typeof dir === 'string' ? dir : dir.path;
  const r = await matchTreeSnapshot(opts.under === undefined ? root : join(root, opts.under), goldenDir, opts);
  if (!r.equal) throw new CleanroomAssertionError(r.diff);
}

/** Asserts that a file matches its golden copy (or writes the golden in update mode). */
export async function assertFileMatchesGolden(actualFile: string, goldenFile: string, opts: { update?: boolean } = {}): Promise<void> {
  const r = await matchGoldenFile(actualFile, goldenFile, opts);
  if (!r.equal) throw new CleanroomAssertionError(r.diff);
}
