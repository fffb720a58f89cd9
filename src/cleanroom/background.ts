// Background processes in a cleanroom (servers a test talks to): output you can wait for, and a stop that kills the tree.
import { spawn } from 'node:child_process';
import { GgenError } from '../errors.js';
import { killProcessGroup } from './process.js';

export interface BackgroundProcess {
  readonly pid: number;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the exit code (128 + signal when killed) once the process has exited. */
  readonly exited: Promise<number>;
  /** Waits until stdout or stderr matches `pattern` and returns the match; rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, opts?: { timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** Kills the process and everything it started, then waits for it to exit. */
  stop(): Promise<number>;
}

export interface StartSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  track: (pgid: number, running: boolean) => void;
}

export function startInGroup(spec: StartSpec): BackgroundProcess {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => { for (const l of [...listeners]) l(); };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; notify(); });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; notify(); });
  let done = false;
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      done = true;
      notify();
      reject(new GgenError('E_CLEANROOM', `cannot run "${spec.command}": ${err.code ?? err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      done = true;
      if (child.pid !== undefined) spec.track(child.pid, false);
      notify();
      resolve(code ?? (signal ? 128 + 9 : 1));
    });
  });
  exited.catch(() => undefined);
  if (child.pid !== undefined) spec.track(child.pid, true);
  const pid = child.pid ?? -1;
  return {
    pid,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    exited,
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
      if (!done && pid > 0) killProcessGroup(pid);
      return exited.catch(() => 1);
    },
  };
}
