// One generation run against an output root: lock → recover → plan → apply → release. The CLI and watch call this.
import { rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireFileLock, type HeldLock, type LockHolder } from '../util/file-lock.js';
import { applyPlan, recoverInterruptedApply, type ApplyOptions, type ApplyResult } from './apply.js';
import { outputStats, writeInputsRecord } from './inputs.js';
import { planGeneration, resolveOutputRoot, type GenerationPlan, type PlanOptions } from './plan.js';
import { serializeReceipt } from './receipt.js';
import { assertStateDirSafe, stateDir } from './state-dir.js';

export interface LockOptions {
  /** false: fail at once when another run holds the root (`--no-wait`); default: wait. */
  wait?: boolean;
  /** Called once when another run holds the lock and this one starts waiting. */
  onWait?: (holder: LockHolder | undefined, root: string) => void;
  /** What this run is doing, shown to runs that wait for it. */
  purpose?: string;
  /** Give up waiting after this long (ms). */
  timeoutMs?: number;
}

export interface RunOptions extends PlanOptions, Omit<ApplyOptions, 'signal'>, LockOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Called with the plan before anything is written (still under the lock), e.g. to diff against the old tree. */
  onPlanned?: (plan: GenerationPlan) => void;
}

export interface RunResult {
  plan: GenerationPlan;
  /** Absent for a dry run. */
  applied?: ApplyResult;
}

/**
 * Serialises every run that writes one output root (`gen`, `project gen`, `project apply`, watch) with
 * `.ggen/lock`; a lock left by a killed process is taken over. Releasing leaves no `.ggen/` behind when
 * nothing else lives there.
 */
export async function lockOutputRoot(root: string, opts: LockOptions = {}): Promise<HeldLock> {
  assertStateDirSafe(root);
  return acquireFileLock(join(stateDir(root), 'lock'), {
    wait: opts.wait, timeoutMs: opts.timeoutMs, purpose: opts.purpose ?? 'ggen generation',
    busyMessage: `the output root ${root} is being written`,
    onWait: (holder) => opts.onWait?.(holder, root),
  });
}

/** Runs `fn` holding the root's lock, after undoing any run that was killed half-way. */
export async function withOutputRoot<T>(root: string, opts: LockOptions & { env?: NodeJS.ProcessEnv }, fn: () => Promise<T>): Promise<T> {
  const lock = await lockOutputRoot(root, opts);
  try {
    recoverInterruptedApply(root, opts.env);
    return await fn();
  } finally {
    lock.release();
    // An empty `.ggen/` (state recovered, nothing kept) is not left behind.
    try { rmdirSync(stateDir(root)); } catch { /* holds the receipt or other state */ }
  }
}

/** Plans and (unless a dry run) applies, under the root's lock so the tree always equals one run's output. */
export async function runGeneration(opts: RunOptions): Promise<RunResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (opts.dryRun) {
    const plan = await planGeneration({ ...opts, cwd });
    opts.onPlanned?.(plan);
    return { plan };
  }
  const root = resolveOutputRoot(resolve(cwd, opts.projectRoot ?? '.'), opts.outDir);
  const keepsState = opts.writeReceipt !== false;
  return withOutputRoot(root, opts, async () => {
    const plan = await planGeneration({ ...opts, cwd, writeCache: keepsState });
    opts.onPlanned?.(plan);
    const applied = await applyPlan(plan, opts);
    // Signed and bound to the receipt just written: the next run may reuse what did not change.
    if (keepsState) {
      plan.queryCache?.flush();
      if (plan.inputs !== undefined) writeInputsRecord(plan.root, { ...plan.inputs, stats: outputStats(plan.root, plan.receipt.outputs, plan.startedAt ?? 0, new Set(applied.written)) }, applied.receiptText ?? serializeReceipt(plan.receipt), opts.env);
    }
    return { plan, applied };
  });
}

/** Applies a loaded plan file under the root's lock. */
export async function runPlanFile(plan: GenerationPlan, opts: ApplyOptions & LockOptions & { dryRun?: boolean }): Promise<RunResult> {
  if (opts.dryRun) return { plan };
  return withOutputRoot(plan.root, opts, async () => ({ plan, applied: await applyPlan(plan, opts) }));
}
