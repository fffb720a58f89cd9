// Output for the CLI: data to stdout, diagnostics to stderr, honouring --json/--quiet/--verbose/--no-color.
import type { Command } from 'commander';

export interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  cwd?: string;
}

export interface Output {
  readonly flags: GlobalFlags;
  readonly json: boolean;
  readonly color: boolean;
  /** Writes a line (or text) to stdout; `text` is printed as is, with a newline added if missing. */
  out(text: string): void;
  /** Prints a value as pretty JSON on stdout. */
  outJson(value: unknown): void;
  /** Informational message on stderr, silenced by --quiet and --json. */
  info(text: string): void;
  /** The one-line result of a command on stderr: kept under --quiet (which drops the per-item lines), not with --json. */
  summary(text: string): void;
  /** Only with --verbose. */
  debug(text: string): void;
  /** Always shown on stderr (unless --quiet). */
  warn(text: string): void;
  /** True when stderr is an interactive terminal and progress may be drawn. */
  readonly interactive: boolean;
}

function colorEnabled(flags: GlobalFlags, stream: NodeJS.WriteStream): boolean {
  if (flags.color === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createOutput(flags: GlobalFlags): Output {
  const write = (stream: NodeJS.WriteStream, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  const json = flags.json === true;
  return {
    flags,
    json,
    color: colorEnabled(flags, process.stdout),
    interactive: process.stderr.isTTY === true && !json && flags.quiet !== true,
    out: (text) => write(process.stdout, text),
    outJson: (value) => write(process.stdout, JSON.stringify(value, null, 2)),
    info: (text) => { if (!flags.quiet && !json) write(process.stderr, text); },
    summary: (text) => { if (!json) write(process.stderr, text); },
    debug: (text) => { if (flags.verbose) write(process.stderr, text); },
    warn: (text) => { if (!flags.quiet) write(process.stderr, `warning: ${text}`); },
  };
}

/** The global flags as seen from any (sub)command's action. */
export function outputFor(cmd: Command): Output {
  return createOutput(cmd.optsWithGlobals<GlobalFlags>());
}

/** A tiny ANSI helper that becomes a no-op without colour. */
export function paint(enabled: boolean) {
  const wrap = (code: number) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), cyan: wrap(36), dim: wrap(2), bold: wrap(1) };
}
