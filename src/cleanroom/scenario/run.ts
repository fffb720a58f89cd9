// Runs scenarios: each in its own cleanroom, steps in order, then the expectations as scored validators.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GgenError } from '../../errors.js';
import type { CleanroomConfig } from '../config.js';
import { CleanroomEnv } from '../env.js';
import { ggenBinPath } from '../ggen-bin.js';
import type { LimitName, ProcessUsage } from '../limits.js';
import type { RunResult } from '../process.js';
import type { Service } from '../services.js';
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
  /** The kernel's accounting of a process step. */
  usage?: ProcessUsage;
  /** The limit that stopped a process step. */
  limit?: LimitName;
  messages: string[];
}

/** Usage over a scenario's process steps. */
export interface ScenarioUsage {
  steps: number;
  maxRssKb: number;
  maxWallMs: number;
  wallMs: number;
  userMs: number;
  sysMs: number;
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
  /** Kernel usage figures of the process steps (absent when no process step ran). */
  usage?: ScenarioUsage;
  /** The services started for the scenario: name → port and url. */
  services?: Record<string, { kind: string; port: number; url: string; readyMs: number }>;
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
    case 'usage': throw new Error('usage expectations are checked by the runner');
  }
}

function usageOfSteps(steps: StepResult[]): ScenarioUsage | undefined {
  const measured = steps.filter((s) => s.usage !== undefined).map((s) => s.usage!);
  if (measured.length === 0) return undefined;
  return {
    steps: measured.length,
    maxRssKb: Math.max(...measured.map((u) => u.peakRssKb)),
    maxWallMs: Math.max(...measured.map((u) => u.wallMs)),
    wallMs: measured.reduce((a, u) => a + u.wallMs, 0),
    userMs: measured.reduce((a, u) => a + u.userMs, 0),
    sysMs: measured.reduce((a, u) => a + u.sysMs, 0),
  };
}

function checkUsage(spec: Extract<ValidatorSpec, { type: 'usage' }>, usage: ScenarioUsage | undefined): ValidationResult {
  const validator = `usage ${spec.measure}`;
  if (!usage) return { validator, passed: false, score: 0, messages: ['no process step reported usage (the launcher needs Linux and perl)'] };
  const actual = spec.measure === 'max_rss_mb' ? usage.maxRssKb / 1024 : spec.measure === 'max_wall_ms' ? usage.maxWallMs : usage.userMs + usage.sysMs;
  const unit = spec.measure === 'max_rss_mb' ? 'MiB' : 'ms';
  const what = spec.measure === 'max_rss_mb' ? 'peak RSS of the largest process' : spec.measure === 'max_wall_ms' ? 'wall time of the longest step' : 'CPU time of all steps';
  const passed = actual <= spec.max;
  return { validator, passed, score: passed ? 1 : 0, messages: [`${what}: ${actual.toFixed(1)} ${unit} ${passed ? '≤' : '>'} ${spec.max} ${unit}`] };
}

/** `${services.NAME.FIELD}` in a step's strings; other `${…}` are left alone. */
function interpolate(text: string, services: Map<string, Service>): string {
  return text.replace(/\$\{services\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.]+)\}/g, (_m, name: string, field: string) => {
    const service = services.get(name);
    if (!service) throw new GgenError('E_CONFIG', `\${services.${name}.${field}}: no service "${name}" is declared before this step`, { hint: `declared: ${[...services.keys()].join(', ') || 'none'}` });
    const fields: Record<string, string | number | undefined> = { host: service.host, port: service.port, url: service.url, user: service.user, password: service.password, database: service.database, data_dir: service.dataDir };
    for (const [k, v] of Object.entries(service.ports)) fields[`ports.${k}`] = v;
    for (const [k, v] of Object.entries(service.env)) fields[`env.${k}`] = v;
    const value = fields[field];
    if (value === undefined) throw new GgenError('E_CONFIG', `\${services.${name}.${field}}: service "${name}" has no "${field}"`, { hint: `fields: ${Object.keys(fields).filter((k) => fields[k] !== undefined).join(', ')}` });
    return String(value);
  });
}

function interpolateStep(step: ScenarioStep, services: Map<string, Service>): ScenarioStep {
  const f = (t: string) => interpolate(t, services);
  const env = (e: Record<string, string>) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, f(v)]));
  switch (step.kind) {
    case 'write': return { ...step, path: f(step.path), content: f(step.content) };
    case 'mkdir': return { ...step, path: f(step.path) };
    case 'copy': return { ...step, to: f(step.to) };
    case 'ggen': return { ...step, args: step.args.map(f), env: env(step.env), ...(step.stdin === undefined ? {} : { stdin: f(step.stdin) }) };
    case 'run': return { ...step, command: f(step.command), args: step.args.map(f), env: env(step.env), ...(step.stdin === undefined ? {} : { stdin: f(step.stdin) }) };
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

async function runStep(env: CleanroomEnv, scenario: Scenario, step: ScenarioStep, baseEnv: Record<string, string>): Promise<{ messages: string[]; exitCode?: number; usage?: ProcessUsage; limit?: LimitName }> {
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
        ...(step.limits === undefined ? {} : { limits: step.limits }),
      });
      const messages = checkProcess(step, r);
      if (r.limit !== null && messages.length > 0) messages.unshift(`stopped by limit ${r.limit} (${r.limitReason ?? ''})`);
      return { messages, exitCode: r.exitCode, ...(r.usage ? { usage: r.usage } : {}), ...(r.limit ? { limit: r.limit } : {}) };
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
  const steps: StepResult[] = [];
  const expectations: ExpectationResult[] = [];
  const failures: string[] = [];
  let env: CleanroomEnv;
  try {
    env = await CleanroomEnv.create({
      ...opts.config,
      keepOnFailure: opts.keepOnFailure ?? opts.config?.keepOnFailure ?? false,
      ...(scenario.network === undefined ? {} : { network: scenario.network }),
      ...(scenario.pidNamespace === undefined ? {} : { pidNamespace: scenario.pidNamespace }),
      ...(scenario.limits === undefined ? {} : { limits: { ...opts.config?.limits, ...scenario.limits } }),
    });
  } catch (err) {
    return { name: scenario.name, file: scenario.file, status: 'error', durationMs: performance.now() - started, steps, expectations, failures: [messageOf(err)], metrics: {} };
  }
  const services = new Map<string, Service>();
  let status: ScenarioStatus = 'passed';
  try {
    if (opts.setup) await opts.setup(env, scenario);
    for (const s of scenario.services) {
      try {
        services.set(s.name, await env.service(s.name, s.options));
      } catch (err) {
        throw new GgenError('E_CLEANROOM', `service "${s.name}" (line ${s.line}): ${messageOf(err)}`, { cause: err, ...(err instanceof GgenError && err.detail ? { detail: err.detail } : {}) });
      }
    }
    let stepsOk = true;
    for (const step of scenario.steps) {
      if (!stepsOk) {
        steps.push({ name: step.name, kind: step.kind, line: step.line, status: 'skipped', durationMs: 0, messages: [] });
        continue;
      }
      const t0 = performance.now();
      let out: Awaited<ReturnType<typeof runStep>>;
      try {
        out = await runStep(env, scenario, interpolateStep(step, services), opts.env ?? {});
      } catch (err) {
        if (!(err instanceof GgenError) || err.code !== 'E_CONFIG') throw err;
        out = { messages: [err.message] };
      }
      const ok = out.messages.length === 0;
      steps.push({ name: step.name, kind: step.kind, line: step.line, status: ok ? 'passed' : 'failed', durationMs: performance.now() - t0, ...(out.exitCode === undefined ? {} : { exitCode: out.exitCode }), ...(out.usage ? { usage: out.usage } : {}), ...(out.limit ? { limit: out.limit } : {}), messages: out.messages });
      if (!ok) {
        stepsOk = false;
        failures.push(`step ${steps.length} (${step.name}, line ${step.line}): ${out.messages.join('\n')}`);
      }
    }
    if (stepsOk) {
      for (const expectation of scenario.expectations) {
        const result = expectation.spec.type === 'usage' ? checkUsage(expectation.spec, usageOfSteps(steps)) : await runValidator(validatorFor(expectation.spec, opts.updateGolden), env);
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
  const serviceInfo = Object.fromEntries([...services.values()].map((s) => [s.name, { kind: s.kind, port: s.port, url: s.url, readyMs: s.readyMs }]));
  await env.dispose();
  const usage = usageOfSteps(steps);
  return {
    name: scenario.name,
    file: scenario.file,
    status,
    durationMs: performance.now() - started,
    steps,
    expectations,
    failures,
    metrics,
    ...(usage ? { usage } : {}),
    ...(services.size > 0 ? { services: serviceInfo } : {}),
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

