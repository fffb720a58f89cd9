// `ggen project watch` as a real process for tests: its combined output, and waits for lines in order.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { ggenBin } from './cli.js';

export interface Watching {
  /** Everything the process printed so far (stdout and stderr). */
  log(): string;
  /** Waits (up to 10 s) for text that appears after what earlier waits consumed. */
  waitFor(text: string): Promise<void>;
}

/** Runs `ggen ARGS…` (a watch), gives `body` its output, and stops it with SIGTERM afterwards. */
export async function withWatch(args: string[], cwd: string, body: (w: Watching) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [ggenBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  let seen = 0;
  const waitFor = async (text: string) => {
    for (let i = 0; i < 200 && !log.includes(text, seen); i++) await new Promise((r) => setTimeout(r, 50));
    expect(log.slice(seen)).toContain(text);
    seen = log.indexOf(text, seen) + text.length;
  };
  try {
    await body({ log: () => log, waitFor });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
  }
}
