// `ggen template render` as a user runs it: the built CLI in a temp directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, runGgen } from '../helpers/cli.js';

const tmp = makeTempDir('ggen-tpl-cli-');
afterAll(() => tmp.cleanup());
const file = (name: string, text: string): string => {
  const p = join(tmp.dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

describe('ggen template render', () => {
  it('renders a plain template with --var, keeping the text byte for byte', async () => {
    file('hello.tera', 'Hello, {{ name | pascal }}!\n');
    expect(await runGgen(['template', 'render', 'hello.tera', '--var', 'name=big_world'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: 'Hello, BigWorld!\n', stderr: '' });
  });

  it('renders only the body of a file with frontmatter (leading blank lines trimmed, final newline kept)', async () => {
    file('fm.tmpl', '---\nto: out/{{ name }}.rs\n---\n\nfn {{ name | snake }}() {}\n');
    expect(await runGgen(['template', 'render', 'fm.tmpl', '--var', 'name=DoThing'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: 'fn do_thing() {}\n', stderr: '' });
  });

  it('uses the frontmatter vars as defaults that --var overrides', async () => {
    file('hello.tmpl', '---\nto: hello.txt\nvars:\n  name: World\n  greeting: "Hi {{ who | default(value=\'you\') }}"\n---\n{{ greeting }}, {{ name }}!\n');
    expect((await runGgen(['template', 'render', 'hello.tmpl'], { cwd: tmp.dir })).stdout).toBe('Hi you, World!\n');
    expect((await runGgen(['template', 'render', 'hello.tmpl', '--var', 'name=Ann', '--var', 'who=me'], { cwd: tmp.dir })).stdout).toBe('Hi me, Ann!\n');
  });

  it('reports invalid frontmatter YAML with its line', async () => {
    file('badfm.tmpl', '---\nto: x\nvars: [unclosed\n---\nbody\n');
    const r = await runGgen(['template', 'render', 'badfm.tmpl'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/badfm\.tmpl:\d+:\d+: invalid YAML in frontmatter/);
  });

  it('merges --context with --var (later --var wins, --var beats the context)', async () => {
    file('ctx.json', JSON.stringify({ name: 'ctx', items: [1, 2], n: 3 }));
    file('ctx.tera', '{{ name }} {{ items }} {{ n + 1 }}');
    const r = await runGgen(['template', 'render', 'ctx.tera', '--context', 'ctx.json', '--var', 'name=a', '--var', 'name=b'], { cwd: tmp.dir });
    expect(r).toEqual({ code: 0, stdout: 'b [1, 2] 4', stderr: '' });
  });

  it('resolves include/import from the file\'s directory, or --templates-dir', async () => {
    file('parts/m.tera', '{% macro box(v) %}[{{ v }}]{% endmacro box %}');
    file('parts/use.tera', '{% import "m.tera" as m %}{{ m::box(v=1) }}');
    file('use2.tera', '{% import "m.tera" as m %}{{ m::box(v=2) }}');
    expect((await runGgen(['template', 'render', 'parts/use.tera'], { cwd: tmp.dir })).stdout).toBe('[1]');
    expect((await runGgen(['template', 'render', 'use2.tera', '--templates-dir', 'parts'], { cwd: tmp.dir })).stdout).toBe('[2]');
  });

  it('is reproducible with --seed', async () => {
    file('rand.tera', '{{ get_random(end=1000000) }} {{ now() }}');
    const a = await runGgen(['template', 'render', 'rand.tera', '--seed', '9'], { cwd: tmp.dir });
    const b = await runGgen(['template', 'render', 'rand.tera', '--seed', '9'], { cwd: tmp.dir });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exits 1 with file:line:col, the source line and a hint on a syntax error', async () => {
    file('bad.tera', 'ok\n{{ name | }}\n');
    const r = await runGgen(['template', 'render', 'bad.tera'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad.tera:2:');
    expect(r.stderr).toContain('2 | {{ name | }}');
  });

  it('exits 1 naming an undefined variable and the closest names', async () => {
    file('undef.tera', '{{ nmae }}');
    const r = await runGgen(['template', 'render', 'undef.tera', '--var', 'name=x'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('undef.tera:1:1: variable "nmae" is not defined');
    expect(r.stderr).toContain('did you mean "name"?');
  });

  it('rejects a --var without "="', async () => {
    file('v.tera', 'x');
    const r = await runGgen(['template', 'render', 'v.tera', '--var', 'oops'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--var expects KEY=VALUE');
  });

  it('prints JSON with --json', async () => {
    file('j.tera', 'hi {{ n }}');
    const r = await runGgen(['--json', 'template', 'render', 'j.tera', '--var', 'n=1'], { cwd: tmp.dir });
    expect(JSON.parse(r.stdout)).toEqual({ file: 'j.tera', output: 'hi 1' });
  });
});
