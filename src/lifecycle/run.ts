// `lifecycle run`: one invocation at the project root — plan, preflight, run, and the dry-run description.
import { checkEnvName } from './env.js';
import type { EventSink, PhaseOutcome } from './events.js';
import type { MakeToml } from './model.js';
import { DEFAULT_TIMEOUT_MS } from './model.js';
import { planInvocation, type PlanStep } from './plan.js';
import { preflightSteps, RunContext, runSteps } from './runner.js';
import { RunnerPool } from './shell-runner.js';

export interface RunLifecycleOptions {
  make: MakeToml;
  phases: string[];
  envName?: string;
  /** Rerun cached phases and skip the deploy readiness gate. */
  force?: boolean;
  signal?: AbortSignal;
  onEvent?: EventSink;
  /** Called before "deploy" unless `force`; throws to refuse. */
  gate?: (phase: string) => void | Promise<void>;
}

export async function runLifecycle(opts: RunLifecycleOptions): Promise<PhaseOutcome[]> {
  checkEnvName(opts.make, opts.envName);
  const steps = planInvocation(opts.make, opts.phases);
  const pool = new RunnerPool();
  const ctx = new RunContext({ make: opts.make, projectRoot: opts.make.root, envName: opts.envName, force: opts.force, signal: opts.signal, onEvent: opts.onEvent, gate: opts.force ? undefined : opts.gate, pool });
  try {
    preflightSteps(ctx, steps);
    return await runSteps(ctx, steps);
  } finally {
    ctx.store.flush();
    pool.close();
  }
}

/** One line-item of a dry run: exactly what would run, where, with which variables. */
export interface DryRunStep {
  workspace?: string;
  kind: 'phase' | 'command';
  /** The phase name, or the hook key for a `run:` hook command. */
  name: string;
  trigger: string;
  cwd: string;
  /** Variables ggen sets on top of the inherited environment. */
  env: Record<string, string>;
  commands: string[];
  timeoutMs: number;
  /** For cacheable phases: true when the run would be skipped. */
  cached?: boolean;
  cacheKey?: string;
}

export function describeSteps(ctx: RunContext, steps: readonly PlanStep[]): DryRunStep[] {
  return steps.map((step) => {
    if (step.kind === 'command') {
      const phase = ctx.hookPhase(step.trigger);
      return { workspace: ctx.opts.workspace, kind: 'command', name: step.trigger, trigger: step.trigger, cwd: ctx.make.root, env: ctx.envFor(phase).declared, commands: [step.command], timeoutMs: phase.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    }
    const phase = ctx.make.phases[step.phase]!;
    const { key, cached } = ctx.cacheStatus(phase);
    return { workspace: ctx.opts.workspace, kind: 'phase', name: step.phase, trigger: step.trigger, cwd: ctx.cwdFor(phase), env: ctx.envFor(phase).declared, commands: phase.commands, timeoutMs: phase.timeoutMs ?? DEFAULT_TIMEOUT_MS, cached, cacheKey: key };
  });
}

/** The dry run of `lifecycle run`: validates like a real run (env, phases, commands) and runs nothing. */
export function describeRun(opts: Omit<RunLifecycleOptions, 'signal' | 'onEvent' | 'gate'>): DryRunStep[] {
  checkEnvName(opts.make, opts.envName);
  const steps = planInvocation(opts.make, opts.phases);
  const ctx = new RunContext({ make: opts.make, projectRoot: opts.make.root, envName: opts.envName, force: opts.force });
  preflightSteps(ctx, steps);
  return describeSteps(ctx, steps);
}

