// Floats stay floats in YAML vars and context JSON (as serde keeps them for Tera 1.20.1), and skip_if takes
// Rust regex syntax. Expected outputs come from the Tera 1.20.1 oracle (`{"a":1.0,"b":2,"c":2.5,"d":-1.0}`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { tree } from '../generate/fixtures.js';

const BODY = '{{ a }} {{ b }} {{ c }} {{ d | json_encode }} {{ a + 1 }}\n';
const ORACLE = '1 2 2.5 -1.0 2\n';

describe('floats', () => {
  it('YAML vars keep 1.0 a float, in gen and template render', async () => {
    const dir = tree({ 't.tmpl': `---\nto: out.txt\nvars:\n  a: 1.0\n  b: 2\n  c: 2.5\n  d: -1.0\n---\n${BODY}` });
    expect((await runGgen(['template', 'render', 't.tmpl'], { cwd: dir })).stdout).toBe(ORACLE);
    expect((await runGgen(['gen', 't.tmpl'], { cwd: dir })).code).toBe(0);
    expect((await import('node:fs')).readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(ORACLE);
  });
  it('template render -c reads context JSON like serde_json', async () => {
    const dir = tree({ 'b.tera': BODY, 'ctx.json': '{"a":1.0,"b":2,"c":2.5,"d":-1.0}' });
    expect((await runGgen(['template', 'render', 'b.tera', '-c', 'ctx.json'], { cwd: dir })).stdout).toBe(ORACLE);
    writeFileSync(join(dir, 'bad.json'), '[1]');
    const bad = await runGgen(['template', 'render', 'b.tera', '-c', 'bad.json'], { cwd: dir });
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([1, 'error: bad.json: the context must be a JSON object']);
  });
});

describe('skip_if takes Rust regex syntax', () => {
  it('(?m) and \\A work as in 1.x templates', async () => {
    const dir = tree({
      'm.tmpl': '---\nto: lib.rs\ninject: true\nappend: true\nskip_if: "(?m)^pub mod a;$"\n---\npub mod a;\n',
      'a.tmpl': '---\nto: top.rs\ninject: true\nprepend: true\nskip_if: "\\\\A// header"\n---\n// header\n',
      'lib.rs': 'fn x() {}\npub mod a;\nfn y() {}\n', 'top.rs': '// header\nfn z() {}\n',
    });
    const r = await runGgen(['gen', 'm.tmpl', 'a.tmpl', '-v'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skip_if /(?m)^pub mod a;$/ matched');
    expect(r.stdout).toContain('skip_if /\\A// header/ matched');
  });
});
