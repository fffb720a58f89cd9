import { describe, expect, it } from 'vitest';
import { RunnerPool } from '../../src/lifecycle/shell-runner.js';
import { project } from './helpers.js';

function inheritedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

async function run(pool: RunnerPool, command: string, opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const out: string[] = [];
  const res = await pool.run({ command, cwd: opts.cwd ?? project({}), env: opts.env ?? inheritedEnv(), timeoutMs: opts.timeoutMs ?? 10_000, onLine: (stream, line) => out.push(`${stream}: ${line}`) });
  return { ...res, out };
}

describe('pooled shell runners', () => {
  it('keeps commands apart: output, partial lines, exit codes, cwd, environment and stdin', async () => {
    const pool = new RunnerPool();
    try {
      const dir = project({ 'f.txt': 'x' });
      // stdout and stderr are separate pipes, so only the order within each stream is defined.
      const mixed = await run(pool, 'printf "a\\nb"; printf "err" >&2');
      expect(mixed.exitCode).toBe(0);
      expect(mixed.out.filter((l) => l.startsWith('stdout'))).toEqual(['stdout: a', 'stdout: b']);
      expect(mixed.out.filter((l) => l.startsWith('stderr'))).toEqual(['stderr: err']);
      expect(await run(pool, 'cd /; exit 7')).toMatchObject({ exitCode: 7, out: [] });
      expect(await run(pool, 'ls', { cwd: dir })).toMatchObject({ exitCode: 0, out: ['stdout: f.txt'] });
      expect(await run(pool, 'echo "$V|$W"', { env: inheritedEnv({ V: "it's $HOME \"quoted\"", W: 'line1\nline2' }) })).toMatchObject({ out: ['stdout: it\'s $HOME "quoted"|line1', 'stdout: line2'] });
      expect(await run(pool, 'echo "${V:-unset}"')).toMatchObject({ out: ['stdout: unset'] });
      expect(await run(pool, 'cat; echo read-done')).toMatchObject({ exitCode: 0, out: ['stdout: read-done'] });
      // Each command is its own `sh -c`: $$ is that shell, not the runner.
      expect(await run(pool, 'kill -TERM $$')).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
      expect(await run(pool, 'echo still-works')).toMatchObject({ exitCode: 0, out: ['stdout: still-works'] });
      // A command that kills its whole process group takes the runner with it; the next command gets a new one.
      expect(await run(pool, 'kill -TERM 0')).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      expect(await run(pool, 'echo fresh-runner')).toMatchObject({ exitCode: 0, out: ['stdout: fresh-runner'] });
    } finally {
      pool.close();
    }
  });

  it('times out and starts a fresh runner for the next command', async () => {
    const pool = new RunnerPool();
    try {
      const slow = await run(pool, 'sleep 20', { timeoutMs: 200 });
      expect(slow).toMatchObject({ timedOut: true, exitCode: null });
      expect(slow.durationMs).toBeLessThan(3000);
      expect(await run(pool, 'echo next')).toMatchObject({ exitCode: 0, out: ['stdout: next'] });
    } finally {
      pool.close();
    }
  });
});
