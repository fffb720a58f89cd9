// ggen's own declarative scenarios (test/e2e/scenarios/*.toml), run by `ggen cleanroom run` as a user would.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanroomEnv } from './helpers.js';

const scenarios = new URL('./scenarios/', import.meta.url).pathname;
let env: CleanroomEnv;

beforeAll(async () => { env = await CleanroomEnv.create(); });
afterAll(() => env.dispose());

describe('ggen cleanroom run on the e2e scenarios', () => {
  it('passes every scenario and writes a JUnit report', async () => {
    const r = await env.ggen(['cleanroom', 'run', scenarios, '--jobs', '2', '--junit', 'junit.xml']);
    expect(r.stdout).toMatch(/\n2 scenarios: 2 passed, 0 failed\n$/);
    expect(r.exitCode).toBe(0);
    const xml = await env.readFile('junit.xml');
    expect(xml).toContain('tests="2" failures="0" errors="0"');
    expect(xml).toContain(`name="${join(scenarios, 'lifecycle-gate.toml')}"`);
  });
});
