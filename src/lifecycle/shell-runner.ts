// Runs many commands through a few long-lived `sh` processes: forking from a small shell costs far less
// than forking the Node process for every command. Each command is still `sh -c CMD` (exec'd in a
// subshell, so `$$`, traps and `exit` behave as usual) in its own cwd
// with its own environment; a timeout or interrupt kills the runner's whole process group (the runner,
// the command and everything it started), and the next command gets a fresh runner.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { CommandOptions, CommandResult } from '../util/process-group.js';
import { killGroup, runShellCommand, SHELL as SH, waitForGroupExit } from '../util/process-group.js';

const KILL_GRACE_MS = 2000;
const TERM_AFTER_INT_MS = 300;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, num]) => [num, name as NodeJS.Signals]));

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;


interface Pending {
  opts: CommandOptions;
  started: number;
  outDone: boolean;
  errDone: boolean;
  code: number | null;
  timedOut: boolean;
  interrupted: boolean;
  resolve: (r: CommandResult) => void;
}

/** Splits a runner's output stream into lines until the current command's end marker. */
class StreamCutter {
  private buffer = '';
  constructor(private readonly marker: string) {}

  /** Feeds a chunk and emits whole lines; returns the marker's payload once the marker is complete. */
  push(chunk: string, emit: (line: string) => void): string | undefined {
    this.buffer += chunk;
    const at = this.buffer.indexOf(this.marker);
    const end = at < 0 ? -1 : this.buffer.indexOf('\u001e\n', at + this.marker.length);
    if (at >= 0 && end >= 0) {
      const before = this.buffer.slice(0, at);
      const payload = this.buffer.slice(at + this.marker.length, end);
      this.buffer = this.buffer.slice(end + 2);
      const lines = before.split('\n');
      const last = lines.pop()!;
      for (const l of lines) emit(stripCr(l));
      if (last !== '') emit(stripCr(last));
      return payload;
    }
    // Emit complete lines; keep the tail, which may hold the start of a marker.
    const head = at >= 0 ? this.buffer.slice(0, at) : this.buffer;
    const nl = head.lastIndexOf('\n');
    if (nl >= 0) {
      for (const l of head.slice(0, nl).split('\n')) emit(stripCr(l));
      this.buffer = this.buffer.slice(nl + 1);
    }
    return undefined;
  }
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

export class ShellRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly nonce = randomBytes(6).toString('hex');
  private pending?: Pending;
  private seq = 0;
  private out?: StreamCutter;
  private err?: StreamCutter;
  alive = true;

  constructor() {
    this.child = spawn(SH, ['-s'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => this.onData('out', d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => this.onData('err', d));
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', () => this.onExit());
    this.child.on('exit', () => this.onExit());
  }

  private onData(which: 'out' | 'err', data: string): void {
    const p = this.pending;
    const cutter = which === 'out' ? this.out : this.err;
    if (!p || !cutter) return;
    const stream = which === 'out' ? 'stdout' : 'stderr';
    const payload = cutter.push(data, (line) => p.opts.onLine?.(stream, line));
    if (payload === undefined) return;
    if (which === 'out') {
      p.outDone = true;
      p.code = Number(payload);
    } else p.errDone = true;
    if (p.outDone && p.errDone) this.finish();
  }

  private finish(): void {
    const p = this.pending!;
    this.pending = undefined;
    let exitCode = p.code;
    let signal: NodeJS.Signals | null = null;
    if (exitCode !== null && exitCode > 128 && SIGNAL_NAMES.has(exitCode - 128)) {
      signal = SIGNAL_NAMES.get(exitCode - 128)!;
      exitCode = null;
    }
    p.resolve({ exitCode, signal, timedOut: p.timedOut, interrupted: p.interrupted, durationMs: Math.round(performance.now() - p.started) });
  }

  private onExit(): void {
    if (!this.alive) return;
    this.alive = false;
    const p = this.pending;
    if (!p) return;
    // The runner died mid-command (killed on timeout/interrupt, or by the command): finish off its group
    // and report only once every process of it is gone, grandchildren included.
    this.pending = undefined;
    const result: CommandResult = { exitCode: null, signal: 'SIGKILL', timedOut: p.timedOut, interrupted: p.interrupted, durationMs: Math.round(performance.now() - p.started) };
    if (this.child.pid === undefined) return p.resolve(result);
    killGroup(this.child.pid, 'SIGKILL');
    void waitForGroupExit(this.child.pid).then(() => p.resolve(result));
  }

  run(opts: CommandOptions): Promise<CommandResult> {
    return new Promise((resolve) => {
      const n = ++this.seq;
      this.out = new StreamCutter(`\u001eGGEN:${this.nonce}:${n}:`);
      this.err = new StreamCutter(`\u001eGGEN:${this.nonce}:${n}:`);
      const p: Pending = { opts, started: performance.now(), outDone: false, errDone: false, code: null, timedOut: false, interrupted: false, resolve };
      const exports = Object.entries(opts.env)
        .filter(([k, v]) => process.env[k] !== v)
        .map(([k, v]) => `export ${k}=${quote(v)}; `)
        .join('');
      const unsets = Object.keys(process.env).filter((k) => !(k in opts.env) && SHELL_NAME.test(k)).map((k) => `unset ${k}; `).join('');
      const mark = `\\036GGEN:${this.nonce}:${n}:`;
      const script = `if cd -- ${quote(opts.cwd)} 2>/dev/null; then (${unsets}${exports}exec ${SH} -c ${quote(opts.command)}) </dev/null; __ggen_rc=$?; else __ggen_rc=126; fi; printf '${mark}%s\\036\\n' "$__ggen_rc"; printf '${mark}E\\036\\n' >&2\n`;
      this.pending = p;
      const stop = (signal: NodeJS.Signals) => {
        if (this.child.pid === undefined || !this.alive) return;
        killGroup(this.child.pid, signal);
        // Shells may survive SIGINT while they wait for a child; escalate to SIGTERM, then SIGKILL.
        if (signal === 'SIGINT') setTimeout(() => this.alive && killGroup(this.child.pid!, 'SIGTERM'), TERM_AFTER_INT_MS).unref();
        setTimeout(() => this.alive && killGroup(this.child.pid!, 'SIGKILL'), KILL_GRACE_MS).unref();
      };
      const timer = setTimeout(() => {
        p.timedOut = true;
        stop('SIGTERM');
      }, opts.timeoutMs);
      const onAbort = () => {
        p.interrupted = true;
        stop('SIGINT');
      };
      const done = p.resolve;
      p.resolve = (r) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        done(r);
      };
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.child.stdin.write(script);
    });
  }

  /** Ends the runner; background processes a command left behind cannot keep ggen waiting on the pipes. */
  close(): void {
    if (this.alive) this.child.stdin.end();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.child.unref();
  }

  /** True when this runner can express the command's environment (every name a shell identifier). */
  static canRun(opts: CommandOptions): boolean {
    return Object.keys(opts.env).every((k) => SHELL_NAME.test(k) || process.env[k] === opts.env[k]);
  }
}

/** A few runners shared by an invocation; one per command running at the same time. */
export class RunnerPool {
  private readonly idle: ShellRunner[] = [];
  private readonly all: ShellRunner[] = [];

  async run(opts: CommandOptions): Promise<CommandResult> {
    if (!ShellRunner.canRun(opts)) return runShellCommand(opts);
    let runner = this.idle.pop();
    while (runner && !runner.alive) runner = this.idle.pop();
    if (!runner) {
      runner = new ShellRunner();
      this.all.push(runner);
    }
    try {
      return await runner.run(opts);
    } finally {
      if (runner.alive) this.idle.push(runner);
    }
  }

  close(): void {
    for (const r of this.all) r.close();
  }
}
