// Runs one real process in its own process group, with a time limit that kills the whole tree.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { constants } from 'node:os';
import { GgenError } from '../errors.js';

export interface RunOptions {
  /** Extra or overriding environment variables; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Kill the process tree after this many ms (default: the env's timeout). */
  timeoutMs?: number;
  /** Written to the process's stdin, which is then closed. */
  input?: string | Uint8Array;
  /** Working directory, relative to the env (default: the env itself); must stay inside it. */
  cwd?: string;
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
}

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  input?: string | Uint8Array;
  /** Called with the process group id while it runs (to kill it on dispose), and with undefined after. */
  track?: (pgid: number, running: boolean) => void;
}

/** Sends SIGKILL to a whole process group; a group that is already gone is fine. */
export function killProcessGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: already gone. Anything else (EPERM) means the group is not ours to kill any more.
  }
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

/** Spawns `command` detached (its own process group) so a timeout can kill children and grandchildren too. */
export function spawnInGroup(spec: SpawnSpec): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let child;
    try {
      child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      reject(new GgenError('E_CLEANROOM', `cannot run "${spec.command}": ${(err as Error).message}`, { cause: err }));
      return;
    }
    const stdout = collector();
    const stderr = collector();
    let timedOut = false;
    const pgid = child.pid;
    if (pgid !== undefined) spec.track?.(pgid, true);
    const timer = setTimeout(() => {
      timedOut = true;
      if (pgid !== undefined) killProcessGroup(pgid);
    }, spec.timeoutMs);
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    // A child that exits before reading its input makes stdin emit EPIPE; that is not our error.
    child.stdin.on('error', () => undefined);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (pgid !== undefined) spec.track?.(pgid, false);
      const hint = err.code === 'ENOENT' ? 'the command is not on PATH inside the cleanroom (or the path is wrong)' : undefined;
      reject(new GgenError('E_CLEANROOM', `cannot run "${spec.command}": ${err.code ?? err.message}`, { hint, cause: err }));
    });
    child.on('exit', () => {
      // Whatever the leader left behind (background children holding the pipes) dies with it:
      // nothing started by a run outlives the run.
      if (pgid !== undefined) killProcessGroup(pgid);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pgid !== undefined) spec.track?.(pgid, false);
      resolve({
        command: spec.command,
        args: spec.args,
        exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1),
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: performance.now() - started,
        timedOut,
      });
    });
    child.stdin.end(spec.input ?? '');
  });
}
