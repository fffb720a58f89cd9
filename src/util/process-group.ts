// The one process-group runner: a shell command in its own process group, live line output, timeout, whole-tree kill.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { GgenError, type ErrorCode } from '../errors.js';

export interface CommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Error code when the command cannot be started (default E_IO). */
  errorCode?: ErrorCode;
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  durationMs: number;
}

/** The shell, by absolute path so a PATH set in make.toml cannot hide it. */
export const SHELL = existsSync('/bin/sh') ? '/bin/sh' : 'sh';

/** Grace period between the polite signal and SIGKILL. */
const KILL_GRACE_MS = 2000;

/** Signals a whole process group (spawned detached); a group that is already gone is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // A negative pid addresses the whole process group the command leads (spawned detached).
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** True while a process of the group is still running; zombies (dead, waiting to be reaped by init) do not count. */
function groupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false; // ESRCH: nothing left at all
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc: trust kill()
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm)": state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

/** Resolves once no process of the group is running any more, or after `ms`. */
export async function waitForGroupExit(pgid: number, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (groupRunning(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

function lineSplitter(emit: (line: string) => void): { push(chunk: string): void; end(): void } {
  let carry = '';
  return {
    push(chunk) {
      const parts = (carry + chunk).split('\n');
      carry = parts.pop()!;
      for (const p of parts) emit(p.endsWith('\r') ? p.slice(0, -1) : p);
    },
    end() {
      if (carry !== '') emit(carry);
      carry = '';
    },
  };
}

/** Runs `sh -c command`; resolves with how it ended (never rejects for a non-zero exit). */
export function runShellCommand(opts: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(SHELL, ['-c', opts.command], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    let interrupted = false;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    const out = lineSplitter((l) => opts.onLine?.('stdout', l));
    const err = lineSplitter((l) => opts.onLine?.('stderr', l));
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => err.push(d));

    const stop = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || exited) return;
      killGroup(child.pid, signal);
      if (signal === 'SIGINT') setTimeout(() => !exited && killGroup(child.pid!, 'SIGTERM'), 300).unref();
      killTimer ??= setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop('SIGTERM');
    }, opts.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      stop('SIGINT');
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const why = e.code === 'ENOENT' ? `directory "${opts.cwd}" does not exist or sh is missing` : e.message;
      reject(new GgenError(opts.errorCode ?? 'E_IO', `cannot start command \`${opts.command}\`: ${why}`, { cause: e }));
    });
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const killed = (timedOut || interrupted) && child.pid !== undefined;
      if (killed) {
        // The shell is gone; finish off anything in its group that ignored the first signal.
        killGroup(child.pid!, 'SIGKILL');
      }
      if (killTimer) clearTimeout(killTimer);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        out.end();
        err.end();
        const result = { exitCode: code, signal, timedOut, interrupted, durationMs: Math.round(performance.now() - started) };
        if (killed) void waitForGroupExit(child.pid!).then(() => resolve(result));
        else resolve(result);
      };
      // Background children may keep the pipes open; wait briefly for the last output, then let go.
      let closed = false;
      const grace = setTimeout(() => {
        if (closed) return;
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, 200);
      child.once('close', () => {
        closed = true;
        clearTimeout(grace);
        finish();
      });
    });
  });
}
