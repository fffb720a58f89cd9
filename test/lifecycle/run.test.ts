import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ggenBin } from '../helpers/cli.js';
import { ggen, lines, project, readState, waitGone } from './helpers.js';

const HOOKS = `
[project]
name = "hooks"
[lifecycle.clean]
command = "echo clean"
[lifecycle.lint]
command = "echo lint"
[lifecycle.build]
commands = ["echo build-1", "echo build-2"]
[lifecycle.test]
command = "echo test"
[lifecycle.docs]
command = "echo docs"
[hooks]
before_all = ["clean"]
after_all = ["run: echo all-done"]
before_build = ["lint"]
after_build = ["docs"]
before_test = ["lint"]
`;

describe('lifecycle run', () => {
  it('runs hooks in order, each once, before_all/after_all once per invocation', async () => {
    const dir = project({ 'make.toml': HOOKS });
    const r = await ggen(dir, ['run', 'build', 'test']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      'Running phase: clean', '[clean] clean',
      'Running phase: lint', '[lint] lint',
      'Running phase: build', '[build] build-1', '[build] build-2',
      'Running phase: docs', '[docs] docs',
      'Running phase: test', '[test] test',
      'Running hook after_all: echo all-done', '[after_all] all-done',
    ]);
    const state = readState(dir);
    expect(state.last_phase).toBe('test');
    expect(state.phase_history.map((h) => [h.phase, h.success, h.exit_code])).toEqual([
      ['clean', true, 0], ['lint', true, 0], ['build', true, 0], ['docs', true, 0], ['test', true, 0], ['after_all', true, 0],
    ]);
    expect(Object.keys(state)).toEqual(['last_phase', 'phase_history', 'generated', 'cache_keys']);
    expect(readFileSync(join(dir, '.ggen/state.json'), 'utf8').endsWith('}')).toBe(true);
  });

  it('fails fast naming the command and exit code, and records the failure', async () => {
    const dir = project({ 'make.toml': '[lifecycle.build]\ncommands = ["echo one", "echo oops >&2; exit 3", "touch never"]\n[lifecycle.after]\ncommand = "touch after"\n[hooks]\nafter_build = ["after"]\n' });
    const r = await ggen(dir, ['run', 'build']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Running phase: build\n[build] one\n');
    expect(r.stderr).toBe('[build] oops\nerror: command failed in phase "build": `echo oops >&2; exit 3` exited with code 3\n  hint: its output is shown above\n');
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(existsSync(join(dir, 'after'))).toBe(false);
    const [run] = readState(dir).phase_history;
    expect(run).toMatchObject({ phase: 'build', workspace: null, success: false, exit_code: 3, command: 'echo oops >&2; exit 3' });
    expect(typeof run!.started_ms).toBe('number');
    expect(typeof run!.duration_ms).toBe('number');
    expect(run!.cache_key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies env precedence: inherited < [env] < [env.ENV] < phase env < GGEN_*', async () => {
    const dir = project({
      'make.toml': `
[env]
B = "env"
C = "env"
D = "env"
[env.ci]
C = "ci"
D = "ci"
[lifecycle.show]
command = 'echo "$A|$B|$C|$D|$GGEN_ENV|$GGEN_PHASE|$GGEN_ROOT"'
env = { D = "phase", GGEN_ENV = "phase" }
`,
    });
    const inherited = { A: 'inh', B: 'inh', C: 'inh', D: 'inh' };
    const ci = await ggen(dir, ['run', 'show', '--env', 'ci'], inherited);
    expect(lines(ci.stdout, dir)).toEqual(['Running phase: show', '[show] inh|env|ci|phase|ci|show|<root>']);
    const dev = await ggen(dir, ['run', 'show'], inherited);
    expect(lines(dev.stdout, dir)[1]).toBe('[show] inh|env|env|phase|development|show|<root>');
    const bad = await ggen(dir, ['run', 'show', '--env', 'cj']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('error: ' + join(dir, 'make.toml') + ': unknown environment "cj"\n  hint: did you mean "ci"?');
  });

  it('skips a cached phase and reruns on changed input, missing output, --force and another env', async () => {
    const dir = project({
      'make.toml': '[lifecycle.build]\ncommands = ["mkdir -p dist", "cat src/*.txt > dist/out.txt", "echo ran >> runs.log"]\ninputs = ["src/**/*.txt"]\noutputs = ["dist/out.txt"]\n[env.prod]\nX = "1"\n',
      'src/a.txt': 'a\n',
      'src/b.txt': 'b\n',
    });
    const runs = () => readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;
    expect((await ggen(dir, ['run', 'build'])).stdout).toBe('Running phase: build\n');
    const cached = await ggen(dir, ['run', 'build']);
    expect(cached.stdout).toBe('Skipping phase: build (cached, inputs unchanged)\n');
    expect(runs()).toBe(1);
    writeFileSync(join(dir, 'src/b.txt'), 'B\n');
    await ggen(dir, ['run', 'build']);
    expect(runs()).toBe(2);
    expect(readFileSync(join(dir, 'dist/out.txt'), 'utf8')).toBe('a\nB\n');
    rmSync(join(dir, 'dist/out.txt'));
    await ggen(dir, ['run', 'build']);
    expect(runs()).toBe(3);
    await ggen(dir, ['run', 'build', '--force']);
    expect(runs()).toBe(4);
    await ggen(dir, ['run', 'build', '--env', 'prod']);
    expect(runs()).toBe(5);
    await ggen(dir, ['run', 'build', '--env', 'prod']);
    expect(runs()).toBe(5);
    // Skips run nothing and add no history; the five real runs are there.
    expect(readState(dir).phase_history.map((h) => [h.phase, h.success, h.env])).toEqual([
      ['build', true, 'development'], ['build', true, 'development'], ['build', true, 'development'], ['build', true, 'development'], ['build', true, 'prod'],
    ]);
  });

  it('--dry-run prints what would run, in order, with the environment, and runs nothing', async () => {
    const dir = project({ 'make.toml': '[env]\nX = "1"\n[lifecycle.lint]\ncommand = "touch linted"\n[lifecycle.build]\ncommand = "touch built"\ncwd = "sub"\ntimeout = 90\n[hooks]\nbefore_build = ["lint"]\nafter_build = ["run: echo done"]\n', 'sub/.keep': '' });
    const r = await ggen(dir, ['run', 'build', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.split(dir).join('<root>')).toBe(`Dry run: lifecycle run build (nothing is executed)
1. phase lint [before_build]
   cwd: <root>
   env (on top of the inherited environment):
     GGEN_ENV=development
     GGEN_PHASE=lint
     GGEN_ROOT=<root>
     X=1
   timeout: 10m
   $ touch linted
2. phase build
   cwd: <root>/sub
   env (on top of the inherited environment):
     GGEN_ENV=development
     GGEN_PHASE=build
     GGEN_ROOT=<root>
     X=1
   timeout: 90s
   $ touch built
3. hook after_build
   cwd: <root>
   env (on top of the inherited environment):
     GGEN_ENV=development
     GGEN_PHASE=build
     GGEN_ROOT=<root>
     X=1
   timeout: 90s
   $ echo done
`);
    expect(existsSync(join(dir, 'linted'))).toBe(false);
    expect(existsSync(join(dir, '.ggen'))).toBe(false);
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    const dir = project({ 'make.toml': `[lifecycle.slow]\ntimeout = "400ms"\ncommand = "sh -c 'sleep 30 & echo $! > grandchild.pid; wait'"\n` });
    const t0 = Date.now();
    const r = await ggen(dir, ['run', 'slow']);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${join(dir, 'make.toml')}:1:2: command timed out after 400ms in phase "slow"`);
    const pid = Number(readFileSync(join(dir, 'grandchild.pid'), 'utf8'));
    expect(await waitGone(pid)).toBe(true);
    expect(readState(dir).phase_history[0]).toMatchObject({ phase: 'slow', success: false, exit_code: null, error: 'timeout' });
  });

  it('on SIGINT kills the running tree, records the run and exits 130', async () => {
    const dir = project({ 'make.toml': `[lifecycle.serve]\ncommand = "sh -c 'sleep 30 & echo $! > grandchild.pid; wait'"\n` });
    const child = spawn(process.execPath, [ggenBin, 'lifecycle', 'run', 'serve'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const pidFile = join(dir, 'grandchild.pid');
    for (let i = 0; i < 100 && !(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim()); i++) await new Promise((res) => setTimeout(res, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('error: interrupted: phase "serve" stopped while running');
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    expect(readState(dir).phase_history[0]).toMatchObject({ phase: 'serve', success: false, error: 'interrupted' });
  });

  it('records a phase without commands and still runs its after hooks', async () => {
    const dir = project({ 'make.toml': '[lifecycle.x]\ncommand = "echo x"\n[hooks]\nafter_x_ = []\nonerror = []\n' });
    const plain = project({ 'make.toml': '[lifecycle.ci]\n[lifecycle.x]\ncommand = "echo x"\n[hooks]\nafter_ci = ["x"]\n' });
    const r = await ggen(plain, ['run', 'ci']);
    expect(lines(r.stdout)).toEqual(['Running phase: ci', 'Running phase: x', '[x] x']);
    expect(readState(plain).phase_history.map((h) => h.phase)).toEqual(['ci', 'x']);
    const w = await ggen(dir, ['run', 'x']);
    expect(w.code).toBe(0);
    expect(w.stderr.split(dir).join('<root>')).toBe('warning: <root>/make.toml:4:1: hook "after_x_" is for phase "x_", which is not defined (never runs)\n  hint: did you mean "x"?\nwarning: <root>/make.toml:5:1: unknown key "onerror" in [hooks] (ignored)\n  hint: hook keys are before_all, after_all, before_PHASE and after_PHASE\n');
  });
});

describe('lifecycle list/show/graph', () => {
  it('lists phases with the last executed one', async () => {
    const dir = project({ 'make.toml': HOOKS.replace('command = "echo clean"', 'command = "echo clean"\ndescription = "remove outputs"') });
    await ggen(dir, ['run', 'lint']);
    const r = await ggen(dir, ['list']);
    expect(r.stdout.split(dir).join('<root>')).toBe('Available lifecycle phases in <root>:\n\n  • build - (no description)\n  • clean - remove outputs\n  • docs - (no description)\n  • lint - (no description)\n  • test - (no description)\n\nLast executed: lint\n');
  });

  it('shows a phase with its hooks', async () => {
    const dir = project({ 'make.toml': HOOKS });
    const r = await ggen(dir, ['show', 'build']);
    expect(r.stdout).toBe('Phase: build\n\nCommands:\n  $ echo build-1\n  $ echo build-2\n\nBefore hooks:\n  → lint\nAfter hooks:\n  → docs\n');
    const bad = await ggen(dir, ['show', 'buld']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`error: ${join(dir, 'make.toml')}: unknown phase "buld"\n  hint: did you mean "build"?\n`);
  });

  it('prints the graph as text and DOT', async () => {
    const dir = project({ 'make.toml': '[lifecycle.build]\ncommand = "true"\nparallel = true\n[lifecycle.lint]\ncommand = "true"\n[hooks]\nbefore_build = ["lint"]\nafter_all = ["run: echo bye"]\n[workspace.api]\npath = "api"\n[workspace.web]\npath = "web"\ndepends_on = ["api"]\n' });
    const text = await ggen(dir, ['graph']);
    expect(text.stdout).toBe('phases:\n  build (parallel)\n    before: lint\n  lint\nafter_all: run: echo bye\nworkspaces:\n  api (api)\n  web (web) ← depends on api\n');
    const dot = await ggen(dir, ['graph', '--dot']);
    expect(dot.stdout).toBe(`digraph lifecycle {
  rankdir=LR;
  node [shape=box];
  "phase:build" [label="build"];
  "phase:lint" [label="lint"];
  "hook:after_all:0" [label="run: echo bye", shape=ellipse];
  "after_all" [shape=diamond];
  "after_all" -> "hook:after_all:0" [label="after_all"];
  "phase:lint" -> "phase:build" [label="before_build"];
  subgraph cluster_workspaces {
    label="workspaces";
    "ws:api" [label="api", shape=folder];
    "ws:web" [label="web", shape=folder];
    "ws:api" -> "ws:web" [label="depends_on"];
  }
}
`);
  });
});

describe('lifecycle validate', () => {
  it('accepts a valid make.toml and checks every phase without running anything', async () => {
    const dir = project({ 'make.toml': HOOKS });
    const r = await ggen(dir, ['validate']);
    expect(r).toEqual({ code: 0, stdout: 'make.toml is valid: 5 phase(s), 5 hook key(s), 0 workspace(s)\n', stderr: '' });
    expect(existsSync(join(dir, '.ggen'))).toBe(false);
  });

  it('fails on a command that cannot run, and on readiness with --readiness', async () => {
    const bad = project({ 'make.toml': '[lifecycle.x]\ncommand = "no-such-program-here"\n' });
    const r = await ggen(bad, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('command "no-such-program-here" in phase "x" was not found on PATH');
    const notReady = project({ 'make.toml': '[lifecycle.x]\ncommand = "true"\n' });
    const rr = await ggen(notReady, ['validate', '--readiness']);
    expect(rr.code).toBe(1);
    expect(rr.stdout).toMatch(/^make\.toml is valid: 1 phase\(s\), 0 hook key\(s\), 0 workspace\(s\)\nreadiness: score [\d.]+ \(threshold 88\), blockers: .* → NOT deployment-ready\n$/);
  });
});
