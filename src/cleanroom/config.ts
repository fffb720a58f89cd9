// CleanroomConfig: the options of a cleanroom, their defaults, and a fluent builder.
import { GgenError } from '../errors.js';
import { checkLimits, type ResourceLimits } from './limits.js';

/** `host`: the machine's network (default). `loopback`: a private network namespace with only `lo`, up. `none`: a private network namespace with nothing, not even `lo`. */
export type NetworkMode = 'host' | 'loopback' | 'none';
export const NETWORK_MODES: readonly NetworkMode[] = ['host', 'loopback', 'none'];

export interface CleanroomConfig {
  /** Per-test time limit for `runTest`, and the default time limit of `run` (ms). */
  timeoutMs: number;
  /** Record metrics (`recordMetric`, run counts and durations); when off, `metrics` stays empty. */
  benchmarking: boolean;
  /** Report create/run/dispose/kept events to `logger` (stderr by default). */
  logging: boolean;
  /** Where log lines go when `logging` is on. */
  logger?: (line: string) => void;
  /** At most this many processes run at once inside one env; also the scenario runner's parallelism. */
  concurrency: number;
  /** When enabled, `runTest` runs the test function `iterations` times and records a Benchmark. */
  scalability: { enabled: boolean; iterations: number };
  /** Validator exceptions become failed results (score 0) instead of aborting the suite. */
  errorValidation: boolean;
  /** Remove the env directory on dispose, and at process exit for envs never disposed. */
  autoCleanup: boolean;
  /** Keep the directory of an env whose test failed, and report its path. Also GGEN_KEEP=1. */
  keepOnFailure: boolean;
  /** Parent of the env directories (default: the OS temp dir). */
  baseDir?: string;
  /** Extra environment variables for every process the env runs. */
  env: Record<string, string>;
  /** Network isolation of every process of the env (one namespace per env, shared by its processes). */
  network: NetworkMode;
  /** Run each process under PID 1 of its own PID namespace: when it ends, the kernel kills everything it started. */
  pidNamespace: boolean;
  /** Limits for every process of the env (a run's own limits override these key by key). */
  limits: ResourceLimits;
}

export const defaultCleanroomConfig: Readonly<CleanroomConfig> = Object.freeze({
  timeoutMs: 300_000,
  benchmarking: true,
  logging: false,
  concurrency: 4,
  scalability: Object.freeze({ enabled: false, iterations: 100 }),
  errorValidation: true,
  autoCleanup: true,
  keepOnFailure: false,
  env: Object.freeze({}) as Record<string, string>,
  network: 'host',
  pidNamespace: false,
  limits: Object.freeze({}) as ResourceLimits,
});

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new GgenError('E_CONFIG', `cleanroom config: ${name} must be a positive integer, got ${String(value)}`, { hint: `set ${name} to 1 or more` });
  }
  return value;
}

/** Fills defaults and checks the values of a partial config. */
export function resolveCleanroomConfig(partial: Partial<CleanroomConfig> = {}): CleanroomConfig {
  const config: CleanroomConfig = {
    ...defaultCleanroomConfig,
    ...partial,
    scalability: { ...defaultCleanroomConfig.scalability, ...partial.scalability },
    env: { ...partial.env },
    limits: checkLimits(partial.limits, 'cleanroom config'),
  };
  if (!NETWORK_MODES.includes(config.network)) {
    throw new GgenError('E_CONFIG', `cleanroom config: network must be ${NETWORK_MODES.map((m) => `"${m}"`).join(', ')}, got ${JSON.stringify(config.network)}`, { hint: 'use "loopback" for a private network with only lo, "none" for no network at all' });
  }
  positiveInteger('timeoutMs', config.timeoutMs);
  positiveInteger('concurrency', config.concurrency);
  positiveInteger('scalability.iterations', config.scalability.iterations);
  return config;
}

/** Fluent builder: `CleanroomConfig.builder().timeout(5000).concurrency(2).build()`. */
export class CleanroomConfigBuilder {
  private readonly partial: Partial<CleanroomConfig> = {};

  timeout(ms: number): this { this.partial.timeoutMs = ms; return this; }
  benchmarking(enabled: boolean): this { this.partial.benchmarking = enabled; return this; }
  logging(enabled: boolean, logger?: (line: string) => void): this {
    this.partial.logging = enabled;
    if (logger) this.partial.logger = logger;
    return this;
  }
  concurrency(n: number): this { this.partial.concurrency = n; return this; }
  scalability(enabled: boolean, iterations = defaultCleanroomConfig.scalability.iterations): this {
    this.partial.scalability = { enabled, iterations };
    return this;
  }
  errorValidation(enabled: boolean): this { this.partial.errorValidation = enabled; return this; }
  autoCleanup(enabled: boolean): this { this.partial.autoCleanup = enabled; return this; }
  keepOnFailure(enabled: boolean): this { this.partial.keepOnFailure = enabled; return this; }
  baseDir(dir: string): this { this.partial.baseDir = dir; return this; }
  env(vars: Record<string, string>): this { this.partial.env = { ...this.partial.env, ...vars }; return this; }
  network(mode: NetworkMode): this { this.partial.network = mode; return this; }
  pidNamespace(enabled: boolean): this { this.partial.pidNamespace = enabled; return this; }
  limits(limits: ResourceLimits): this { this.partial.limits = { ...this.partial.limits, ...limits }; return this; }
  build(): CleanroomConfig { return resolveCleanroomConfig(this.partial); }
}

/** `CleanroomConfig.builder()` and `CleanroomConfig.defaults()`, next to the interface of the same name. */
export const CleanroomConfig = {
  builder: (): CleanroomConfigBuilder => new CleanroomConfigBuilder(),
  defaults: (): CleanroomConfig => resolveCleanroomConfig(),
};
