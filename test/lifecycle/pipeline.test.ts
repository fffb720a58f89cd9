import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ggenBin } from '../helpers/cli.js';
import { ggen, lines, project, readState, waitGone } from './helpers.js';

// Each workspace appends "start NAME" / "end NAME" to one shared log, so order and overlap are visible.
const STEP = (extra = '') => `command = 'echo start $GGEN_WORKSPACE >> ../log; sleep 0.3; ${extra}echo end $GGEN_WORKSPACE >> ../log'`;

function workspaces(buildParallel: boolean, failIn?: string): Record<string, string> {
  return {
    'make.toml': `
[project]
name = "mono"
[lifecycle.build]
${STEP(failIn ? `if [ "$GGEN_WORKSPACE" = ${failIn} ]; then exit 4; fi; ` : '')}
parallel = ${buildParallel}
[lifecycle.test]
command = "echo tested $GGEN_WORKSPACE >> ../log"
[workspace.api]
path = "api"
[workspace.web]
path = "web"
depends_on = ["api"]
[workspace.worker]
path = "worker"
`,
    'api/.keep': '',
    'web/.keep': '',
    'worker/.keep': '',
  };
}

const log = (dir: string) => readFileSync(join(dir, 'log'), 'utf8').split('\n').filter(Boolean);

describe('lifecycle pipeline', () => {
  it('runs workspaces in parallel where allowed, dependencies first, then prints a summary', async () => {
    const dir = project(workspaces(true));
    const r = await ggen(dir, ['pipeline', 'build', 'test']);
    expect(r.code).toBe(0);
    const events = log(dir);
    // api and worker have no dependencies and start together; web waits for api to end.
    expect(events.slice(0, 2).sort()).toEqual(['start api', 'start worker']);
    expect(events.indexOf('start web')).toBeGreaterThan(events.indexOf('end api'));
    expect(events.slice(-3)).toEqual(['tested api', 'tested web', 'tested worker']);
    const table = lines(r.stdout).filter((l) => !l.startsWith('['));
    expect(table.slice(-6, -1).map((l) => l.replace(/\d+(ms|\.\ds)/g, 'T').replace(/\s+/g, ' '))).toEqual([
      'Pipeline summary:',
      'workspace build test',
      'api ok T ok T',
      'web ok T ok T',
      'worker ok T ok T',
    ]);
    expect(table.at(-1)).toBe('Pipeline completed: build → test');
    expect(readState(dir, 'web').phase_history.map((h) => [h.phase, h.workspace, h.success])).toEqual([['build', 'web', true], ['test', 'web', true]]);
  });

  it('runs one workspace at a time without parallel = true, in dependency order', async () => {
    const dir = project(workspaces(false));
    const r = await ggen(dir, ['pipeline', 'build']);
    expect(r.code).toBe(0);
    expect(log(dir)).toEqual(['start api', 'end api', 'start web', 'end web', 'start worker', 'end worker']);
  });

  it('stops after a failing workspace: dependents and later phases are skipped, exit 1', async () => {
    const dir = project(workspaces(true, 'api'));
    const r = await ggen(dir, ['pipeline', 'build', 'test']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: command failed in workspace "api" phase "build"');
    expect(r.stderr).toContain('exited with code 4');
    const rows = lines(r.stdout).filter((l) => /^(api|web|worker) /.test(l)).map((l) => l.split(/\s+/).filter((c) => !/^\d/.test(c)).join(' '));
    expect(rows).toEqual(['api failed skipped', 'web skipped skipped', 'worker ok skipped']);
    expect(log(dir)).not.toContain('start web');
    expect(readState(dir, 'api').phase_history[0]).toMatchObject({ phase: 'build', workspace: 'api', success: false, exit_code: 4 });
  });

  it('prefixes live output with workspace:phase', async () => {
    const dir = project({ 'make.toml': '[lifecycle.hi]\ncommand = "echo hello from $GGEN_WORKSPACE"\n[workspace.a]\npath = "a"\n', 'a/.keep': '' });
    const r = await ggen(dir, ['pipeline', 'hi']);
    expect(lines(r.stdout).slice(0, 2)).toEqual(['Running phase: hi (workspace a)', '[a:hi] hello from a']);
  });

  it('uses a workspace make.toml over the root one', async () => {
    const dir = project({ 'make.toml': '[lifecycle.hi]\ncommand = "echo root"\n[workspace.a]\npath = "a"\n[workspace.b]\npath = "b"\n', 'a/make.toml': '[lifecycle.hi]\ncommand = "echo own"\n', 'b/.keep': '' });
    const r = await ggen(dir, ['pipeline', 'hi']);
    expect(lines(r.stdout).filter((l) => l.startsWith('['))).toEqual(['[a:hi] own', '[b:hi] root']);
  });

  it('runs at the root when there are no workspaces', async () => {
    const dir = project({ 'make.toml': '[lifecycle.a]\ncommand = "echo a"\n[lifecycle.b]\ncommand = "echo b"\n' });
    const r = await ggen(dir, ['pipeline', 'a', 'b']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((l) => l.replace(/ok \d+ms/g, 'ok T').replace(/\s+/g, ' '))).toEqual([
      'Running phase: a', '[a] a', 'Running phase: b', '[b] b', 'Pipeline summary:', 'workspace a b', '(root) ok T ok T', 'Pipeline completed: a → b',
    ]);
  });
});

describe('lifecycle pipeline --dry-run', () => {
  it('lists every workspace step in dependency order and runs nothing', async () => {
    const dir = project({ 'make.toml': '[lifecycle.build]\ncommand = "touch built"\n[workspace.web]\npath = "web"\ndepends_on = ["api"]\n[workspace.api]\npath = "api"\n', 'api/.keep': '', 'web/.keep': '' });
    const r = await ggen(dir, ['pipeline', 'build', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^\d+\./.test(l) || l.includes('cwd:'))).toEqual(['1. phase build in workspace api', `   cwd: ${dir}/api`, '2. phase build in workspace web', `   cwd: ${dir}/web`]);
    expect(r.stdout).toContain('     GGEN_WORKSPACE=web\n');
    expect(existsSync(join(dir, 'api', 'built'))).toBe(false);
  });

  it('explains a quoted list of phases (the 1.x docs form)', async () => {
    const dir = project({ 'make.toml': '[lifecycle.build]\ncommand = "true"\n[lifecycle.test]\ncommand = "true"\n' });
    const r = await ggen(dir, ['pipeline', 'build test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${dir}/make.toml: unknown phase "build test"\n  hint: pass the phases as separate arguments: build test\n`);
  });
});

describe('lifecycle pipeline interrupted', () => {
  it('kills every running workspace tree on SIGINT, prints the summary and exits 130', async () => {
    const dir = project({ 'make.toml': `[lifecycle.serve]\ncommand = "sh -c 'sleep 30 & echo $! > gc.pid; wait'"\nparallel = true\n[workspace.a]\npath = "a"\n[workspace.b]\npath = "b"\n`, 'a/.keep': '', 'b/.keep': '' });
    const child = spawn(process.execPath, [ggenBin, 'lifecycle', 'pipeline', 'serve'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const pidOf = (ws: string) => (existsSync(join(dir, ws, 'gc.pid')) ? Number(readFileSync(join(dir, ws, 'gc.pid'), 'utf8')) : 0);
    for (let i = 0; i < 200 && !(pidOf('a') && pidOf('b')); i++) await new Promise((res) => setTimeout(res, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code).toBe(130);
    expect(await waitGone(pidOf('a'))).toBe(true);
    expect(await waitGone(pidOf('b'))).toBe(true);
    expect(lines(stdout).filter((l) => /^(a|b) /.test(l)).map((l) => l.split(/\s+/)[1])).toEqual(['failed', 'failed']);
    expect(readState(dir, 'a').phase_history[0]).toMatchObject({ phase: 'serve', workspace: 'a', success: false, error: 'interrupted' });
  });
});
