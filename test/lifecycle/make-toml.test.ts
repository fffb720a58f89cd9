import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { findHookCycle, loadMakeToml, planInvocation } from '../../src/lifecycle/index.js';
import { KeyPositions } from '../../src/util/toml/index.js';
import { project } from './helpers.js';

function load(toml: string) {
  const dir = project({ 'make.toml': toml });
  return { dir, ...loadMakeToml({ root: dir }) };
}

function loadError(toml: string): GgenError {
  try {
    load(toml);
  } catch (err) {
    return err as GgenError;
  }
  throw new Error('expected an error');
}

describe('make.toml model', () => {
  it('normalizes phases, hooks, env, workspaces and readiness', () => {
    const { make, warnings, dir } = load(`
[project]
name = "demo"
[env]
A = "1"
N = 2
[env.production]
A = "prod"
[lifecycle.build]
commands = ["echo a", "echo b"]
inputs = ["src/**"]
outputs = ["dist/x"]
timeout = "1.5s"
env = { B = "2" }
[lifecycle.lint]
command = "eslint ."
[hooks]
before_build = ["lint", "run: echo hi"]
[workspace.web]
path = "apps/web"
depends_on = []
[readiness]
threshold = 90
[readiness.requirements.docs]
glob = "docs/*.md"
`);
    expect(warnings).toEqual([]);
    expect(make.project.name).toBe('demo');
    expect(make.phases.build).toMatchObject({ commands: ['echo a', 'echo b'], inputs: ['src/**'], outputs: ['dist/x'], timeoutMs: 1500, env: { B: '2' } });
    expect(make.phases.lint!.commands).toEqual(['eslint .']);
    expect(make.hooks.before_build).toEqual([
      { kind: 'phase', phase: 'lint', at: { file: join(dir, 'make.toml'), line: 18, column: 1 } },
      { kind: 'command', command: 'echo hi', at: { file: join(dir, 'make.toml'), line: 18, column: 1 } },
    ]);
    expect(make.env).toEqual({ A: '1', N: '2' });
    expect(make.envSets).toEqual({ production: { A: 'prod' } });
    expect(make.workspaces.web).toMatchObject({ path: 'apps/web', dependsOn: [] });
    expect(make.readiness).toMatchObject({ threshold: 90, requirements: [{ id: 'docs', category: 'Important', globs: ['docs/*.md'] }] });
  });

  it('warns about unknown keys with did-you-mean and their line', () => {
    const { warnings } = load('[project]\nname = "x"\n[lifecycle.build]\ncomand = "echo"\n[lifecycel.x]\n');
    expect(warnings.map((w) => [w.message, w.at.line, w.hint])).toEqual([
      ['unknown key "comand" in [lifecycle.build] (ignored)', 4, 'did you mean "command"?'],
      ['unknown key "lifecycel" in make.toml (ignored)', 5, 'did you mean "lifecycle"?'],
    ]);
  });

  const typeErrors: Array<[string, string, number]> = [
    ['[lifecycle.build]\ncommands = "echo"', '"lifecycle.build.commands" must be an array of strings, found a string', 2],
    ['[lifecycle.build]\ncommand = "x"\nparallel = "yes"', '"lifecycle.build.parallel" must be true or false, found a string', 3],
    ['[lifecycle.build]\ncommand = "x"\nport = 70000', '"lifecycle.build.port" must be an integer from 0 to 65535, found 70000', 3],
    ['[lifecycle.build]\ncommand = "x"\ntimeout = "soon"', '"lifecycle.build.timeout" is not a positive duration: "soon"', 3],
    ['[hooks]\nbefore_all = "lint"', '"hooks.before_all" must be an array of phase names or "run: <command>" strings, found a string', 2],
    ['[workspace]\nmembers = ["a"]', '"workspace.members" must be a table like [workspace.members] with path = "…"', 2],
    ['[lifecycle.build]\ncommand = "x"\n[lifecycle.build.env]\nA = [1]', '"lifecycle.build.env.A" must be a string, number or boolean, found an array', 4],
  ];
  it.each(typeErrors)('rejects a wrong type: %j', (body, message, line) => {
    const err = loadError(`[project]\nname = "x"\n${body}\n`);
    expect(err).toBeInstanceOf(GgenError);
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toBe(message);
    expect(err.at).toMatchObject({ line: line + 2 });
  });

  it('reports malformed TOML with file, line and column', () => {
    const err = loadError('[project]\nname = "x"\n[lifecycle.build\n');
    expect(err.message).toBe('invalid TOML: illegal character in key');
    expect(err.at).toMatchObject({ line: 3, column: 17 });
  });

  it('detects hook cycles and prints them', () => {
    const err = loadError('[lifecycle.a]\ncommand = "true"\n[lifecycle.b]\ncommand = "true"\n[hooks]\nbefore_a = ["b"]\nafter_b = ["a"]\n');
    expect(err.message).toBe('hook cycle: a → b → a');
    const self = loadError('[lifecycle.a]\ncommand = "true"\n[hooks]\nbefore_a = ["a"]\n');
    expect(self.message).toBe('hook cycle: a → a');
  });

  it('finds no cycle when hooks only share a phase', () => {
    const { make } = load('[lifecycle.a]\ncommand = "true"\n[lifecycle.b]\ncommand = "true"\n[lifecycle.c]\ncommand = "true"\n[hooks]\nbefore_a = ["c"]\nbefore_b = ["c"]\n');
    expect(findHookCycle(make)).toBeUndefined();
  });

  it('rejects hooks naming unknown phases and workspaces outside the root', () => {
    expect(loadError('[lifecycle.test]\ncommand = "true"\n[hooks]\nbefore_test = ["tset"]\n')).toMatchObject({ message: 'hook "before_test" names unknown phase "tset"', hint: 'did you mean "test"?', at: { line: 4 } });
    expect(loadError('[workspace.a]\npath = "../elsewhere"\n')).toMatchObject({ message: 'workspace "a" path "../elsewhere" is outside the project root', at: { line: 1 } });
    expect(loadError('[workspace.a]\npath = "a"\ndepends_on = ["b"]\n[workspace.b]\npath = "b"\ndepends_on = ["a"]\n').message).toBe('workspace dependency cycle: a → b → a');
  });
});

describe('hook planning', () => {
  const toml = `
[lifecycle.clean]
command = "true"
[lifecycle.lint]
command = "true"
[lifecycle.build]
command = "true"
[lifecycle.test]
command = "true"
[lifecycle.docs]
command = "true"
[hooks]
before_all = ["clean"]
after_all = ["run: echo bye"]
before_build = ["lint"]
after_build = ["docs"]
before_test = ["lint"]
before_clean = ["run: echo cleaning"]
`;
  it('orders before_all → before_P → P → after_P → after_all, each hook once', () => {
    const { make } = load(toml);
    const order = planInvocation(make, ['build', 'test']).map((s) => (s.kind === 'phase' ? `${s.phase}(${s.trigger})` : `run:${s.command}(${s.trigger})`));
    expect(order).toEqual(['run:echo cleaning(before_clean)', 'clean(before_all)', 'lint(before_build)', 'build(requested)', 'docs(after_build)', 'test(requested)', 'run:echo bye(after_all)']);
  });

  it('does not re-run before_all inside hook phases (the 1.x recursion bug)', () => {
    const { make } = load(toml);
    const phases = planInvocation(make, ['lint']).filter((s) => s.kind === 'phase').map((s) => (s.kind === 'phase' ? s.phase : ''));
    expect(phases).toEqual(['clean', 'lint']);
  });

  it('rejects an unknown phase with did-you-mean', () => {
    const { make } = load(toml);
    expect(() => planInvocation(make, ['biuld'])).toThrow(expect.objectContaining({ code: 'E_USAGE', message: 'unknown phase "biuld"', hint: 'did you mean "build"?' }));
  });
});

describe('key positions', () => {
  it('locates tables, dotted keys, inline tables and skips multi-line arrays', () => {
    const src = '[a]\nx = 1\n"q.k" = 2\nlist = [\n  "y = 3",\n]\nenv = { B = "1", C = 2 }\n[b.c]\nd.e = true\n';
    const pos = new KeyPositions(src);
    expect(pos.locate(['a', 'x'])).toEqual({ line: 2, column: 1 });
    expect(pos.locate(['a', 'q.k'])).toEqual({ line: 3, column: 1 });
    expect(pos.locate(['a', 'y'])).toEqual({ line: 1, column: 2 });
    expect(pos.locate(['a', 'env', 'C'])).toEqual({ line: 7, column: 18 });
    expect(pos.locate(['b', 'c', 'd', 'e'])).toEqual({ line: 9, column: 1 });
  });
});

describe('workspace make.toml', () => {
  it('layers a workspace make.toml over the root one', async () => {
    const { loadWorkspaceMake } = await import('../../src/lifecycle/index.js');
    const { make, dir } = load('[env]\nA = "root"\n[lifecycle.build]\ncommand = "echo root"\n[lifecycle.test]\ncommand = "echo t"\n[workspace.w]\npath = "w"\n');
    mkdirSync(join(dir, 'w'));
    writeFileSync(join(dir, 'w', 'make.toml'), '[env]\nB = "ws"\n[lifecycle.build]\ncommand = "echo ws"\n');
    const ws = loadWorkspaceMake(make, make.workspaces.w!).make;
    expect(ws.phases.build!.commands).toEqual(['echo ws']);
    expect(ws.phases.test!.commands).toEqual(['echo t']);
    expect(ws.env).toEqual({ A: 'root', B: 'ws' });
    expect(ws.root).toBe(join(dir, 'w'));
  });
});
