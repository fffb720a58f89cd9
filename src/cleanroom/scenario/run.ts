// Runs scenarios: each in its own cleanroom, steps in order, then the expectations as scored validators.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GgenError } from '../../errors.js';
import type { CleanroomConfig } from '../config.js';
import { CleanroomEnv } from '../env.js';
import { ggenBinPath } from '../ggen-bin.js';
import type { RunResult } from '../process.js';
import { runValidator, type ValidationResult, type Validator } from '../validation.js';
import { commandSucceeds, describeRun, readinessAtLeast } from '../validators/command.js';
import { compiles } from '../validators/compiles.js';
import { fileEqualsGolden, fileExists, treeEqualsSnapshot } from '../validators/files.js';
import { parsesAs } from '../validators/parse.js';
import { shaclConforms } from '../validators/shacl.js';
import type { Scenario, ScenarioStep, ValidatorSpec } from './model.js';
import { loadScenario } from './parse.js';

export type ScenarioStatus = 'passed' | 'failed' | 'error';

export interface StepResult {
  name: string;
  kind: ScenarioStep['kind'];
  line: number;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  exitCode?: number;
  messages: string[];
}

export interface ExpectationResult extends ValidationResult {
  line: number;
  minScore?: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  status: ScenarioStatus;
  durationMs: number;
  steps: StepResult[];
  expectations: ExpectationResult[];
  /** One line per problem, in order; empty when passed. */
  failures: string[];
  /** The env's metrics (process count and time), see CleanroomEnv.metrics. */
  metrics: Record<string, number>;
  /** The workspace left on disk (keepOnFailure). */
  keptPath?: string;
}

export interface ScenarioReport {
  passed: boolean;
  total: number;
  failed: number;
  durationMs: number;
  scenarios: ScenarioResult[];
}

export interface ScenarioRunOptions {
  /** Scenarios run at once (default 1; the CLI's --jobs). */
  concurrency?: number;
  /** Extra environment for every process of every scenario (e.g. GGEN_REGISTRY_URL). */
  env?: Record<string, string>;
  /** Prepares each env before the steps run (e.g. installs the pack under test). */
  setup?: (env: CleanroomEnv, scenario: Scenario) => Promise<void>;
  /** Keep the env of a failing scenario and report its path. */
  keepOnFailure?: boolean;
  /** Rewrite golden files and trees from the actual output (default: GGEN_UPDATE_GOLDEN=1). */
  updateGolden?: boolean;
  /** Base config for each scenario's env. */
  config?: Partial<CleanroomConfig>;
  /** Called as each scenario finishes (progress). */
  onResult?: (result: ScenarioResult) => void;
}

function validatorFor(spec: ValidatorSpec, updateGolden: boolean | undefined): Validator {
  const update = updateGolden === undefined ? {} : { update: updateGolden };
  switch (spec.type) {
    case 'file_exists': return fileExists(...spec.paths);
    case 'golden': return fileEqualsGolden(spec.file, spec.golden, update);
    case 'tree': return treeEqualsSnapshot(spec.golden, { under: spec.dir, ...update });
    case 'parses': return parsesAs(spec.file, spec.format);
    case 'shacl': return shaclConforms(spec.data, spec.shapes);
    case 'command': return commandSucceeds(spec.command, spec.args);
    case 'compiles': return compiles(spec.language, spec.files, { importModules: spec.importModules });
    case 'readiness': return readinessAtLeast(spec.min, { allowBlockers: spec.allowBlockers });
  }
}

function checkProcess(step: Extract<ScenarioStep, { kind: 'ggen' | 'run' }>, r: RunResult): string[] {
  const problems: string[] = [];
  if (r.timedOut) problems.push(`timed out after ${Math.round(r.durationMs)} ms`);
  else if (r.exitCode !== step.expect.exitCode) problems.push(`exit code ${r.exitCode}, expected ${step.expect.exitCode}`);
  if (step.expect.stdout && !step.expect.stdout.test(r.stdout)) problems.push(`stdout does not match ${String(step.expect.stdout)}`);
  if (step.expect.stderr && !step.expect.stderr.test(r.stderr)) problems.push(`stderr does not match ${String(step.expect.stderr)}`);
  if (problems.length > 0) problems.push(describeRun(r));
  return problems;
}

async function runStep(env: CleanroomEnv, scenario: Scenario, step: ScenarioStep, baseEnv: Record<string, string>): Promise<{ messages: string[]; exitCode?: number }> {
  switch (step.kind) {
    case 'write':
      await env.writeFile(step.path, step.content);
      return { messages: [] };
    case 'mkdir':
      await env.createDir(step.path);
      return { messages: [] };
    case 'copy':
      if (!existsSync(step.from)) return { messages: [`fixture not found: ${step.from}`] };
      await env.copyIn(step.from, step.to);
      return { messages: [] };
    default: {
      const command = step.kind === 'ggen' ? process.execPath : step.command;
      const args = step.kind === 'ggen' ? [ggenBinPath(), ...step.args] : step.args;
      const timeoutMs = step.timeoutMs ?? scenario.timeoutMs;
      const r = await env.run(command, args, {
        env: { ...baseEnv, ...scenario.env, ...step.env },
        ...(step.cwd === undefined ? {} : { cwd: step.cwd }),
        ...(step.stdin === undefined ? {} : { input: step.stdin }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      return { messages: checkProcess(step, r), exitCode: r.exitCode };
    }
  }
}

function messageOf(err: unknown): string {
  if (err instanceof GgenError) return `${err.message}${err.at ? ` (${err.at.file})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/** Runs one scenario in a fresh cleanroom. */
export async function runScenario(scenario: Scenario, opts: ScenarioRunOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const env = await CleanroomEnv.create({ ...opts.config, keepOnFailure: opts.keepOnFailure ?? opts.config?.keepOnFailure ?? false });
  const steps: StepResult[] = [];
  const expectations: ExpectationResult[] = [];
  const failures: string[] = [];
  let status: ScenarioStatus = 'passed';
  try {
    if (opts.setup) await opts.setup(env, scenario);
    let stepsOk = true;
    for (const step of scenario.steps) {
      if (!stepsOk) {
        steps.push({ name: step.name, kind: step.kind, line: step.line, status: 'skipped', durationMs: 0, messages: [] });
        continue;
      }
      const t0 = performance.now();
      const out = await runStep(env, scenario, step, opts.env ?? {});
      const ok = out.messages.length === 0;
      steps.push({ name: step.name, kind: step.kind, line: step.line, status: ok ? 'passed' : 'failed', durationMs: performance.now() - t0, ...(out.exitCode === undefined ? {} : { exitCode: out.exitCode }), messages: out.messages });
      if (!ok) {
        stepsOk = false;
        failures.push(`step ${steps.length} (${step.name}, line ${step.line}): ${out.messages.join('\n')}`);
      }
    }
    if (stepsOk) {
      for (const expectation of scenario.expectations) {
        const result = await runValidator(validatorFor(expectation.spec, opts.updateGolden), env);
        const ok = expectation.minScore === undefined ? result.passed : result.score >= expectation.minScore;
        const entry: ExpectationResult = { ...result, passed: ok, line: expectation.line, ...(expectation.minScore === undefined ? {} : { minScore: expectation.minScore }) };
        if (!ok && expectation.minScore !== undefined) entry.messages = [`score ${result.score.toFixed(2)} is below ${expectation.minScore}`, ...result.messages];
        expectations.push(entry);
        if (!ok) failures.push(`expect ${result.validator} (line ${expectation.line}): ${entry.messages.join('\n') || 'failed'}`);
      }
    }
    if (failures.length > 0) status = 'failed';
  } catch (err) {
    status = 'error';
    failures.push(messageOf(err));
  }
  if (status !== 'passed') env.markFailed(failures[0]);
  const metrics = env.metrics;
  await env.dispose();
  return {
    name: scenario.name,
    file: scenario.file,
    status,
    durationMs: performance.now() - started,
    steps,
    expectations,
    failures,
    metrics,
    ...(env.keptPath === undefined ? {} : { keptPath: env.keptPath }),
  };
}

/** Scenario files from the arguments: files as given, directories searched for *.toml (sorted). */
export async function expandScenarioPaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new GgenError('E_IO', 'scenario file not found', { at: { file: p }, hint: 'pass scenario .toml files or directories that contain them' });
    }
    if (!info.isDirectory()) {
      out.push(p);
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(full);
        else if (entry.isFile() && entry.name.endsWith('.toml')) found.push(full);
      }
    };
    await walk(p);
    if (found.length === 0) throw new GgenError('E_IO', 'no scenario files (*.toml) in directory', { at: { file: p } });
    out.push(...found.sort());
  }
  return out;
}

/** Loads every scenario first (a broken file stops the run before anything runs), then runs them. */
export async function runScenarioFiles(files: string[], opts: ScenarioRunOptions = {}): Promise<ScenarioReport> {
  const started = performance.now();
  const expanded = await expandScenarioPaths(files);
  const scenarios: Scenario[] = [];
  for (const file of expanded) scenarios.push(await loadScenario(file));
  const results: ScenarioResult[] = new Array<ScenarioResult>(scenarios.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      const i = next++;
      const result = await runScenario(scenarios[i]!, opts);
      results[i] = result;
      opts.onResult?.(result);
    }
  };
  const jobs = Math.max(1, Math.min(opts.concurrency ?? 1, scenarios.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  const failed = results.filter((r) => r.status !== 'passed').length;
  return { passed: failed === 0, total: results.length, failed, durationMs: performance.now() - started, scenarios: results };
}

