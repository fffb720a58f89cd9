// applyPlan: the only writer. Stages every file, journals, then renames into place; any failure rolls the whole run back.
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { GgenError, isGgenError } from '../errors.js';
import { fsError, isFsError } from '../util/fs-errors.js';
import { sha256Hex } from '../util/hash.js';
import { runShellCommand } from '../util/process-group.js';
import { processAlive } from '../util/process-info.js';
import { parseJournal, serializeJournal, treeStagedName, type JournalEntry } from './journal.js';
import { pruneObjects, referencedObjects, storeObjects } from './objects.js';
import { createRootGuard } from './paths.js';
import type { GenerationPlan, PlannedHook, PlannedOperation } from './plan.js';
import { RECEIPT_PATH, receiptHash as hashReceipt, receiptPieces } from './receipt.js';
import { assertStateDirSafe, stateDir } from './state-dir.js';

export interface ApplyOptions {
  allowHooks?: boolean;
  /** Write `<root>/.ggen/receipt.json` (default true). */
  writeReceipt?: boolean;
  /** Aborting (e.g. on Ctrl-C) stops a running hook and rolls the run back. */
  signal?: AbortSignal;
  /** Environment for hooks and for finding the journal key (default: the process's). */
  env?: NodeJS.ProcessEnv;
  /** Time limit per hook (ms; default 10 minutes). */
  hookTimeoutMs?: number;
}

export interface HookRun {
  when: 'before' | 'after';
  command: string;
  template: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ApplyResult {
  /** Paths (relative to the root) whose content changed, sorted. */
  written: string[];
  /** Paths deleted (pruned orphans), sorted. */
  deleted: string[];
  hooks: HookRun[];
  receiptPath?: string;
  /** The SHA-256 of the receipt's text as it now is on disk (when one is kept). */
  receiptHash?: string;
}

const STAGING_NAME = /^staging-(\d+)-[0-9a-f]{8}$/;
const JOURNAL = 'journal.json';

const abs = (root: string, path: string) => join(root, ...path.split('/'));

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Undoes renames recorded in a journal, newest first; removes the directories the run created. */
function rollback(root: string, staging: string, entries: readonly JournalEntry[], dirs: readonly string[]): void {
  for (const entry of [...entries].reverse()) {
    const target = abs(root, entry.path);
    const backup = entry.backup === null ? undefined : join(staging, entry.backup);
    if (backup !== undefined && exists(backup)) {
      try { renameSync(backup, target); } catch { /* keep going: restore as much as possible */ }
    } else if (entry.backup === null && entry.staged !== null && !exists(join(staging, entry.staged)) && exists(target)) {
      // The staged file was moved to the target, which did not exist before: remove it.
      try { unlinkSync(target); } catch { /* already gone */ }
    }
  }
  for (const dir of [...dirs].reverse()) {
    try { rmdirSync(abs(root, dir)); } catch { /* not empty or gone */ }
  }
}

/**
 * Undoes runs that were killed while renaming: restores moved-away files and removes new ones. Only
 * journals ggen signed for this root are acted on, and only on paths inside the root; any other journal
 * is refused with E_JOURNAL and left in place. Returns how many runs were rolled back.
 */
export function recoverInterruptedApply(root: string, env: NodeJS.ProcessEnv = process.env): number {
  assertStateDirSafe(root);
  let names: string[];
  try {
    names = readdirSync(stateDir(root)).filter((n) => n.startsWith('staging-')).sort();
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const name of names) {
    const dir = join(stateDir(root), name);
    const shown = relative(root, dir).split(sep).join('/');
    const match = STAGING_NAME.exec(name);
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (match === null || info === undefined || !info.isDirectory()) {
      throw new GgenError('E_JOURNAL', `refusing to recover from ${shown}: ggen did not create it (not a staging directory)`, { hint: 'inspect it and delete it to continue; nothing was changed' });
    }
    // Another ggen still running (say, watch) owns its staging directory: leave it alone.
    const pid = Number(match[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    const journalFile = join(dir, JOURNAL);
    let text: string | undefined;
    try {
      text = readFileSync(journalFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(err, 'read', journalFile, { shown: `${shown}/${JOURNAL}` });
    }
    if (text !== undefined) {
      const journal = parseJournal(text, `${shown}/${JOURNAL}`, root, env);
      const guard = createRootGuard(root);
      for (const entry of journal.entries) {
        if (entry.path === RECEIPT_PATH) continue;
        try {
          guard(entry.path, { file: `${shown}/${JOURNAL}` });
        } catch (err) {
          throw new GgenError('E_JOURNAL', `refusing to recover from ${shown}/${JOURNAL}: ${(err as Error).message}`, { hint: 'inspect the staging directory and delete it to continue; nothing was changed' });
        }
      }
      rollback(root, dir, journal.entries, journal.dirs);
      recovered++;
    }
    // Killed before renaming started (no journal): the tree was never touched.
    rmSync(dir, { recursive: true, force: true });
  }
  try { rmdirSync(stateDir(root)); } catch { /* holds other state */ }
  return recovered;
}

/** mkdir -p that records each directory it creates (root-relative), so a rollback removes exactly those. */
function mkdirTracked(root: string, relDir: string, created: string[], known: Set<string>): void {
  if (relDir === '.' || relDir === '') return;
  const missing: string[] = [];
  let current = relDir;
  while (current !== '.' && !known.has(current) && !exists(abs(root, current))) {
    missing.push(current);
    current = dirname(current);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(abs(root, d));
    } catch (err) {
      throw fsError(err, 'create directory', abs(root, d), { shown: d });
    }
    created.push(d);
  }
  known.add(relDir);
}

function interrupted(): GgenError {
  return new GgenError('E_GENERATE', 'interrupted: nothing was changed', { exitCode: 130 });
}

async function runHooks(hooks: PlannedHook[], cwd: string, runs: HookRun[], opts: ApplyOptions): Promise<void> {
  for (const hook of hooks) {
    if (opts.signal?.aborted) throw interrupted();
    const stdout: string[] = [];
    const stderr: string[] = [];
    const env = Object.fromEntries(Object.entries(opts.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined));
    const res = await runShellCommand({
      command: hook.command, cwd, env, timeoutMs: opts.hookTimeoutMs ?? 600_000, signal: opts.signal, errorCode: 'E_HOOK',
      onLine: (stream, line) => (stream === 'stdout' ? stdout : stderr).push(line),
    });
    if (opts.signal?.aborted) throw interrupted();
    const join = (lines: string[]) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    const run: HookRun = { when: hook.when, command: hook.command, template: hook.template, exitCode: res.exitCode ?? 128, stdout: join(stdout), stderr: join(stderr) };
    runs.push(run);
    if (run.exitCode !== 0 || res.timedOut) {
      const last = stderr.at(-1)?.trim() ?? '';
      const how = res.timedOut ? 'timed out' : `failed with exit code ${run.exitCode}`;
      throw new GgenError('E_HOOK', `sh_${hook.when} hook of ${hook.template} ${how}: ${hook.command}${last ? ` (${last})` : ''}`, {
        at: { file: hook.template }, hint: 'nothing was written; fix the hook or the command it runs',
      });
    }
  }
}

/**
 * The hash of a target now, or null when absent; every target is checked for symlinks leading out first. When
 * absence is what the plan expects, the guard's lstat answers without reading.
 */
function currentHash(root: string, path: string, guard: ReturnType<typeof createRootGuard>, expected: string | null): string | null {
  const info = guard(path, { file: path });
  if (expected === null && info === undefined) return null;
  const file = abs(root, path);
  try {
    return sha256Hex(readFileSync(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') return 'directory';
    throw fsError(err, 'read', file, { shown: path });
  }
}

/**
 * Directories of the root that do not exist yet, by the top-most missing one (the directory that is moved in
 * whole); answers are cached, so thousands of outputs in a few directories cost a few system calls.
 */
class NewTrees {
  private readonly existing = new Map<string, boolean>();
  private readonly topOf = new Map<string, string | undefined>();
  private readonly recorded = new Set<string>();
  constructor(private readonly root: string) {}

  /** The top-most missing directory above `relDir` (itself included), or undefined when `relDir` exists. */
  of(relDir: string): string | undefined {
    if (relDir === '.' || relDir === '') return undefined;
    if (this.topOf.has(relDir)) return this.topOf.get(relDir);
    let exists = this.existing.get(relDir);
    if (exists === undefined) this.existing.set(relDir, (exists = lstatSync(abs(this.root, relDir), { throwIfNoEntry: false }) !== undefined));
    const top = exists ? undefined : this.of(dirname(relDir)) ?? relDir;
    this.topOf.set(relDir, top);
    return top;
  }

  /** The directories moved in whole, sorted. */
  tops(): string[] {
    return [...new Set([...this.topOf.values()].filter((t): t is string => t !== undefined))].sort();
  }

  /** Adds `relDir` and its missing parents to `created` (parents first), as the rename will create them. */
  record(relDir: string, created: string[]): void {
    if (relDir === '.' || relDir === '' || this.recorded.has(relDir) || this.of(relDir) === undefined) return;
    this.record(dirname(relDir), created);
    this.recorded.add(relDir);
    created.push(relDir);
  }
}

/** A file applying changes: an operation of the plan that writes or deletes, or the receipt. */
type Write = Pick<PlannedOperation, 'kind' | 'path' | 'content' | 'previousHash'>;

const WRITES: ReadonlySet<string> = new Set(['create', 'overwrite', 'merge', 'conflict', 'inject']);

/** Deletes carry no content; everything else applying touches is written whole. */
const isDelete = (w: Write) => w.kind === 'delete';

/** Writes a file from pieces of text, never holding the whole. */
function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) {
      const bytes = Buffer.from(piece, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Applies a plan all-or-nothing: refuses if a target changed since planning, stages all contents under
 * `<root>/.ggen/staging-*`, runs sh_before hooks, journals and renames everything into place (the receipt
 * included), runs sh_after hooks. A failure at any step (including a hook) restores the tree; a killed run
 * is undone by the next one. The caller holds the root's lock (see run.ts).
 */
export async function applyPlan(plan: GenerationPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const root = plan.root;
  const env = opts.env ?? process.env;
  if (plan.hooks.length > 0 && !opts.allowHooks) {
    const first = plan.hooks[0]!;
    throw new GgenError('E_HOOK', `${first.template} declares a sh_${first.when} hook (${first.command}); hooks run only with --allow-hooks`, {
      at: { file: first.template }, hint: `rerun with --allow-hooks to run ${plan.hooks.length === 1 ? 'it' : `all ${plan.hooks.length} hooks`} (see them with --dry-run)`,
    });
  }
  recoverInterruptedApply(root, env);
  // The plan's own operations (a run of 100k outputs must not hold a second list of them), then the receipt.
  const writes: Write[] = plan.operations.filter((op) => (WRITES.has(op.kind) && op.content !== undefined) || (op.kind === 'delete' && op.previousHash !== null));
  const outputsWritten = writes.length;
  const writeReceipt = opts.writeReceipt !== false;
  const receiptFile = join(root, ...RECEIPT_PATH.split('/'));
  let receiptHash: string | undefined;
  let receiptWrite: Write | undefined;
  if (writeReceipt) {
    // Hashed, and later staged, piece by piece: the receipt of a large tree is tens of MB.
    receiptHash = hashReceipt(plan.receipt);
    let before: string | null;
    try { before = sha256Hex(readFileSync(receiptFile)); } catch { before = null; }
    if (before !== receiptHash) writes.push((receiptWrite = { kind: before === null ? 'create' : 'overwrite', path: RECEIPT_PATH, previousHash: before }));
  }
  const runs: HookRun[] = [];
  const result = (): ApplyResult => {
    const outputs = writes.slice(0, outputsWritten);
    return {
      written: outputs.filter((w) => !isDelete(w)).map((w) => w.path).sort(),
      deleted: outputs.filter(isDelete).map((w) => w.path).sort(),
      hooks: runs, receiptPath: writeReceipt ? receiptFile : undefined, receiptHash,
    };
  };
  if (writes.length === 0 && plan.hooks.length === 0) return result();
  // Something will be written: every file the plan looked at must still be as it was then.
  const guard = createRootGuard(root);
  for (const op of plan.operations) {
    // An unchanged file is not written: an edit made to it since planning is the next run's to see.
    if (op.kind === 'skip' || op.kind === 'orphan' || op.kind === 'unchanged') continue;
    if (currentHash(root, op.path, guard, op.previousHash) !== op.previousHash) {
      throw new GgenError('E_PLAN_STALE', `${op.path} changed since the plan was made`, { hint: 'make a new plan (ggen project plan) and apply that' });
    }
  }

  // Merge bases: the pure render of every owned output, content-addressed, so the next run can merge hand edits.
  const bases = writeReceipt ? plan.operations.filter((op) => op.content !== undefined && op.kind !== 'skip' && op.kind !== 'inject').map((op) => op.base ?? op.content!) : [];
  const staging = join(stateDir(root), `staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  const stateCreated: string[] = [];
  mkdirTracked(root, '.ggen', stateCreated, new Set());
  const entries: JournalEntry[] = [];
  const created: string[] = [];
  const newObjects: string[] = [];
  let renaming = false;
  try {
    try {
      mkdirSync(staging);
    } catch (err) {
      throw fsError(err, 'write into', root);
    }
    // A file whose directory does not exist yet is staged in a tree that moves into place whole: a run into a
    // new directory renames that directory once instead of each of its files.
    const trees = new NewTrees(root);
    const stagingDirs = new Set<string>();
    for (const [i, w] of writes.entries()) {
      const tree = isDelete(w) || w === receiptWrite ? undefined : trees.of(dirname(w.path));
      const staged = isDelete(w) ? null : tree === undefined ? `f${i}` : treeStagedName(w.path);
      if (staged !== null) {
        const file = join(staging, ...staged.split('/'));
        try {
          if (tree !== undefined && !stagingDirs.has(dirname(file))) {
            mkdirSync(dirname(file), { recursive: true });
            stagingDirs.add(dirname(file));
          }
          if (w === receiptWrite) writePieces(file, receiptPieces(plan.receipt));
          else writeFileSync(file, w.content!);
        } catch (err) {
          throw fsError(err, 'write', abs(root, w.path), { shown: w.path });
        }
      }
      entries.push({ path: w.path, staged, backup: w.previousHash !== null ? `b${i}` : null });
    }
    try {
      storeObjects(root, bases, newObjects);
    } catch (err) {
      throw isFsError(err) ? fsError(err, 'write', join(stateDir(root), 'objects'), { shown: '.ggen/objects' }) : err;
    }
    await runHooks(plan.hooks.filter((h) => h.when === 'before'), plan.projectRoot, runs, opts);
    // Directories are created first and remembered, so a rollback removes exactly what was added.
    const known = new Set<string>();
    for (const [i, w] of writes.entries()) {
      if (isDelete(w)) continue;
      if (entries[i]!.staged!.startsWith('t/')) trees.record(dirname(w.path), created);
      else mkdirTracked(root, dirname(w.path), created, known);
    }
    try {
      writeFileSync(join(staging, JOURNAL), serializeJournal({ ggenJournal: 1, root, entries, dirs: created }, env));
    } catch (err) {
      throw isGgenError(err) ? err : fsError(err, 'write', join(staging, JOURNAL), { shown: '.ggen (rollback journal)' });
    }
    if (opts.signal?.aborted) throw interrupted();
    renaming = true;
    for (const tree of trees.tops()) {
      try {
        renameSync(join(staging, ...treeStagedName(tree).split('/')), abs(root, tree));
      } catch (err) {
        throw fsError(err, 'write', abs(root, tree), { shown: tree });
      }
    }
    for (const entry of entries) {
      if (entry.staged?.startsWith('t/')) continue; // moved with its tree
      const target = abs(root, entry.path);
      try {
        if (entry.backup !== null) renameSync(target, join(staging, entry.backup));
        if (entry.staged !== null) renameSync(join(staging, entry.staged), target);
      } catch (err) {
        throw fsError(err, entry.staged === null ? 'delete' : 'write', target, { shown: entry.path });
      }
    }
    await runHooks(plan.hooks.filter((h) => h.when === 'after'), plan.projectRoot, runs, opts);
    if (opts.signal?.aborted) throw interrupted();
  } catch (err) {
    if (renaming) rollback(root, staging, entries, created);
    else for (const dir of [...created].reverse()) { try { rmdirSync(abs(root, dir)); } catch { /* not empty */ } }
    rmSync(staging, { recursive: true, force: true });
    for (const file of newObjects) rmSync(file, { force: true });
    try { rmdirSync(join(stateDir(root), 'objects')); } catch { /* holds older bases */ }
    for (const dir of [...stateCreated].reverse()) { try { rmdirSync(abs(root, dir)); } catch { /* holds other state */ } }
    if (isGgenError(err)) throw err;
    if (isFsError(err)) throw fsError(err, 'write into', root, { suffix: '; nothing was changed' });
    throw err;
  }
  rmSync(staging, { recursive: true, force: true });
  if (writeReceipt) pruneObjects(root, referencedObjects(plan.receipt));
  try { rmdirSync(stateDir(root)); } catch { /* holds the receipt or a lock */ }
  return result();
}
