// applyPlan: the only writer. Stages every file, then renames into place; any failure rolls the whole run back.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GgenError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import type { GenerationPlan, PlannedHook } from './plan.js';
import { RECEIPT_PATH, serializeReceipt } from './receipt.js';

export interface ApplyOptions {
  allowHooks?: boolean;
  /** Write `<root>/.ggen/receipt.json` (default true). */
  writeReceipt?: boolean;
  /** Aborting (e.g. on Ctrl-C) stops a running hook and rolls the run back. */
  signal?: AbortSignal;
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
  hooks: HookRun[];
  receiptPath?: string;
}

interface JournalEntry {
  target: string;
  staged: string;
  /** Where the previous file was moved, or null when the target did not exist. */
  backup: string | null;
}

const STAGING_PREFIX = 'staging-';

function ggenDir(root: string): string {
  return join(root, '.ggen');
}

function currentHash(file: string): string | null {
  if (lstatSync(file, { throwIfNoEntry: false }) === undefined) return null;
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Undoes a run that was killed while renaming: restores moved-away files and removes new ones. */
export async function recoverInterruptedApply(root: string): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(ggenDir(root))).filter((n) => n.startsWith(STAGING_PREFIX)).sort();
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const name of names) {
    // Another ggen still running (say, watch) owns its staging directory: leave it alone.
    const pid = Number(/^staging-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    const dir = join(ggenDir(root), name);
    let journal: { entries: JournalEntry[]; created: string[] } | undefined;
    try {
      journal = JSON.parse(await readFile(join(dir, 'journal.json'), 'utf8'));
    } catch {
      journal = undefined; // killed before renaming started: the tree was never touched
    }
    if (journal) {
      await rollback(journal.entries, journal.created);
      recovered++;
    }
    await rm(dir, { recursive: true, force: true });
  }
  return recovered;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

async function rollback(entries: JournalEntry[], createdDirs: string[]): Promise<void> {
  for (const entry of [...entries].reverse()) {
    if (entry.backup !== null && (await exists(entry.backup))) {
      await rename(entry.backup, entry.target).catch(() => undefined);
    } else if (entry.backup === null && !(await exists(entry.staged))) {
      // The staged file was moved to the target: remove it, the target did not exist before.
      await unlink(entry.target).catch(() => undefined);
    }
  }
  for (const dir of [...createdDirs].reverse()) await rmdir(dir).catch(() => undefined);
}

/** mkdir -p that records each directory it creates (so a rollback removes exactly those); sync for speed. */
function mkdirTracked(dir: string, created: string[], known: Set<string>): void {
  const missing: string[] = [];
  let current = dir;
  while (!known.has(current) && !existsSync(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing.reverse()) {
    mkdirSync(d);
    created.push(d);
  }
  known.add(dir);
}

function runHook(hook: PlannedHook, cwd: string, signal?: AbortSignal): Promise<HookRun> {
  return new Promise((resolvePromise) => {
    // Its own process group, so stopping the hook also stops what it started (sleep, servers, …).
    const child = spawn('sh', ['-c', hook.command], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    signal?.addEventListener('abort', stop, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', stop));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolvePromise({ ...hook, exitCode: 127, stdout, stderr: stderr + err.message }));
    child.on('close', (code, signal) => resolvePromise({ when: hook.when, command: hook.command, template: hook.template, exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

function interrupted(): GgenError {
  return new GgenError('E_GENERATE', 'interrupted: nothing was changed', { exitCode: 130 });
}

async function runHooks(hooks: PlannedHook[], cwd: string, runs: HookRun[], signal?: AbortSignal): Promise<void> {
  for (const hook of hooks) {
    if (signal?.aborted) throw interrupted();
    const run = await runHook(hook, cwd, signal);
    if (signal?.aborted) throw interrupted();
    runs.push(run);
    if (run.exitCode !== 0) {
      const last = run.stderr.trim().split('\n').pop() ?? '';
      throw new GgenError('E_HOOK', `sh_${hook.when} hook of ${hook.template} failed with exit code ${run.exitCode}: ${hook.command}${last ? ` (${last})` : ''}`, {
        at: { file: hook.template }, hint: 'nothing was written; fix the hook or the command it runs',
      });
    }
  }
}

/**
 * Applies a plan all-or-nothing: refuses if a target changed since planning, stages all contents under
 * `<root>/.ggen/staging-*`, runs sh_before hooks, renames everything into place, runs sh_after hooks.
 * A failure at any step (including a hook) restores the tree; a killed run is undone by the next one.
 */
export async function applyPlan(plan: GenerationPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const root = plan.root;
  if (plan.hooks.length > 0 && !opts.allowHooks) {
    const first = plan.hooks[0]!;
    throw new GgenError('E_HOOK', `${first.template} declares a sh_${first.when} hook (${first.command}); hooks run only with --allow-hooks`, {
      at: { file: first.template }, hint: `rerun with --allow-hooks to run ${plan.hooks.length === 1 ? 'it' : `all ${plan.hooks.length} hooks`} (see them with --dry-run)`,
    });
  }
  await recoverInterruptedApply(root);
  const writes = plan.operations.filter((op) => op.content !== undefined && (op.kind === 'create' || op.kind === 'overwrite' || op.kind === 'inject'));
  for (const op of plan.operations) {
    if (op.kind === 'skip') continue;
    const now = currentHash(join(root, ...op.path.split('/')));
    if (now !== op.previousHash) {
      throw new GgenError('E_PLAN_STALE', `${op.path} changed since the plan was made`, { hint: 'make a new plan (ggen project plan) and apply that' });
    }
  }
  const runs: HookRun[] = [];
  const writeReceipt = opts.writeReceipt !== false;
  if (writes.length === 0 && plan.hooks.length === 0) {
    const receiptPath = writeReceipt ? await saveReceipt(plan) : undefined;
    return { written: [], hooks: runs, receiptPath };
  }
  const staging = join(ggenDir(root), `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  // Directories made for staging are removed on failure too, so a failed run leaves no trace.
  const stagingDirs: string[] = [];
  mkdirTracked(dirname(staging), stagingDirs, new Set());
  const entries: JournalEntry[] = [];
  const created: string[] = [];
  let renaming = false;
  try {
    await mkdir(staging, { recursive: true });
    for (const [i, op] of writes.entries()) {
      const staged = join(staging, `f${i}`);
      writeFileSync(staged, op.content!);
      const target = join(root, ...op.path.split('/'));
      entries.push({ target, staged, backup: op.previousHash === null ? null : join(staging, `b${i}`) });
    }
    await runHooks(plan.hooks.filter((h) => h.when === 'before'), plan.projectRoot, runs, opts.signal);
    // Directories are created first and remembered, so a rollback removes exactly what was added.
    const known = new Set<string>();
    for (const entry of entries) mkdirTracked(dirname(entry.target), created, known);
    await writeFile(join(staging, 'journal.json'), JSON.stringify({ entries, created }));
    renaming = true;
    for (const entry of entries) {
      if (entry.backup !== null) renameSync(entry.target, entry.backup);
      renameSync(entry.staged, entry.target);
    }
    await runHooks(plan.hooks.filter((h) => h.when === 'after'), plan.projectRoot, runs, opts.signal);
    if (opts.signal?.aborted) throw interrupted();
  } catch (err) {
    if (renaming) await rollback(entries, created);
    else for (const dir of [...created].reverse()) await rmdir(dir).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    for (const dir of [...stagingDirs].reverse()) await rmdir(dir).catch(() => undefined);
    if (err instanceof GgenError) throw err;
    throw new GgenError('E_IO', `writing failed, nothing was changed: ${(err as Error).message}`, { cause: err });
  }
  await rm(staging, { recursive: true, force: true });
  await rmdir(ggenDir(root)).catch(() => undefined);
  const receiptPath = writeReceipt ? await saveReceipt(plan) : undefined;
  return { written: writes.map((w) => w.path).sort(), hooks: runs, receiptPath };
}

async function saveReceipt(plan: GenerationPlan): Promise<string> {
  const file = join(plan.root, ...RECEIPT_PATH.split('/'));
  await writeFileAtomic(file, serializeReceipt(plan.receipt));
  return file;
}
