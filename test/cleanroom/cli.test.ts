// `ggen cleanroom run|check` as a user runs it: exit codes, text/JSON/JUnit reports, errors with positions.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, runGgen } from '../helpers/cli.js';

const dir = new URL('./fixtures/scenarios/', import.meta.url).pathname;
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const stable = (text: string) => text.replace(/\d+(\.\d+)? (ms|s)\b/g, 'N ms');

describe('ggen cleanroom', () => {
  it('runs a passing scenario and exits 0', async () => {
    const r = await runGgen(['cleanroom', 'run', 'passing.toml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(stable(r.stdout)).toBe('PASS  every step kind (passing.toml, N ms)\n\n1 scenario: 1 passed, 0 failed\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 when a scenario fails, and writes JUnit XML', async () => {
    const junit = join(tmp.dir, 'out', 'junit.xml');
    const r = await runGgen(['cleanroom', 'run', 'failing.toml', 'passing.toml', '--junit', junit, '-j', '2'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(stable(r.stdout)).toBe([
      'FAIL  a step fails (failing.toml, N ms)',
      '      step 2 (echo to stdout; echo broken >&2; exit 1, line 7): exit code 1, expected 0',
      '      sh -c echo to stdout; echo broken >&2; exit 1 exited 1:',
      '      broken',
      'PASS  every step kind (passing.toml, N ms)',
      '',
      '2 scenarios: 1 passed, 1 failed',
      '',
    ].join('\n'));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="ggen cleanroom" tests="2" failures="1" errors="0" time="[\d.]+">/);
    expect(xml).toContain('<testcase classname="passing.toml" name="every step kind"');
  });

  it('keeps a failing scenario’s cleanroom with --keep and prints where', async () => {
    const r = await runGgen(['cleanroom', 'run', 'failing.toml', '--keep'], { cwd: dir });
    expect(r.code).toBe(1);
    const kept = /^ {6}kept: (\S+)$/m.exec(r.stdout)?.[1];
    expect(kept).toMatch(/\/ggen-cleanroom-[0-9a-f-]{36}\/work$/);
    try {
      expect(readFileSync(join(kept!, 'a.txt'), 'utf8')).toBe('a');
      expect(r.stderr).toContain(`left at ${kept}`);
    } finally {
      rmSync(join(kept!, '..'), { recursive: true, force: true });
    }
  });

  it('prints the report as JSON with --json', async () => {
    const r = await runGgen(['--json', 'cleanroom', 'run', 'passing.toml'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; total: number; scenarios: Array<{ name: string; status: string; steps: unknown[]; metrics: Record<string, number> }> };
    expect(report).toMatchObject({ passed: true, total: 1, failed: 0, scenarios: [{ name: 'every step kind', status: 'passed', file: 'passing.toml' }] });
    expect(report.scenarios[0]!.steps).toHaveLength(9);
    expect(report.scenarios[0]).toMatchObject({ metrics: { runs: 7 } }) // 6 process steps + the command validator;
    const failing = await runGgen(['cleanroom', 'run', 'failing.toml', '--json'], { cwd: dir });
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ passed: false, failed: 1, scenarios: [{ status: 'failed', steps: [{ status: 'passed' }, { status: 'failed', exitCode: 1 }, { status: 'skipped' }] }] });
  });

  it('points at the line of a broken scenario and runs nothing', async () => {
    const file = join(tmp.dir, 'broken.toml');
    await import('node:fs').then((fs) => fs.writeFileSync(file, '[[steps]]\nrun = "touch ran"\n\n[[steps]]\nrnu = "x"\n'));
    const r = await runGgen(['cleanroom', 'run', file]);
    // The mistyped action is named, with the action it most likely meant (docs/cleanroom.md promises it).
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: ${file}:5:1: unknown action "rnu" in steps[1]\n  hint: did you mean "run"?\n` });
  });

  it('reports a missing scenario file', async () => {
    const r = await runGgen(['cleanroom', 'run', 'nope.toml'], { cwd: dir });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: nope.toml: scenario file not found\n  hint: pass scenario .toml files or directories that contain them\n' });
  });

  it('rejects bad flags with exit 2', async () => {
    expect((await runGgen(['cleanroom', 'run', 'passing.toml', '--bogus'], { cwd: dir })).code).toBe(2);
    const jobs = await runGgen(['cleanroom', 'run', 'passing.toml', '--jobs', '0'], { cwd: dir });
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toContain('--jobs must be a positive integer, got "0"');
    expect((await runGgen(['cleanroom', 'run'])).code).toBe(2);
  });

  it('checks scenario files without running them', async () => {
    const r = await runGgen(['cleanroom', 'check', '.'], { cwd: dir });
    expect(r).toEqual({ code: 0, stderr: '', stdout: [
      'ok  expect-fails.toml: an expectation fails (1 steps, 2 expectations)',
      'ok  failing.toml: a step fails (3 steps, 1 expectations)',
      'ok  passing.toml: every step kind (9 steps, 6 expectations)',
      '',
    ].join('\n') });
  });

  it('prints help with examples', async () => {
    const r = await runGgen(['cleanroom', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:\n  $ ggen cleanroom run tests/hello.toml');
  });
});
