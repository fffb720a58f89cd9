// Temp projects for lifecycle tests: an inline file tree in a directory removed after each test.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { makeTempDir, runGgen, type RunResult } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

export function project(files: Record<string, string>): string {
  const { dir, cleanup } = makeTempDir('ggen-lc-');
  cleanups.push(cleanup);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (path.endsWith('.sh') && !path.includes('noexec')) chmodSync(file, 0o755);
  }
}

export function ggen(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runGgen(['lifecycle', ...args], { cwd: dir, env });
}

export function readState(dir: string, sub = '.'): { last_phase: string | null; phase_history: Array<Record<string, unknown>>; cache_keys: Array<{ phase: string; key: string }> } {
  return JSON.parse(readFileSync(join(dir, sub, '.ggen', 'state.json'), 'utf8'));
}

/** Lines of stdout without ggen's own stderr summary, with the temp dir replaced by <root>. */
export function lines(text: string, dir?: string): string[] {
  const t = dir ? text.split(dir).join('<root>') : text;
  return t.split('\n').filter((l) => l !== '');
}

/** True when the pid no longer runs (gone, or a zombie waiting to be reaped). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Signals are delivered asynchronously: polls up to `ms` for the pid to be gone. */
export async function waitGone(pid: number, ms = 2000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 25))) if (processGone(pid)) return true;
  return processGone(pid);
}
