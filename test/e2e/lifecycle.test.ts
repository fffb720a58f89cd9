// The lifecycle sample (examples/lifecycle) taken from a fresh checkout to a gated deploy, in a cleanroom:
// readiness refuses deploy until init → build → test have run, then score ≥ 88 with no blockers lets it through.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationSuite, fileExists, readinessAtLeast } from '../../src/cleanroom/index.js';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomEnv } from './helpers.js';

let env: CleanroomEnv;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await env.copyIn(join(repoRoot, 'examples', 'lifecycle'));
  // A checkout where someone already ran the sample would start out built: start from source only.
  for (const built of ['dist', 'deploy', '.ggen']) await env.remove(built);
});
afterAll(() => env.dispose());

async function readiness(): Promise<{ score: number; blockers: string[]; deployment_ready: boolean; threshold: number }> {
  const r = await env.ggen(['lifecycle', 'readiness', '--json']);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as { score: number; blockers: string[]; deployment_ready: boolean; threshold: number };
}

describe('lifecycle init → build → test → deploy', () => {
  it('a fresh checkout is not deployment-ready and deploy is refused', async () => {
    const before = await readiness();
    expect(before).toMatchObject({ threshold: 88, deployment_ready: false, blockers: ['build-output'] });
    expect(before.score).toBeLessThan(88);
    const deploy = await env.ggen(['lifecycle', 'run', 'deploy']);
    expect(deploy.exitCode).toBe(1);
    expect(deploy.stderr).toContain(`error: refusing to run "deploy": the project is not deployment-ready (score ${before.score} < 88; blockers: build-output)`);
    expect(await env.exists('deploy/development')).toBe(false);
    expect(await env.exists('deploy/production')).toBe(false);
    const gate = await new ValidationSuite('gate', [readinessAtLeast(88)]).run(env);
    expect(gate.passed).toBe(false);
    expect(gate.results[0]!.messages).toEqual([`readiness score ${before.score.toFixed(1)} is below 88`, 'blocking requirements: build-output']);
  });

  it('init, build and test run (init through the before_build hook too)', async () => {
    const r = await env.ggen(['lifecycle', 'run', 'init', 'build', 'test']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Running phase: init\nRunning phase: build\n/);
    expect(r.stdout).toContain('[test] # pass 4\n');
    expect(r.stdout).toContain('[test] # fail 0\n');
    expect((await new ValidationSuite('build', [fileExists('dist/app.mjs', 'dist/cli.mjs')]).run(env)).passed).toBe(true);
  });

  it('now scores at least 88 with no blockers', async () => {
    const after = await readiness();
    expect(after).toMatchObject({ deployment_ready: true, blockers: [] });
    expect(after.score).toBeGreaterThanOrEqual(88);
    const gate = await new ValidationSuite('gate', [readinessAtLeast(88)]).run(env);
    expect(gate).toMatchObject({ passed: true });
    expect(gate.score).toBeCloseTo(after.score / 100, 5);
  });

  it('deploys to production with the production env and runs the after_deploy hook', async () => {
    const r = await env.ggen(['lifecycle', 'run', 'deploy', '--env', 'production']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('[deploy] deployed greeter to production\n');
    expect(r.stdout).toContain('[after_deploy] Welcome, Deploy!\n');
    expect(await env.readFile('deploy/production/SMOKE')).toBe('Welcome, Deploy!\n');
  });
});
