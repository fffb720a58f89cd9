// Runs one real process under the launcher (or directly where there is none): limits, usage, and a kill
// that takes every descendant with it, however it detached.
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { GgenError } from '../errors.js';
import { describeLauncherError, errnoName, findPerl, launcherArgs, parseReportLine, statusExitCode, statusSignal, type LaunchSpec, type LauncherReport } from './launcher.js';
import { limitHit, type LimitName, type ProcessUsage, type ResourceLimits } from './limits.js';
import { killGroup } from '../util/process-group.js';

export interface RunOptions {
  /** Extra or overriding environment variables; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Kill the process tree after this many ms (default: the env's timeout). */
  timeoutMs?: number;
  /** Written to the process's stdin, which is then closed. */
  input?: string | Uint8Array;
  /** Working directory, relative to the env (default: the env itself); must stay inside it. */
  cwd?: string;
  /** Limits for this run, over the env's (config.limits). */
  limits?: ResourceLimits;
  /** Run as this user (only when the test runs as root; for servers that refuse root, like postgres). */
  as?: { uid: number; gid: number };
}

export interface RunResult {
  command: string;
  args: string[];
  /** The exit code; 128 + signal number when the process was killed by a signal (as shells report it). */
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Kernel accounting of the run (null only where the launcher cannot run: not Linux, or no perl). */
  usage: ProcessUsage | null;
  /** The limit that stopped the run, or null. */
  limit: LimitName | null;
  /** How the limit was recognised (the signal, the cgroup counter, or the failure it caused). */
  limitReason?: string;
}

/** How a process is launched; `launch: null` spawns it directly (no usage, group kill only). */
export interface LaunchOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  launch: Omit<LaunchSpec, 'command' | 'args'> | null;
}

export interface SpawnSpec extends LaunchOptions {
  timeoutMs: number;
  input?: string | Uint8Array;
  /** Limits in force, to tell which one stopped the run. */
  limits?: ResourceLimits;
  /** Reads the pids cgroup's refused-fork counter after the run. */
  pidsRefused?: () => number | undefined;
  /** Called with a handle while the process runs (to kill it on dispose), and again when it is gone. */
  track?: (handle: ProcessHandle, running: boolean) => void;
}

/** Sends SIGKILL to a whole process group; a group that is already gone is fine. */
export function killProcessGroup(pgid: number): void {
  killGroup(pgid, 'SIGKILL');
}

/** Output kept per stream; a runaway process must not exhaust the test runner's memory. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

function collector(): { push(d: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = 0;
  return {
    push(d) {
      if (size + d.length <= MAX_OUTPUT_BYTES) {
        chunks.push(d);
        size += d.length;
      } else dropped += d.length;
    },
    text() {
      const text = Buffer.concat(chunks).toString('utf8');
      return dropped === 0 ? text : `${text}\n[cleanroom: ${dropped} more bytes of output dropped]\n`;
    },
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** A launched process: stop it (and everything under it), and learn how it ended. */
export interface ProcessHandle {
  readonly child: ChildProcess;
  /** The launcher's pid (or the command's, when launched directly); also its process group. */
  readonly pid: number;
  readonly report: LauncherReport;
  /** Kills the command and all its descendants (SIGTERM to the launcher, which SIGKILLs the tree; SIGKILL to the group after 3 s). */
  kill(): void;
  /** Resolves once the launcher (or direct process) has exited and its streams closed. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const KILL_GRACE_MS = 3000;

/** Spawns `spec` under the launcher, in its own process group, with a report pipe on fd 3. */
export function launch(spec: LaunchOptions, stdin: 'pipe' | 'ignore'): ProcessHandle {
  const report: LauncherReport = {};
  let child: ChildProcess;
  if (spec.launch) {
    const perl = findPerl()!;
    child = spawn(perl, launcherArgs({ ...spec.launch, command: spec.command, args: spec.args }), { cwd: spec.cwd, env: spec.env, detached: true, stdio: [stdin, 'pipe', 'pipe', 'pipe'] });
    const fd3 = child.stdio[3] as Readable | null;
    let buf = '';
    fd3?.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        parseReportLine(buf.slice(0, nl), report);
        buf = buf.slice(nl + 1);
      }
    });
  } else {
    child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: [stdin, 'pipe', 'pipe'] });
  }
  const pid = child.pid ?? -1;
  let exited = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', (err) => { exited = true; reject(err); });
    child.on('exit', () => {
      exited = true;
      // Anything left in the group dies with the launcher (the launcher itself has killed its descendants).
      if (pid > 0) killProcessGroup(pid);
    });
    child.on('close', (code, signal) => {
      exited = true;
      if (graceTimer) clearTimeout(graceTimer);
      resolve({ code, signal });
    });
  });
  closed.catch(() => undefined);
  return {
    child,
    pid,
    report,
    closed,
    kill() {
      if (exited || pid <= 0) return;
      if (!spec.launch) { killProcessGroup(pid); return; }
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
      graceTimer ??= setTimeout(() => killProcessGroup(pid), KILL_GRACE_MS);
      graceTimer.unref();
    },
  };
}

/** The GgenError for a process that could not start (launcher setup failure, or exec failure). */
export function launchError(command: string, report: LauncherReport, err?: NodeJS.ErrnoException): GgenError {
  if (err) {
    const hint = err.code === 'ENOENT' ? 'the command is not on PATH inside the cleanroom (or the path is wrong)' : undefined;
    return new GgenError('E_CLEANROOM', `cannot run "${command}": ${err.code ?? err.message}`, { hint, cause: err });
  }
  const e = report.error!;
  if (e.stage === 'exec') {
    const code = errnoName(e.errno);
    return new GgenError('E_CLEANROOM', `cannot run "${command}": ${code}`, { hint: code === 'ENOENT' ? 'the command is not on PATH inside the cleanroom (or the path is wrong)' : undefined });
  }
  return new GgenError('E_CLEANROOM', `cannot run "${command}": ${describeLauncherError(e)}`, { hint: 'the cleanroom isolation this env asks for is not available here (see docs/cleanroom.md, "What is isolated")' });
}

function usageOf(report: LauncherReport): ProcessUsage | null {
  const x = report.exit;
  if (!x) return null;
  return { wallMs: x.wallNs / 1e6, userMs: x.userUs / 1000, sysMs: x.sysUs / 1000, peakRssKb: x.maxRssKb };
}

/** Runs `command` and waits for it; on timeout the whole process tree is killed. */
export function spawnInGroup(spec: SpawnSpec): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let handle: ProcessHandle;
    try {
      handle = launch(spec, 'pipe');
    } catch (err) {
      reject(new GgenError('E_CLEANROOM', `cannot run "${spec.command}": ${(err as Error).message}`, { cause: err }));
      return;
    }
    const { child } = handle;
    const stdout = collector();
    const stderr = collector();
    let timedOut = false;
    let wallHit = false;
    spec.track?.(handle, true);
    const wall = spec.limits?.wallMs;
    const ms = wall !== undefined ? Math.min(wall, spec.timeoutMs) : spec.timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      wallHit = wall !== undefined && wall <= spec.timeoutMs;
      handle.kill();
    }, ms);
    child.stdout!.on('data', (d: Buffer) => stdout.push(d));
    child.stderr!.on('data', (d: Buffer) => stderr.push(d));
    // A child that exits before reading its input makes stdin emit EPIPE; that is not our error.
    child.stdin!.on('error', () => undefined);
    handle.closed.then(({ code, signal: sig }) => {
      clearTimeout(timer);
      spec.track?.(handle, false);
      const report = handle.report;
      if (report.error) {
        reject(launchError(spec.command, report));
        return;
      }
      const status = report.exit?.status;
      const signal = status !== undefined ? statusSignal(status) : sig;
      const exitCode = status !== undefined ? statusExitCode(status) : code ?? (sig ? 128 + signalNumber(sig) : 1);
      const usage = usageOf(report);
      const err = stderr.text();
      const hit = spec.limits ? limitHit({ limits: spec.limits, exitCode, signal, stderr: err, usage, wallHit, ...(spec.pidsRefused ? withDefined(spec.pidsRefused()) : {}) }) : null;
      resolve({
        command: spec.command,
        args: spec.args,
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: err,
        durationMs: performance.now() - started,
        timedOut,
        usage,
        limit: hit?.limit ?? null,
        ...(hit ? { limitReason: hit.reason } : {}),
      });
    }, (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      spec.track?.(handle, false);
      reject(launchError(spec.command, handle.report, err));
    });
    child.stdin!.end(spec.input ?? '');
  });
}

function withDefined(n: number | undefined): { pidsRefused?: number } {
  return n === undefined ? {} : { pidsRefused: n };
}
