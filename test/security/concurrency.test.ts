// Runs that write one output root are serialised by `.ggen/lock`: the second waits (and says so) or, with
// --no-wait, fails at once; a lock left by a killed process is taken over; the tree always equals one run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/util/process-info.js';
import { runGgen } from '../helpers/cli.js';
import { readTree } from '../generate/fixtures.js';
import { snapshot, world, type World } from './helpers.js';

let current: World | undefined;
afterEach(() => current?.cleanup());

const TEMPLATES = 40;

function project(w: World): void {
  const files: Record<string, string> = { 'p/ggen.toml': 'output = "out"\n[vars]\nv = "0"\n' };
  // Enough files that two runs overlap in time; each one says which run wrote it.
  for (let i = 0; i < TEMPLATES; i++) files[`p/t${i}.tmpl`] = `---\nto: f${String(i).padStart(2, '0')}.txt\n---\nversion {{ v }} file ${i}\n${'x'.repeat(20_000)}\n`;
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(w.project, rel, '..'), { recursive: true });
    writeFileSync(join(w.project, rel), text);
  }
}

function expectedTree(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < TEMPLATES; i++) out[`f${String(i).padStart(2, '0')}.txt`] = `version ${v} file ${i}\n${'x'.repeat(20_000)}\n`;
  return out;
}

/** A live process standing in for another ggen that holds the lock. */
function holdLock(w: World, seconds: number): { pid: number; done: Promise<void> } {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  const pid = child.pid!;
  const lock = join(w.project, 'p/out/.ggen/lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  writeFileSync(lock, `${JSON.stringify({ pid, host: hostname(), started: processStartTime(pid), purpose: 'ggen project gen' })}\n`);
  return { pid, done: new Promise((r) => child.once('exit', () => r())) };
}

describe('the output root lock', () => {
  it('two concurrent project gen runs with different vars: both succeed and the tree is one run\'s, receipt included', async () => {
    current = world();
    project(current);
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        runGgen(['project', 'gen', 'p', '--var', `v=a${round}`], { cwd: current.project }),
        runGgen(['project', 'gen', 'p', '--var', `v=b${round}`], { cwd: current.project }),
      ]);
      const rest = (stderr: string) => stderr.replace(/^warning: waiting for .*\n/, '').replace(/^40 (created|overwritten) · receipt p\/out\/\.ggen\/receipt\.json\n$/, '');
      expect([a.code, b.code, rest(a.stderr), rest(b.stderr)]).toEqual([0, 0, '', '']);
      const tree = readTree(join(current.project, 'p/out'));
      const receipt = JSON.parse(readFileSync(join(current.project, 'p/out/.ggen/receipt.json'), 'utf8'));
      const winner = receipt.vars.v as string;
      expect([`a${round}`, `b${round}`]).toContain(winner);
      expect(tree).toEqual(expectedTree(winner));
      const verify = await runGgen(['project', 'verify', 'p', '--var', `v=${winner}`], { cwd: current.project });
      expect(verify.stdout).toBe('ok: outputs, templates and graph match the receipt\n');
      expect(existsSync(join(current.project, 'p/out/.ggen/lock'))).toBe(false);
    }
  }, 120_000);

  it('--no-wait fails at once while another run holds the root, writing nothing', async () => {
    current = world();
    project(current);
    const holder = holdLock(current, 30);
    try {
      const before = snapshot(current.root);
      const started = Date.now();
      const r = await runGgen(['project', 'gen', 'p', '--no-wait'], { cwd: current.project });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: ${join(current.project, 'p/out/.ggen/lock')}: the output root ${join(current.project, 'p/out')} is being written by ggen process ${holder.pid} (ggen project gen)\n  hint: wait for it to finish (run without --no-wait to wait), or stop it\n`);
      expect(snapshot(current.root)).toEqual(before);
      for (const args of [['gen', 'p/t0.tmpl', '--out', 'p/out', '--no-wait'], ['project', 'watch', 'p', '--no-wait']]) {
        if (args[1] === 'watch') continue; // watch keeps running; its first write fails the same way (covered by the unit of runGeneration)
        const g = await runGgen(args, { cwd: current.project });
        expect(g.code).toBe(1);
        expect(g.stderr).toContain('is being written by ggen process');
      }
    } finally {
      process.kill(holder.pid, 'SIGKILL');
    }
  });

  it('without --no-wait a run waits for the holder, says so once, then writes', async () => {
    current = world();
    project(current);
    const holder = holdLock(current, 2);
    const r = await runGgen(['project', 'gen', 'p', '--var', 'v=after'], { cwd: current.project });
    await holder.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: waiting for ggen process ${holder.pid} (ggen project gen) to finish writing ${join(current.project, 'p/out')} (--no-wait fails instead)\n40 created · receipt p/out/.ggen/receipt.json\n`);
    expect(readTree(join(current.project, 'p/out'))).toEqual(expectedTree('after'));
  });

  it('a lock left by a killed process is taken over at once', async () => {
    current = world();
    project(current);
    const lock = join(current.project, 'p/out/.ggen/lock');
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, `${JSON.stringify({ pid: 2147483646, host: hostname(), started: '1', purpose: 'ggen project gen' })}\n`);
    const r = await runGgen(['project', 'gen', 'p', '--no-wait'], { cwd: current.project });
    expect([r.code, r.stderr]).toEqual([0, '40 created · receipt p/out/.ggen/receipt.json\n']);
    expect(existsSync(lock)).toBe(false);
    // A reused pid (alive, but started at another time) is not the holder either.
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid, host: hostname(), started: 'not-this-start', purpose: 'x' })}\n`);
    expect((await runGgen(['project', 'gen', 'p', '--no-wait', '--var', 'v=2'], { cwd: current.project })).code).toBe(0);
    // A half-written lock file is stale once old enough for its writer to have finished.
    writeFileSync(lock, '{"pid": 12');
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect((await runGgen(['project', 'gen', 'p', '--no-wait', '--var', 'v=3'], { cwd: current.project })).code).toBe(0);
    expect(readTree(join(current.project, 'p/out'))).toEqual(expectedTree('3'));
  });

  it('project apply takes the same lock', async () => {
    current = world();
    project(current);
    const plan = join(current.project, 'plan.json');
    expect((await runGgen(['project', 'plan', 'p', '-o', plan], { cwd: current.project })).code).toBe(0);
    const holder = holdLock(current, 30);
    try {
      const r = await runGgen(['project', 'apply', plan, '--no-wait'], { cwd: current.project });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`is being written by ggen process ${holder.pid}`);
    } finally {
      process.kill(holder.pid, 'SIGKILL');
    }
  });
});
