// Runs the steps of one context (the root or one workspace): cache check, commands, state records, fail fast.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { computeCacheKey, type HashMemo, inputHashes, isCacheable, missingOutputs } from './cache.js';
import { declaredEnv, DEFAULT_ENV_NAME, phaseEnv } from './env.js';
import type { EventSink, PhaseOutcome } from './events.js';
import { FileIndex } from '../util/glob.js';
import { formatDuration } from './make-toml/duration.js';
import { DEFAULT_TIMEOUT_MS, type MakeToml, type Phase } from './model.js';
import type { PlanStep } from './plan.js';
import { checkCommandRunnable } from './preflight.js';
import { type CommandResult, runShellCommand } from '../util/process-group.js';
import type { RunnerPool } from './shell-runner.js';
import { StateStore } from './state.js';

export interface RunContextOptions {
  make: MakeToml;
  /** The top-level project root (GGEN_ROOT). */
  projectRoot: string;
  workspace?: string;
  envName?: string;
  force?: boolean;
  signal?: AbortSignal;
  onEvent?: EventSink;
  /** Called before a phase named "deploy" runs; throws to refuse. */
  gate?: (phase: string) => void | Promise<void>;
  memo?: HashMemo;
  /** Long-lived shells to run commands through; without it each command is spawned directly. */
  pool?: RunnerPool;
}

export class RunContext {
  readonly store: StateStore;
  readonly index: FileIndex;
  readonly memo: HashMemo;
  readonly envName: string;

  constructor(readonly opts: RunContextOptions) {
    this.store = new StateStore(opts.make.root);
    this.index = new FileIndex(opts.make.root);
    this.memo = opts.memo ?? new Map();
    this.envName = opts.envName ?? DEFAULT_ENV_NAME;
  }

  get make(): MakeToml {
    return this.opts.make;
  }

  /** A stand-in phase for hook commands: they see the env of the phase they belong to. */
  hookPhase(trigger: string): Phase {
    const owner = trigger.replace(/^(before|after)_/, '');
    return this.make.phases[owner] ?? { name: owner, commands: [], env: {}, inputs: [], outputs: [] };
  }

  private envBase(phase: Phase) {
    return { make: this.make, phase, envName: this.envName, projectRoot: this.opts.projectRoot, workspace: this.opts.workspace };
  }

  /** The variables ggen sets for a phase (cheap: no copy of the inherited environment). */
  declaredEnvFor(phase: Phase): Record<string, string> {
    return declaredEnv(this.envBase(phase));
  }

  envFor(phase: Phase) {
    const base = this.envBase(phase);
    return { declared: declaredEnv(base), full: phaseEnv(base) };
  }

  cwdFor(phase: Phase): string {
    return resolve(this.make.root, phase.cwd ?? '.');
  }

  /** The cache key of a phase now, and whether a run can be skipped. */
  cacheStatus(phase: Phase): { key: string; cached: boolean } {
    const cacheable = isCacheable(phase);
    const declared = this.declaredEnvFor(phase);
    const key = computeCacheKey({ phase: phase.name, commands: phase.commands, env: declared, inputs: cacheable ? inputHashes(phase, this.index, this.memo) : [] });
    const cached = cacheable && !this.opts.force && this.store.lastSuccessKey(phase.name) === key && missingOutputs(phase, this.index).length === 0;
    return { key, cached };
  }

  where(phase: string): string {
    return this.opts.workspace === undefined ? `phase "${phase}"` : `workspace "${this.opts.workspace}" phase "${phase}"`;
  }
}

/** Checks every command of the steps before anything runs. */
export function preflightSteps(ctx: RunContext, steps: readonly PlanStep[]): void {
  for (const step of steps) {
    const phase = step.kind === 'phase' ? ctx.make.phases[step.phase]! : ctx.hookPhase(step.trigger);
    const cwd = step.kind === 'phase' ? ctx.cwdFor(phase) : ctx.make.root;
    const pathVar = ctx.declaredEnvFor(phase).PATH ?? process.env.PATH;
    const commands = step.kind === 'phase' ? phase.commands : [step.command];
    const where = step.kind === 'phase' ? ctx.where(step.phase) : `hook ${step.trigger}`;
    for (const command of commands) checkCommandRunnable({ command, cwd, pathVar, where, at: step.kind === 'phase' ? phase.at : ctx.make.hookAt[step.trigger] });
  }
}

function failureError(ctx: RunContext, where: string, command: string, res: CommandResult, timeoutMs: number, phaseName: string): GgenError {
  if (res.interrupted) return new GgenError('E_LIFECYCLE', `interrupted: ${where} stopped while running \`${command}\``, { exitCode: 130, hint: 'the command and its child processes were killed' });
  if (res.timedOut) {
    return new GgenError('E_TIMEOUT', `command timed out after ${formatDuration(timeoutMs)} in ${where}: \`${command}\``, { at: ctx.make.phases[phaseName]?.at, hint: `the command and its child processes were killed; raise [lifecycle.${phaseName}] timeout (default 10m) if it needs longer` });
  }
  const how = res.exitCode !== null ? `exited with code ${res.exitCode}` : `was killed by ${res.signal ?? 'a signal'}`;
  const hint = res.exitCode === 127 ? 'exit code 127: the shell could not find the command' : res.exitCode === 126 ? 'exit code 126: the command is not executable' : 'its output is shown above';
  return new GgenError('E_LIFECYCLE', `command failed in ${where}: \`${command}\` ${how}`, { hint });
}

async function runCommands(ctx: RunContext, phase: Phase, commands: readonly string[], eventPhase: string, where: string): Promise<{ res?: CommandResult; command?: string; error?: GgenError }> {
  const { full } = ctx.envFor(phase);
  const cwd = ctx.cwdFor(phase);
  if (!existsSync(cwd)) return { error: new GgenError('E_LIFECYCLE', `working directory of ${where} does not exist: ${cwd}`, { at: phase.at, hint: 'create it in an earlier phase or fix cwd' }), command: commands[0] };
  const timeoutMs = phase.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const workspace = ctx.opts.workspace;
  for (const command of commands) {
    if (ctx.opts.signal?.aborted) return { error: new GgenError('E_LIFECYCLE', `interrupted before ${where} ran \`${command}\``, { exitCode: 130 }), command };
    ctx.opts.onEvent?.({ type: 'command', workspace, phase: eventPhase, command });
    let res: CommandResult;
    try {
      const spec = { command, cwd, env: full, timeoutMs, signal: ctx.opts.signal, errorCode: 'E_LIFECYCLE' as const, onLine: (stream: 'stdout' | 'stderr', line: string) => ctx.opts.onEvent?.({ type: 'output', workspace, phase: eventPhase, stream, line }) };
      res = await (ctx.opts.pool ? ctx.opts.pool.run(spec) : runShellCommand(spec));
    } catch (err) {
      return { error: err as GgenError, command };
    }
    if (res.exitCode !== 0 || res.timedOut || res.interrupted) return { res, command, error: failureError(ctx, where, command, res, timeoutMs, phase.name) };
  }
  return {};
}

/** Runs one phase (its commands only; hooks are separate steps). Throws after recording a failure. */
export async function runPhaseStep(ctx: RunContext, name: string, trigger: string): Promise<PhaseOutcome> {
  const phase = ctx.make.phases[name]!;
  const workspace = ctx.opts.workspace;
  if (name === 'deploy' && ctx.opts.gate) {
    ctx.store.flush(); // the gate reads the test phase's last run from disk
    await ctx.opts.gate(name);
  }
  const { key, cached } = ctx.cacheStatus(phase);
  if (cached) {
    // A skip runs nothing, so it adds no history entry (a fully cached pipeline writes no state at all).
    ctx.opts.onEvent?.({ type: 'phase-cached', workspace, phase: name, key });
    return { workspace, phase: name, trigger, status: 'cached', durationMs: 0 };
  }
  ctx.opts.onEvent?.({ type: 'phase-start', workspace, phase: name, trigger });
  const startedMs = Date.now();
  const t0 = performance.now();
  const { res, command, error } = await runCommands(ctx, phase, phase.commands, name, ctx.where(name));
  const durationMs = Math.round(performance.now() - t0);
  const exitCode = error ? (res?.exitCode ?? null) : 0;
  ctx.store.record({
    phase: name, started_ms: startedMs, duration_ms: durationMs, success: !error, exit_code: exitCode, workspace: workspace ?? null, cache_key: key, env: ctx.envName,
    ...(error ? { command, error: res?.timedOut ? 'timeout' : res?.interrupted ? 'interrupted' : error.message } : {}),
  });
  ctx.opts.onEvent?.({ type: 'phase-end', workspace, phase: name, success: !error, durationMs, exitCode });
  if (error) throw error;
  return { workspace, phase: name, trigger, status: 'ok', durationMs };
}

/** Runs a `run: …` hook command in the context root. */
export async function runHookCommand(ctx: RunContext, command: string, trigger: string): Promise<void> {
  const workspace = ctx.opts.workspace;
  ctx.opts.onEvent?.({ type: 'hook-command', workspace, trigger, command });
  const phase = { ...ctx.hookPhase(trigger), cwd: undefined };
  const startedMs = Date.now();
  const t0 = performance.now();
  const where = workspace === undefined ? `hook ${trigger}` : `workspace "${workspace}" hook ${trigger}`;
  const { res, error } = await runCommands(ctx, phase, [command], trigger, where);
  ctx.store.record({ phase: trigger, started_ms: startedMs, duration_ms: Math.round(performance.now() - t0), success: !error, exit_code: error ? (res?.exitCode ?? null) : 0, workspace: workspace ?? null, env: ctx.envName, command, ...(error ? { error: error.message } : {}) }, { hook: true });
  if (error) throw error;
}

/** Runs steps in order, failing fast. */
export async function runSteps(ctx: RunContext, steps: readonly PlanStep[]): Promise<PhaseOutcome[]> {
  const outcomes: PhaseOutcome[] = [];
  for (const step of steps) {
    if (step.kind === 'phase') outcomes.push(await runPhaseStep(ctx, step.phase, step.trigger));
    else await runHookCommand(ctx, step.command, step.trigger);
  }
  return outcomes;
}
