// The `ggen/cleanroom/vitest` fixture, run by a real vitest process: a passing test's env is removed,
// a failing one's too, unless GGEN_KEEP=1 keeps it (and says where).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot } from '../helpers/cli.js';

const fixtureDir = join(repoRoot, 'test/cleanroom/fixtures/vitest-fixture');
const vitestBin = join(repoRoot, 'node_modules/vitest/vitest.mjs');

function runFixture(env: Record<string, string>): { status: number | null; output: string; paths: Map<string, string> } {
  const tmp = makeTempDir();
  const log = join(tmp.dir, 'log');
  try {
    const r = spawnSync(process.execPath, [vitestBin, 'run'], { cwd: fixtureDir, env: { ...process.env, NO_COLOR: '1', FIXTURE_LOG: log, ...env }, encoding: 'utf8', timeout: 60_000 });
    const paths = new Map(readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ') as [string, string]));
    return { status: r.status, output: `${r.stdout}${r.stderr}`, paths };
  } finally {
    tmp.cleanup();
  }
}

describe('vitest fixture', () => {
  it('gives each test a cleanroom and removes it afterwards, even when the test fails', () => {
    const r = runFixture({ GGEN_KEEP: '0' });
    expect(r.status).toBe(1);
    expect(r.output).toContain('1 failed');
    expect(r.output).toContain('2 passed');
    expect(existsSync(r.paths.get('seeded')!)).toBe(false);
    const passes = r.paths.get('passes')!;
    const fails = r.paths.get('fails')!;
    expect(passes).toMatch(/ggen-cleanroom-[0-9a-f-]{36}\/work$/);
    expect(fails).not.toBe(passes);
    expect(existsSync(passes)).toBe(false);
    expect(existsSync(fails)).toBe(false);
  });

  it('keeps the failing test’s cleanroom with GGEN_KEEP=1 and prints its path', () => {
    const r = runFixture({ GGEN_KEEP: '1' });
    const fails = r.paths.get('fails')!;
    try {
      expect(r.status).toBe(1);
      expect(existsSync(r.paths.get('passes')!)).toBe(false);
      expect(readFileSync(join(fails, 'evidence.txt'), 'utf8')).toBe('left for inspection');
      expect(r.output).toContain(`kept after failure: expected 1 to be 2 // Object.is equality; left at ${fails}`);
    } finally {
      rmSync(join(fails, '..'), { recursive: true, force: true });
    }
  });
});
