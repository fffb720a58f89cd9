// Background processes in a cleanroom (servers a test talks to): output you can wait for, and a stop that kills the tree.
import { GgenError } from '../errors.js';
import { statusExitCode } from './launcher.js';
import type { ProcessUsage } from './limits.js';
import { launch, launchError, type LaunchOptions, type ProcessHandle } from './process.js';

export interface BackgroundProcess {
  /** The pid of the command (under the launcher), or of the process itself when launched directly. */
  readonly pid: number;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the exit code (128 + signal when killed) once the process has exited. */
  readonly exited: Promise<number>;
  /** Kernel accounting once it has exited (null before, or without the launcher). */
  readonly usage: ProcessUsage | null;
  /** Waits until stdout or stderr matches `pattern` and returns the match; rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, opts?: { timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** Kills the process and everything it started, then waits for it to exit. */
  stop(): Promise<number>;
}

export interface StartSpec extends LaunchOptions {
  track: (handle: ProcessHandle, running: boolean) => void;
}

export async function startInGroup(spec: StartSpec): Promise<BackgroundProcess> {
  const handle = launch(spec, 'ignore');
  const { child } = handle;
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => { for (const l of [...listeners]) l(); };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; notify(); });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; notify(); });
  let done = false;
  spec.track(handle, true);
  const exited = handle.closed.then(({ code, signal }) => {
    done = true;
    spec.track(handle, false);
    notify();
    if (handle.report.error) throw launchError(spec.command, handle.report);
    const status = handle.report.exit?.status;
    return status !== undefined ? statusExitCode(status) : code ?? (signal ? 128 + 9 : 1);
  }, (err: NodeJS.ErrnoException) => {
    done = true;
    spec.track(handle, false);
    notify();
    throw launchError(spec.command, handle.report, err);
  });
  exited.catch(() => undefined);
  // Under the launcher, wait for the command's pid (or the setup error) before handing the process out.
  if (spec.launch) {
    await new Promise<void>((resolve) => {
      const check = () => { if (handle.report.pid !== undefined || handle.report.error || done) { listeners.delete(check); resolve(); } };
      listeners.add(check);
      child.stdio[3]?.on('data', () => setImmediate(check));
      check();
    });
    if (handle.report.error && handle.report.pid === undefined) {
      await exited.catch(() => undefined);
      throw launchError(spec.command, handle.report);
    }
  }
  const pid = spec.launch ? handle.report.pid ?? handle.pid : handle.pid;
  return {
    pid,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    exited,
    get usage() {
      const x = handle.report.exit;
      return x ? { wallMs: x.wallNs / 1e6, userMs: x.userUs / 1000, sysMs: x.sysUs / 1000, peakRssKb: x.maxRssKb } : null;
    },
    waitForOutput(pattern, opts = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern) ?? stderr.match(pattern);
          if (m) { cleanup(); resolve(m); } else if (done) { cleanup(); reject(new GgenError('E_CLEANROOM', `"${spec.command}" exited before printing ${String(pattern)}`, { detail: `${stdout}${stderr}`.trim() })); }
        };
        const timer = setTimeout(() => { cleanup(); reject(new GgenError('E_TIMEOUT', `"${spec.command}" did not print ${String(pattern)} within ${opts.timeoutMs ?? 10_000} ms`, { detail: `${stdout}${stderr}`.trim() })); }, opts.timeoutMs ?? 10_000);
        const cleanup = () => { clearTimeout(timer); listeners.delete(check); };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (!done) handle.kill();
      return exited.catch(() => 1);
    },
  };
}
