// Before anything runs: every command's program must exist and be executable (a clear error, nothing run).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { SourceLocation } from '../errors.js';
import { GgenError } from '../errors.js';

// Words the shell handles itself; no file is needed for them.
const SHELL_WORDS = new Set(
  ('if then else elif fi case esac for while until do done in function select time ! { } [[ ]] ' +
    ': . source alias bg break cd command continue echo eval exec exit export false fc fg getopts hash jobs kill local ' +
    'printf pwd read readonly return set shift test [ times trap true type ulimit umask unalias unset wait').split(' '),
);

/** The program a simple shell command starts, or undefined when it is not a plain word. */
export function programOf(command: string): string | undefined {
  let rest = command.trim();
  // Skip leading assignments like `FOO=1 BAR=2 cmd`.
  for (;;) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|[^\s;&|]*)\s+/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  const word = /^[^\s;&|<>()`]+/.exec(rest)?.[0];
  if (!word || /[$"'`\\*?[{~]/.test(word)) return undefined;
  return word;
}

function isExecutableFile(path: string): 'ok' | 'missing' | 'directory' | 'not-executable' {
  try {
    if (statSync(path).isDirectory()) return 'directory';
  } catch {
    return 'missing';
  }
  try {
    accessSync(path, constants.X_OK);
    return 'ok';
  } catch {
    return 'not-executable';
  }
}

export interface PreflightCommand {
  command: string;
  cwd: string;
  pathVar: string | undefined;
  /** e.g. `phase "build"` or `hook before_all`. */
  where: string;
  at?: SourceLocation;
}

/** Throws when a command's program is a directory, not executable, or not on PATH. */
export function checkCommandRunnable(c: PreflightCommand): void {
  const program = programOf(c.command);
  if (program === undefined || SHELL_WORDS.has(program)) return;
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(c.cwd, program);
    const status = isExecutableFile(path);
    // A missing path may be produced by an earlier phase; the shell reports it if it is still missing.
    if (status === 'directory') throw new GgenError('E_LIFECYCLE', `command "${program}" in ${c.where} is a directory, not a program`, { at: c.at, hint: `check the command: ${c.command}` });
    if (status === 'not-executable') throw new GgenError('E_LIFECYCLE', `command "${program}" in ${c.where} is not executable`, { at: c.at, hint: `run "chmod +x ${program}" or write "sh ${program}"` });
    return;
  }
  for (const dir of (c.pathVar ?? '').split(delimiter)) {
    if (dir !== '' && isExecutableFile(join(dir, program)) === 'ok') return;
  }
  throw new GgenError('E_LIFECYCLE', `command "${program}" in ${c.where} was not found on PATH`, { at: c.at, hint: `install it or fix the command: ${c.command}` });
}
