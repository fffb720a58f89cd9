// One generation run against an output root: lock → recover → plan → apply → release. The CLI and watch call this.
import { rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyPlan, recoverInterruptedApply, type ApplyOptions, type ApplyResult } from './apply.js';
import { outputStats, writeInputsRecord } from './inputs.js';
import { planGeneration, resolveOutputRoot, type GenerationPlan, type PlanOptions } from './plan.js';
import { receiptHash } from './receipt.js';
import { settledMemo } from './settled.js';
import { lockOutputRoot, type LockOptions } from './root-lock.js';
import { stateDir } from './state-dir.js';

export { lockOutputRoot, type LockOptions } from './root-lock.js';

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
      if (plan.inputs !== undefined) {
        // A file read and found with the recorded content (its hash before applying is the record's) is confirmed.
        const before = new Map(plan.operations.map((op) => [op.path, op.previousHash]));
        const confirmed = new Set(plan.receipt.outputs.filter((o) => before.get(o.path) === o.hash).map((o) => o.path));
        const stats = outputStats(plan.root, plan.receipt.outputs, plan.startedAt ?? 0, new Set(applied.written), plan.checkedStats, confirmed);
        const { settled: _previous, ...record } = plan.inputs;
        const settled = settledMemo(opts, plan, stats);
        writeInputsRecord(plan.root, { ...record, stats, ...(settled ? { settled } : {}) }, applied.receiptHash ?? receiptHash(plan.receipt), opts.env);
      }
    }
    return { plan, applied };
  });
}

/** Applies a loaded plan file under the root's lock. */
export async function runPlanFile(plan: GenerationPlan, opts: ApplyOptions & LockOptions & { dryRun?: boolean }): Promise<RunResult> {
  if (opts.dryRun) return { plan };
  return withOutputRoot(plan.root, opts, async () => ({ plan, applied: await applyPlan(plan, opts) }));
}
