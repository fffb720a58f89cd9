// CleanroomEnv: a fresh directory per test, real processes run inside it with a private HOME, and cleanup.
import './polyfill.js';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GgenError } from '../errors.js';
import { resolveCleanroomConfig, type CleanroomConfig } from './config.js';
import { ggenBinPath } from './ggen-bin.js';
import { PerformanceMetrics } from './metrics.js';
import { startInGroup, type BackgroundProcess } from './background.js';
import { createPidsCgroup, pidsCgroupBase, type PidsCgroup } from './cgroup.js';
import { isRoot, launcherUnavailable } from './launcher.js';
import { checkLimits, rlimitsFor, type ResourceLimits } from './limits.js';
import { startNamespaceHolder, type NamespaceHolder } from './netns.js';
import { spawnInGroup, type LaunchOptions, type ProcessHandle, type RunOptions, type RunResult } from './process.js';
import { startService, type Service, type ServiceOptions } from './services.js';
import { runTestIn, type TestFunction, type TestResult } from './run-test.js';
import { sandboxDirs, sandboxProcessEnv } from './sandbox.js';
import { listTree, type TreeEntry, type TreeOptions } from './tree.js';

/** Environments not yet disposed, so the ones with autoCleanup can be removed when the process exits. */
const liveEnvs = new Set<CleanroomEnv>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const env of liveEnvs) env.disposeSync();
  });
}

function describeIsolation(c: CleanroomConfig): string {
  const parts = [];
  if (c.network !== 'host') parts.push(`network "${c.network}"`);
  if (c.pidNamespace) parts.push('pidNamespace');
  const limits = Object.keys(c.limits);
  if (limits.length > 0) parts.push(`limits ${limits.join(', ')}`);
  return parts.join(', ');
}

export class CleanroomEnv implements AsyncDisposable {
  /** A random UUID v4 naming this env. */
  readonly id: string;
  /** The env's own directory; holds `work/` plus the private home, tmp and cache dirs. */
  readonly root: string;
  /** The workspace: files go here and processes start here. */
  readonly path: string;
  readonly config: CleanroomConfig;
  private readonly metricsStore: PerformanceMetrics;
  private readonly startedAt = performance.now();
  private readonly running = new Set<ProcessHandle>();
  private readonly services: Service[] = [];
  private holder: NamespaceHolder | undefined;
  private cgroupSeq = 0;
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private sandboxReady: Promise<void> | undefined;
  private failure: string | undefined;
  private disposed = false;
  /** Set when dispose() left the directory on disk (keepOnFailure or autoCleanup off). */
  keptPath: string | undefined;

  private constructor(id: string, root: string, config: CleanroomConfig) {
    this.id = id;
    this.root = root;
    this.path = join(root, 'work');
    this.config = config;
    this.metricsStore = new PerformanceMetrics(config.benchmarking);
  }

  /** Creates a fresh env in `<baseDir>/ggen-cleanroom-<uuid>`. */
  static async create(config: Partial<CleanroomConfig> = {}): Promise<CleanroomEnv> {
    const resolved = resolveCleanroomConfig(config);
    const id = randomUUID();
    const base = await realpath(resolved.baseDir ?? tmpdir());
    const root = join(base, `ggen-cleanroom-${id}`);
    await mkdir(join(root, 'work'), { recursive: true });
    const env = new CleanroomEnv(id, root, resolved);
    try {
      const needsLauncher = resolved.network !== 'host' || resolved.pidNamespace || Object.keys(resolved.limits).length > 0;
      const why = launcherUnavailable();
      if (needsLauncher && why !== undefined) throw new GgenError('E_CLEANROOM', `cleanroom isolation (${describeIsolation(resolved)}) is not available: ${why}`, { hint: 'use network "host", no limits and no pidNamespace, or run on Linux with perl' });
      if (resolved.network !== 'host') env.holder = await startNamespaceHolder(resolved.network, env.path);
    } catch (err) {
      await rm(root, { recursive: true, force: true });
      throw err;
    }
    liveEnvs.add(env);
    if (resolved.autoCleanup) installExitHook();
    env.log(`created cleanroom ${id} at ${env.path}`);
    return env;
  }

  /** Milliseconds since the env was created. */
  get elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /** Recorded metrics, sorted by name (empty when benchmarking is off). */
  get metrics(): Record<string, number> {
    return this.metricsStore.toJSON();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The reason the env was marked failed, if it was. */
  get failed(): string | undefined {
    return this.failure;
  }

  recordMetric(name: string, value: number): void {
    this.metricsStore.record(name, value);
  }

  /** Marks the env as belonging to a failed test, so keepOnFailure keeps it on dispose. */
  markFailed(reason = 'test failed'): void {
    this.failure ??= reason;
  }

  /** The absolute path of `rel` inside the workspace; anything that would leave it is refused. */
  resolve(rel: string): string {
    this.assertLive();
    const full = isAbsolute(rel) ? resolve(rel) : resolve(this.path, rel);
    const back = relative(this.path, full);
    if (back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) {
      throw new GgenError('E_CLEANROOM', `path "${rel}" is outside the cleanroom`, { at: { file: full }, hint: `use a path inside ${this.path}` });
    }
    return full;
  }

  /** Like resolve(), and also refuses symlinks that lead out of the env. */
  private async resolveReal(rel: string): Promise<string> {
    const full = this.resolve(rel);
    let probe = full;
    while (!existsSync(probe) && probe !== this.path) probe = dirname(probe);
    const real = await realpath(probe);
    const back = relative(this.path, real);
    if (back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) {
      throw new GgenError('E_CLEANROOM', `path "${rel}" leads outside the cleanroom through a symlink`, { at: { file: full } });
    }
    return full;
  }

  async writeFile(rel: string, content: string | Uint8Array): Promise<string> {
    const full = await this.resolveReal(rel);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    return full;
  }

  /** Writes several files at once from `{ 'path/in/workspace': content }`, in path order. */
  async writeFiles(files: Record<string, string | Uint8Array>): Promise<void> {
    for (const rel of Object.keys(files).sort()) await this.writeFile(rel, files[rel]!);
  }

  async readFile(rel: string): Promise<string> {
    return readFile(await this.resolveReal(rel), 'utf8');
  }

  async readBytes(rel: string): Promise<Buffer> {
    return readFile(await this.resolveReal(rel));
  }

  async createDir(rel: string): Promise<string> {
    const full = await this.resolveReal(rel);
    await mkdir(full, { recursive: true });
    return full;
  }

  async exists(rel: string): Promise<boolean> {
    try {
      await stat(await this.resolveReal(rel));
      return true;
    } catch (err) {
      if (err instanceof GgenError) throw err;
      return false;
    }
  }

  /** Removes a file or directory inside the workspace (missing is fine). */
  async remove(rel: string): Promise<void> {
    const full = await this.resolveReal(rel);
    if (full === this.path) throw new GgenError('E_CLEANROOM', 'cannot remove the workspace itself', { hint: 'remove paths inside it' });
    await rm(full, { recursive: true, force: true });
  }

  /** Copies a directory's contents (or one file) from outside into the workspace, at `dest`. */
  async copyIn(source: string, dest = '.'): Promise<string> {
    const target = await this.resolveReal(dest);
    let info;
    try {
      info = await stat(source);
    } catch (err) {
      throw new GgenError('E_CLEANROOM', `cannot copy into the cleanroom: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file: source }, cause: err });
    }
    if (info.isDirectory()) await cp(source, target, { recursive: true, force: true });
    else {
      const file = dest === '.' || dest.endsWith('/') ? join(target, source.split(/[\\/]/).pop()!) : target;
      await mkdir(dirname(file), { recursive: true });
      await cp(source, file, { force: true });
    }
    return target;
  }

  /** The workspace's files, sorted by path, with size and sha256. */
  async tree(opts: TreeOptions = {}): Promise<TreeEntry[]> {
    this.assertLive();
    return listTree(this.path, opts);
  }

  /** The private directories processes get as HOME, TMPDIR, XDG_* and GGEN_CACHE_DIR. */
  sandboxDirs(): Record<string, string> {
    return sandboxDirs(this.root);
  }

  /**
   * The environment of every process: a scrubbed one (PATH and toolchain homes from the host, nothing else),
   * the private directories, a fixed locale and time zone, then config.env, then the per-run env.
   */
  processEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
    return sandboxProcessEnv({ root: this.root, workspace: this.path, id: this.id, configEnv: this.config.env, extra });
  }

  private ensureSandbox(): Promise<void> {
    this.sandboxReady ??= Promise.all(Object.values(this.sandboxDirs()).map((d) => mkdir(d, { recursive: true, mode: 0o700 }))).then(() => undefined);
    return this.sandboxReady;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.config.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((release) => this.waiting.push(release));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** A process's working directory: inside the workspace, and an existing directory. */
  private async workingDir(rel = '.'): Promise<string> {
    const cwd = await this.resolveReal(rel);
    const info = await stat(cwd).catch(() => undefined);
    if (!info?.isDirectory()) throw new GgenError('E_CLEANROOM', `working directory "${rel}" ${info ? 'is not a directory' : 'does not exist'} in the cleanroom`, { at: { file: cwd }, hint: 'create it first (createDir, or a mkdir step)' });
    return cwd;
  }

  /** The network namespace holder's pid (network "loopback" or "none"), for tests and tools that join it. */
  get networkNamespacePid(): number | undefined {
    return this.holder?.pid;
  }

  /**
   * How a process of this env is launched: the launcher (Linux, perl) with the env's network namespace,
   * PID namespace, limits and pids cgroup; or directly where there is no launcher and nothing asks for one.
   */
  private launchFor(command: string, args: string[], cwd: string, env: Record<string, string>, limits: ResourceLimits, as?: { uid: number; gid: number }): { opts: LaunchOptions; cgroup?: PidsCgroup } {
    if (launcherUnavailable() !== undefined) {
      if (as) throw new GgenError('E_CLEANROOM', `running as another user needs the cleanroom launcher: ${launcherUnavailable()}`);
      if (Object.keys(limits).filter((k) => k !== 'wallMs').length > 0) throw new GgenError('E_CLEANROOM', `limits ${Object.keys(limits).join(', ')} need the cleanroom launcher: ${launcherUnavailable()}`);
      return { opts: { command, args, cwd, env, launch: null } };
    }
    let cgroup: PidsCgroup | undefined;
    let nproc = false;
    if (limits.processes !== undefined) {
      if (isRoot()) {
        const base = pidsCgroupBase();
        if (base.dir === null) throw new GgenError('E_CLEANROOM', `limit processes cannot be enforced: running as root ignores RLIMIT_NPROC, and there is no writable pids cgroup (${base.why})`, { hint: 'run as a non-root user (RLIMIT_NPROC in a user namespace), or delegate a pids cgroup' });
        cgroup = createPidsCgroup(base.dir, `ggen-cleanroom-${this.id}-${++this.cgroupSeq}`, limits.processes);
      } else nproc = true;
    }
    const userNamespace = !isRoot() && (nproc || (this.config.pidNamespace && !this.holder?.user));
    return {
      cgroup,
      opts: {
        command,
        args,
        cwd,
        env,
        launch: {
          ...(this.holder ? { joinPid: this.holder.pid, joinUser: this.holder.user } : {}),
          pidNamespace: this.config.pidNamespace,
          userNamespace,
          limits: { rlimits: rlimitsFor(limits, { nproc }), ...(cgroup ? { cgroupProcs: cgroup.procs } : {}) },
          ...(as ?? {}),
        },
      },
    };
  }

  private track = (handle: ProcessHandle, running: boolean): void => {
    if (running) this.running.add(handle);
    else this.running.delete(handle);
  };

  /**
   * Runs a real process in the env (cwd = the workspace or a directory inside it), never through a shell.
   * At most `config.concurrency` run at once per env; on timeout the whole process tree is killed.
   */
  async run(command: string, args: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    this.assertLive();
    const cwd = await this.workingDir(opts.cwd);
    await this.ensureSandbox();
    await this.acquire();
    try {
      this.assertLive();
      const limits = { ...this.config.limits, ...checkLimits(opts.limits, 'run limits') };
      const { opts: launchOpts, cgroup } = this.launchFor(command, args, cwd, this.processEnv(opts.env), limits, opts.as);
      let result: RunResult;
      try {
        result = await spawnInGroup({
          ...launchOpts,
          timeoutMs: opts.timeoutMs ?? this.config.timeoutMs,
          input: opts.input,
          limits,
          ...(cgroup ? { pidsRefused: () => cgroup.refused() } : {}),
          track: this.track,
        });
      } finally {
        await cgroup?.remove();
      }
      this.metricsStore.add('runs', 1);
      this.metricsStore.add('run_ms_total', result.durationMs);
      if (result.timedOut) this.metricsStore.add('runs_timed_out', 1);
      if (result.limit !== null) this.metricsStore.add(`runs_limited_${result.limit}`, 1);
      if (result.usage) {
        this.metricsStore.add('usage_user_ms_total', result.usage.userMs);
        this.metricsStore.add('usage_sys_ms_total', result.usage.sysMs);
        this.metricsStore.add('usage_wall_ms_total', result.usage.wallMs);
        this.metricsStore.record('usage_peak_rss_kb_max', Math.max(this.metricsStore.get('usage_peak_rss_kb_max') ?? 0, result.usage.peakRssKb));
      }
      this.log(`ran ${[command, ...args].join(' ')} → exit ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}${result.limit ? ` (limit ${result.limit})` : ''} in ${result.durationMs.toFixed(1)} ms`);
      return result;
    } finally {
      this.release();
    }
  }

  /**
   * Starts a long-running process (a server the test talks to) in the env without waiting for it.
   * It is killed, with everything it started, by `stop()` or when the env is disposed.
   */
  async start(command: string, args: string[] = [], opts: Omit<RunOptions, 'input' | 'timeoutMs'> = {}): Promise<BackgroundProcess> {
    this.assertLive();
    const cwd = await this.workingDir(opts.cwd);
    await this.ensureSandbox();
    const limits = { ...this.config.limits, ...checkLimits(opts.limits, 'start limits') };
    delete limits.wallMs;
    const { opts: launchOpts, cgroup } = this.launchFor(command, args, cwd, this.processEnv(opts.env), limits, opts.as);
    this.log(`started ${[command, ...args].join(' ')}`);
    const proc = await startInGroup({ ...launchOpts, track: this.track });
    if (cgroup) proc.exited.finally(() => cgroup.remove()).catch(() => undefined);
    return proc;
  }

  /**
   * Starts a real server in the env (\`postgres\`, \`redis\`, \`virtuoso\`, or a command with a probe), with its
   * data directory inside the env root, on a free loopback port; resolves once the probe says it is ready.
   * Stopped and removed on dispose.
   */
  async service(name: string, options: ServiceOptions = {}): Promise<Service> {
    this.assertLive();
    if (this.services.some((s) => s.name === name)) throw new GgenError('E_CLEANROOM', `service "${name}" already exists in this cleanroom`, { hint: 'give each service its own name' });
    if (this.config.network === 'none') throw new GgenError('E_CLEANROOM', `service "${name}" needs a network: this env has network "none"`, { hint: 'use network "loopback" (private) or "host"' });
    await this.ensureSandbox();
    const t0 = performance.now();
    const service = await startService(this, name, options);
    this.services.push(service);
    this.metricsStore.record(`service_${name}_ready_ms`, performance.now() - t0);
    this.log(`service ${name} (${service.kind}) ready at ${service.url} in ${(performance.now() - t0).toFixed(0)} ms`);
    return service;
  }

  /** The services started so far, by name. */
  get serviceInfo(): Record<string, Service> {
    return Object.fromEntries(this.services.map((s) => [s.name, s]));
  }

  /** Runs the built ggen CLI of this package (`node dist/ggen.mjs ARGS…`) in the env. */
  ggen(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.run(process.execPath, [ggenBinPath(), ...args], opts);
  }

  /** Runs `fn` with the config's timeout and reports how it went; never throws for a failing test. */
  runTest(fn: TestFunction): Promise<TestResult> {
    return runTestIn(this, fn);
  }

  /** Kills every process still running in the env, with everything each started (setsid and double forks included). */
  killAll(): void {
    for (const handle of this.running) handle.kill();
  }

  /** killAll, then waits (at most `ms`) until they are all gone. */
  private async killAllAndWait(ms = 5000): Promise<void> {
    const waits = [...this.running].map((h) => h.closed.catch(() => undefined));
    this.killAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise((r) => { timer = setTimeout(r, ms); })]);
    clearTimeout(timer);
  }

  private keepReason(): string | undefined {
    if (!this.config.autoCleanup) return 'autoCleanup is off';
    const keep = this.config.keepOnFailure || process.env.GGEN_KEEP === '1';
    if (keep && this.failure !== undefined) return `kept after failure: ${this.failure}`;
    return undefined;
  }

  /** Kills leftover processes and removes the directory (unless it is kept); safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    liveEnvs.delete(this);
    for (const service of [...this.services].reverse()) await service.stop().catch(() => undefined);
    await this.killAllAndWait();
    this.holder?.stop();
    const keep = this.keepReason();
    if (keep !== undefined) {
      this.keptPath = this.path;
      this.report(`cleanroom ${this.id} ${keep}; left at ${this.path}`);
      return;
    }
    await rm(this.root, { recursive: true, force: true, maxRetries: 3 });
    this.log(`disposed cleanroom ${this.id} after ${this.elapsedMs.toFixed(1)} ms`);
  }

  /** The synchronous part of dispose, for process exit. */
  disposeSync(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveEnvs.delete(this);
    this.killAll();
    this.holder?.stop();
    if (this.keepReason() === undefined) rmSync(this.root, { recursive: true, force: true });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw new GgenError('E_CLEANROOM', `cleanroom ${this.id} is already disposed`, { hint: 'create a new env with CleanroomEnv.create()' });
  }

  private log(line: string): void {
    if (this.config.logging) this.report(line);
  }

  /** Kept-directory notices are always reported: keeping it is pointless if nobody learns where. */
  private report(line: string): void {
    const sink = this.config.logger ?? ((l: string) => process.stderr.write(`${l}\n`));
    sink(`[cleanroom] ${line}`);
  }
}
