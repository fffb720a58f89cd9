// runTest: runs a test function against an env with a time limit and turns the outcome into a TestResult.
import { performance } from 'node:perf_hooks';
import { GgenError } from '../errors.js';
import type { CleanroomEnv } from './env.js';
import { createBenchmark, recordIteration, type Benchmark } from './metrics.js';

export type TestStatus = 'passed' | 'failed' | 'timeout' | 'error';

export interface TestContext {
  /** Aborted when the test runs out of time. */
  signal: AbortSignal;
  /** 0-based iteration number (always 0 unless scalability is enabled). */
  iteration: number;
}

export type TestFunction = (env: CleanroomEnv, ctx: TestContext) => unknown;

export interface TestResult {
  testId: string;
  status: TestStatus;
  durationMs: number;
  /** The first error's message, for `failed`, `timeout` and `error`. */
  error?: string;
  errors: string[];
  /** A copy of the env's metrics, or null when benchmarking is off. */
  metrics: Record<string, number> | null;
  /** Per-iteration timings when scalability is enabled. */
  benchmark?: Benchmark;
  /** The env's workspace; with keepOnFailure it stays there after a failure. */
  envPath: string;
}

/** Assertion errors (vitest/chai, node:assert) and E_VALIDATION mean "failed"; anything else thrown means "error". */
export function isAssertionFailure(err: unknown): boolean {
  if (err instanceof GgenError) return err.code === 'E_VALIDATION';
  return err instanceof Error && /AssertionError/.test(err.name);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runOnce(env: CleanroomEnv, fn: TestFunction, iteration: number): Promise<{ status: TestStatus; error?: string; ms: number }> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), env.config.timeoutMs);
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => fn(env, { signal: controller.signal, iteration })).then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') {
      controller.abort(new GgenError('E_TIMEOUT', `test timed out after ${env.config.timeoutMs} ms`));
      env.killAll();
      return { status: 'timeout', error: `Test timeout after ${env.config.timeoutMs}ms`, ms: performance.now() - started };
    }
    return { status: 'passed', ms: performance.now() - started };
  } catch (err) {
    return { status: isAssertionFailure(err) ? 'failed' : 'error', error: messageOf(err), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` once, or `scalability.iterations` times when enabled (stopping at the first failure). */
export async function runTestIn(env: CleanroomEnv, fn: TestFunction): Promise<TestResult> {
  const started = performance.now();
  const { enabled, iterations } = env.config.scalability;
  const benchmark = enabled ? createBenchmark('scalability') : undefined;
  let last: { status: TestStatus; error?: string } = { status: 'passed' };
  for (let i = 0; i < (enabled ? iterations : 1); i++) {
    const once = await runOnce(env, fn, i);
    if (benchmark) recordIteration(benchmark, once.ms);
    last = once;
    if (once.status !== 'passed') break;
  }
  const durationMs = performance.now() - started;
  if (benchmark) {
    env.recordMetric('scalability_iterations', benchmark.iterations);
    env.recordMetric('scalability_avg_ms', benchmark.avgMs);
  }
  env.recordMetric('test_duration_ms', durationMs);
  if (last.status !== 'passed') env.markFailed(last.error);
  return {
    testId: env.id,
    status: last.status,
    durationMs,
    ...(last.error === undefined ? {} : { error: last.error }),
    errors: last.error === undefined ? [] : [last.error],
    metrics: env.config.benchmarking ? env.metrics : null,
    ...(benchmark ? { benchmark } : {}),
    envPath: env.path,
  };
}
