// `lifecycle pipeline`: phases across workspaces, in depends_on order, in parallel where a phase allows it.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import type { HashMemo } from './cache.js';
import { checkEnvName } from './env.js';
import type { PhaseStatus } from './events.js';
import { loadWorkspaceMake } from './make-toml/load.js';
import { isInside } from './make-toml/rules.js';
import type { ConfigIssue, MakeToml } from './model.js';
import { planSegments, requirePhase, type PlanSegments } from './plan.js';
import { describeSteps, type DryRunStep, type RunLifecycleOptions } from './run.js';
import { preflightSteps, RunContext, runSteps } from './runner.js';
import { RunnerPool } from './shell-runner.js';

export interface PipelineOptions extends RunLifecycleOptions {
  /** Most workspaces run at once for a `parallel = true` phase (default: CPU count). */
  maxParallel?: number;
}

export interface PipelineRow {
  /** "" for the project root (no workspaces). */
  workspace: string;
  phase: string;
  status: PhaseStatus;
  durationMs: number;
}

export interface PipelineResult {
  rows: PipelineRow[];
  /** The first failure (in workspace-name order), already reflected in rows. */
  error?: GgenError;
  warnings: ConfigIssue[];
}

interface WorkspaceUnit {
  name: string;
  make: MakeToml;
  dependsOn: string[];
  ctx: RunContext;
  phases: string[];
  segments: PlanSegments;
}

function workspaceDir(make: MakeToml, name: string): string {
  const ws = make.workspaces[name]!;
  const dir = resolve(make.root, ws.path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new GgenError('E_CONFIG', `workspace "${name}" directory does not exist: ${ws.path}`, { at: ws.at, hint: `create ${ws.path} or fix [workspace.${name}] path` });
  }
  if (!isInside(realpathSync(make.root), realpathSync(dir))) {
    throw new GgenError('E_CONFIG', `workspace "${name}" path "${ws.path}" resolves outside the project root`, { at: ws.at, hint: 'a symlink points outside the project; workspaces must stay inside it' });
  }
  return dir;
}

/** Which workspaces take part in each phase (the phase's `workspaces` list, or all that define it). */
function participants(root: MakeToml, units: WorkspaceUnit[], phase: string): string[] {
  const listed = root.phases[phase]?.workspaces;
  return units.filter((u) => Object.hasOwn(u.make.phases, phase) && (listed === undefined || listed.includes(u.name))).map((u) => u.name);
}

function prepareUnits(opts: PipelineOptions, memo: HashMemo, pool?: RunnerPool): { units: WorkspaceUnit[]; warnings: ConfigIssue[]; byPhase: Map<string, string[]> } {
  const root = opts.make;
  const warnings: ConfigIssue[] = [];
  const units: WorkspaceUnit[] = [];
  // The deploy gate reads every workspace's state from disk, so pending records are written first.
  const userGate = opts.gate;
  const gate = userGate && !opts.force ? async (phase: string) => {
    for (const u of units) u.ctx.store.flush();
    await userGate(phase);
  } : undefined;
  for (const name of Object.keys(root.workspaces).sort()) {
    workspaceDir(root, name);
    const loaded = loadWorkspaceMake(root, root.workspaces[name]!);
    warnings.push(...loaded.warnings);
    const ctx = new RunContext({ make: loaded.make, projectRoot: root.root, workspace: name, envName: opts.envName, force: opts.force, signal: opts.signal, onEvent: opts.onEvent, gate, memo, pool });
    units.push({ name, make: loaded.make, dependsOn: root.workspaces[name]!.dependsOn, ctx, phases: [], segments: [] });
  }
  const byPhase = new Map<string, string[]>();
  for (const phase of opts.phases) {
    const names = participants(root, units, phase);
    if (names.length === 0) {
      const all = new Set([...Object.keys(root.phases), ...units.flatMap((u) => Object.keys(u.make.phases))]);
      if (Object.hasOwn(root.phases, phase)) throw new GgenError('E_USAGE', `phase "${phase}" runs in no workspace`, { at: root.phases[phase]!.at, hint: 'check its workspaces list' });
      throw new GgenError('E_USAGE', `unknown phase "${phase}"`, { at: { file: root.file }, hint: didYouMean(phase, all) ?? `phases: ${[...all].sort().join(', ')}` });
    }
    byPhase.set(phase, names);
    for (const u of units) if (names.includes(u.name)) u.phases.push(phase);
  }
  for (const u of units) {
    u.segments = planSegments(u.make, u.phases);
    preflightSteps(u.ctx, u.segments.flat());
  }
  return { units, warnings, byPhase };
}

type TaskResult = { status: PhaseStatus; durationMs: number; error?: GgenError };

/** Runs one phase over its workspaces: dependencies first, at most `limit` at once, no new starts after a failure. */
async function runPhaseAcross(phase: string, names: string[], units: Map<string, WorkspaceUnit>, limit: number): Promise<Map<string, TaskResult>> {
  const results = new Map<string, TaskResult>();
  const waiting = [...names];
  const running = new Map<string, Promise<void>>();
  let failed = false;
  const depsOf = (name: string) => units.get(name)!.dependsOn.filter((d) => names.includes(d));
  const start = (name: string) => {
    const unit = units.get(name)!;
    const segment = unit.segments[unit.phases.indexOf(phase)]!;
    const t0 = performance.now();
    const task = runSteps(unit.ctx, segment).then(
      (outcomes) => {
        const main = outcomes.find((o) => o.phase === phase && o.trigger === 'requested');
        results.set(name, { status: main?.status ?? 'ok', durationMs: Math.round(performance.now() - t0) });
      },
      (error: unknown) => {
        failed = true;
        results.set(name, { status: 'failed', durationMs: Math.round(performance.now() - t0), error: error instanceof GgenError ? error : new GgenError('E_LIFECYCLE', String(error), { cause: error }) });
      },
    ).finally(() => running.delete(name));
    running.set(name, task);
  };
  while (waiting.length > 0 || running.size > 0) {
    for (const name of [...waiting]) {
      const deps = depsOf(name);
      const blocked = deps.some((d) => results.get(d)?.status === 'failed' || results.get(d)?.status === 'skipped');
      if (failed || blocked) {
        results.set(name, { status: 'skipped', durationMs: 0 });
        waiting.splice(waiting.indexOf(name), 1);
        continue;
      }
      if (running.size >= limit) break;
      if (deps.every((d) => results.has(d))) {
        waiting.splice(waiting.indexOf(name), 1);
        start(name);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return results;
}

export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  checkEnvName(opts.make, opts.envName);
  const root = opts.make;
  if (Object.keys(root.workspaces).length === 0) return runRootPipeline(opts);
  const pool = new RunnerPool();
  try {
    const { units, warnings, byPhase } = prepareUnits(opts, new Map(), pool);
    try {
      return await runAcrossWorkspaces(opts, units, warnings, byPhase);
    } finally {
      for (const u of units) u.ctx.store.flush();
    }
  } finally {
    pool.close();
  }
}

async function runAcrossWorkspaces(opts: PipelineOptions, units: WorkspaceUnit[], warnings: ConfigIssue[], byPhase: Map<string, string[]>): Promise<PipelineResult> {
  const root = opts.make;
  const unitMap = new Map(units.map((u) => [u.name, u]));
  const rows: PipelineRow[] = [];
  let error: GgenError | undefined;
  for (const phase of opts.phases) {
    const names = byPhase.get(phase)!;
    if (error) {
      for (const name of names) rows.push({ workspace: name, phase, status: 'skipped', durationMs: 0 });
      continue;
    }
    const def = root.phases[phase] ?? unitMap.get(names[0]!)!.make.phases[phase]!;
    const limit = def.parallel ? Math.max(1, opts.maxParallel ?? availableParallelism()) : 1;
    const results = await runPhaseAcross(phase, names, unitMap, limit);
    for (const name of names) {
      const r = results.get(name) ?? { status: 'skipped' as const, durationMs: 0 };
      rows.push({ workspace: name, phase, status: r.status, durationMs: r.durationMs });
      if (r.error && !error) error = r.error;
    }
  }
  return { rows, error, warnings };
}

async function runRootPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const segments = planSegments(opts.make, opts.phases);
  const pool = new RunnerPool();
  const ctx = new RunContext({ make: opts.make, projectRoot: opts.make.root, envName: opts.envName, force: opts.force, signal: opts.signal, onEvent: opts.onEvent, gate: opts.force ? undefined : opts.gate, pool });
  try {
    preflightSteps(ctx, segments.flat());
    return await runRootSegments(opts, ctx, segments);
  } finally {
    ctx.store.flush();
    pool.close();
  }
}

async function runRootSegments(opts: PipelineOptions, ctx: RunContext, segments: PlanSegments): Promise<PipelineResult> {
  const rows: PipelineRow[] = [];
  let error: GgenError | undefined;
  for (const [i, segment] of segments.entries()) {
    const phase = opts.phases[i]!;
    if (error) {
      rows.push({ workspace: '', phase, status: 'skipped', durationMs: 0 });
      continue;
    }
    const t0 = performance.now();
    try {
      const outcomes = await runSteps(ctx, segment);
      const main = outcomes.find((o) => o.phase === phase && o.trigger === 'requested');
      rows.push({ workspace: '', phase, status: main?.status ?? 'ok', durationMs: Math.round(performance.now() - t0) });
    } catch (err) {
      error = err instanceof GgenError ? err : new GgenError('E_LIFECYCLE', String(err), { cause: err });
      rows.push({ workspace: '', phase, status: 'failed', durationMs: Math.round(performance.now() - t0) });
    }
  }
  return { rows, error, warnings: [] };
}

/** The dry run of a pipeline: every workspace's steps, in the order a sequential run would take. */
export function describePipeline(opts: Omit<PipelineOptions, 'signal' | 'onEvent' | 'gate'>): { steps: DryRunStep[]; warnings: ConfigIssue[] } {
  checkEnvName(opts.make, opts.envName);
  if (Object.keys(opts.make.workspaces).length === 0) {
    for (const p of opts.phases) requirePhase(opts.make, p);
    const ctx = new RunContext({ make: opts.make, projectRoot: opts.make.root, envName: opts.envName, force: opts.force });
    const steps = planSegments(opts.make, opts.phases).flat();
    preflightSteps(ctx, steps);
    return { steps: describeSteps(ctx, steps), warnings: [] };
  }
  const { units, warnings, byPhase } = prepareUnits(opts, new Map());
  const steps: DryRunStep[] = [];
  for (const phase of opts.phases) {
    const names = byPhase.get(phase)!;
    for (const name of topoOrder(names, units)) {
      const u = units.find((x) => x.name === name)!;
      steps.push(...describeSteps(u.ctx, u.segments[u.phases.indexOf(phase)]!));
    }
  }
  return { steps, warnings };
}

/** Dependencies first, names alphabetical among equals. */
export function topoOrder(names: string[], units: ReadonlyArray<{ name: string; dependsOn: string[] }>): string[] {
  const done: string[] = [];
  const pending = [...names].sort();
  while (pending.length > 0) {
    const next = pending.find((n) => (units.find((u) => u.name === n)?.dependsOn ?? []).every((d) => !names.includes(d) || done.includes(d)));
    const pick = next ?? pending[0]!;
    done.push(pick);
    pending.splice(pending.indexOf(pick), 1);
  }
  return done;
}
