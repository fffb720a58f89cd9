// Plugins from the built CLI: filters, functions and tests from ggen.plugins.mjs, consent, errors at file:line, receipt hashes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { readTree, tree } from './fixtures.js';

const PLUGINS = `// project plugins
export const filters = {
  shout: (value, kwargs) => String(value).toUpperCase() + (kwargs.mark ?? '!'),
  boom: () => { throw new Error('no boom today'); },
};
export const functions = {
  greeting: ({ who, times }) => Array.from({ length: times ?? 1 }, () => 'hello ' + who).join(', '),
};
export const tests = {
  shorter_than: (value, args) => String(value).length < args[0],
};
`;

const TOML = `templates = "templates"
output = "out"

[plugins]
modules = ["./ggen.plugins.mjs"]
`;

const SVC = `---
to: "{{ name | shout(mark='') | lower }}.txt"
vars:
  name: api
---
{{ name | shout(mark="?") }}
{{ greeting(who=name, times=2) }}
{% if name is shorter_than(4) %}short{% else %}long{% endif %}
{% set other = "billing" %}{% if other is shorter_than(4) %}short{% else %}long{% endif %}
`;

const project = (extra: Record<string, string> = {}) => {
  const dir = tree({ 'ggen.toml': TOML, 'ggen.plugins.mjs': PLUGINS, 'templates/svc.tmpl': SVC, ...extra });
  // The user's config lives in the test's own directory: nothing on the machine trusts this project.
  const env = { XDG_CONFIG_HOME: join(dir, '.user-config'), CI: '1' };
  return { dir, env };
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('plugins', () => {
  it('a filter, a function and a test from the plugin module render with --allow-plugins; the receipt records the module hash', async () => {
    const { dir, env } = project();
    const r = await runGgen(['project', 'gen', '.', '--allow-plugins'], { cwd: dir, env });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'create    out/api.txt\n', '1 created · receipt out/.ggen/receipt.json\n']);
    expect(readTree(join(dir, 'out'))).toEqual({ 'api.txt': 'API?\nhello api, hello api\nshort\nlong\n' });
    const receipt = JSON.parse(readFileSync(join(dir, 'out/.ggen/receipt.json'), 'utf8'));
    expect(receipt.plugins).toEqual([{ module: 'ggen.plugins.mjs', sha256: sha256(PLUGINS) }]);

    // `gen` takes the plugins of ggen.toml in the working directory.
    const gen = await runGgen(['gen', 'templates/svc.tmpl', '--out', 'gen-out', '--allow-plugins'], { cwd: dir, env });
    expect([gen.code, readFileSync(join(dir, 'gen-out/api.txt'), 'utf8')]).toEqual([0, 'API?\nhello api, hello api\nshort\nlong\n']);

    // verify: unchanged plugin is fine; an edited plugin is drift, even when the outputs would not change.
    expect((await runGgen(['project', 'verify', '.', '--allow-plugins'], { cwd: dir, env })).stdout).toBe('ok: outputs, templates and graph match the receipt\n');
    writeFileSync(join(dir, 'ggen.plugins.mjs'), `${PLUGINS}// edited\n`);
    const v = await runGgen(['project', 'verify', '.', '--allow-plugins'], { cwd: dir, env });
    expect([v.code, v.stdout]).toEqual([1, `plugin-changed    ggen.plugins.mjs  plugin module hash ${sha256(PLUGINS).slice(0, 12)} → ${sha256(`${PLUGINS}// edited\n`).slice(0, 12)}\n`]);
  });

  it('without consent nothing is rendered: the error names the module and how to allow it (gen, plan, diff, verify, render, lint)', async () => {
    const { dir, env } = project();
    const configFile = join(dir, '.user-config', 'ggen', 'config.toml');
    const refusal = `error: ${join(dir, 'ggen.plugins.mjs')}: plugin module ggen.plugins.mjs runs project code; plugins load only with consent\n`
      + `  hint: rerun with --allow-plugins, or trust this project: add projects.${JSON.stringify(dir)}.trust = true to ${configFile}\n`;
    for (const args of [['project', 'gen', '.'], ['project', 'plan', '.'], ['project', 'diff', '.'], ['template', 'render', 'templates/svc.tmpl'], ['template', 'lint', 'templates/svc.tmpl']]) {
      const r = await runGgen(args, { cwd: dir, env });
      expect([args.join(' '), r.code, r.stdout, r.stderr]).toEqual([args.join(' '), 1, '', refusal]);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // `gen` reads the [plugins] of ggen.toml in the working directory.
    const gen = await runGgen(['gen', 'templates/svc.tmpl', '--out', 'out'], { cwd: dir, env });
    expect([gen.code, gen.stderr]).toEqual([1, refusal]);
    expect(existsSync(join(dir, 'out'))).toBe(false);

    // Trust recorded for the project in the user's config replaces the flag; trust for another directory does not.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.user-config', 'ggen'), { recursive: true });
    writeFileSync(configFile, `[projects.${JSON.stringify(join(dir, 'templates'))}]\ntrust = true\n`);
    expect((await runGgen(['project', 'gen', '.'], { cwd: dir, env })).code).toBe(1);
    writeFileSync(configFile, `# mine\n[projects.${JSON.stringify(dir)}]\ntrust = true\n`);
    const trusted = await runGgen(['project', 'gen', '.'], { cwd: dir, env });
    expect([trusted.code, trusted.stdout, trusted.stderr]).toEqual([0, 'create    out/api.txt\n', '1 created · receipt out/.ggen/receipt.json\n']);
    expect((await runGgen(['project', 'verify', '.'], { cwd: dir, env })).code).toBe(0);
    const render = await runGgen(['template', 'render', 'templates/svc.tmpl'], { cwd: dir, env });
    expect([render.code, render.stdout]).toEqual([0, 'API?\nhello api, hello api\nshort\nlong\n']);
    // trust = false withdraws it: verify of the generated tree is refused too.
    writeFileSync(configFile, `[projects.${JSON.stringify(dir)}]\ntrust = false\n`);
    const verify = await runGgen(['project', 'verify', '.'], { cwd: dir, env });
    expect([verify.code, verify.stdout, verify.stderr]).toEqual([1, '', refusal]);
  });

  it('a plugin that throws is a template error at the template file:line, naming the plugin; nothing is written', async () => {
    const { dir, env } = project({ 'templates/svc.tmpl': '---\nto: out.txt\n---\nfirst line\n{{ "x" | boom }}\n' });
    const r = await runGgen(['project', 'gen', '.', '--allow-plugins'], { cwd: dir, env });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'error: templates/svc.tmpl:5:1: filter "boom" failed: no boom today\n5 | {{ "x" | boom }}\n  hint: raised by filter "boom" of plugin ggen.plugins.mjs\n']);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const render = await runGgen(['template', 'render', 'templates/svc.tmpl', '--allow-plugins'], { cwd: dir, env });
    expect([render.code, render.stderr.split('\n')[0]]).toEqual([1, `error: ${join('templates', 'svc.tmpl')}:5:1: filter "boom" failed: no boom today`]);
  });

  it('template lint knows plugin names and suggests them for typos; a broken module is a clear error', async () => {
    const { dir, env } = project({ 'templates/svc.tmpl': '---\nto: out.txt\n---\n{{ "a" | shout }} {{ "b" | shuot }}\n{{ greting(who="x") }}\n' });
    const lint = await runGgen(['template', 'lint', 'templates/svc.tmpl', '--allow-plugins'], { cwd: dir, env });
    expect([lint.code, lint.stdout]).toEqual([1, 'templates/svc.tmpl:4:28: error: unknown filter "shuot"\n  hint: did you mean "shout"?\ntemplates/svc.tmpl:5:4: error: unknown function "greting"\n  hint: did you mean "greeting"?\n']);

    writeFileSync(join(dir, 'ggen.plugins.mjs'), 'export const filters = { shout: "not a function" };\n');
    const bad = await runGgen(['project', 'gen', '.', '--allow-plugins'], { cwd: dir, env });
    expect([bad.code, bad.stderr]).toEqual([1, `error: ${join(dir, 'ggen.plugins.mjs')}: plugin ggen.plugins.mjs: filters.shout is string, not a function\n`]);
    writeFileSync(join(dir, 'ggen.plugins.mjs'), 'export const filters = { shout( };\n');
    const syntax = await runGgen(['project', 'gen', '.', '--allow-plugins'], { cwd: dir, env });
    expect([syntax.code, syntax.stderr.split('\n')[0]]).toEqual([1, `error: ${join(dir, 'ggen.plugins.mjs')}: plugin ggen.plugins.mjs failed to load: Unexpected token '}'`]);
  });
});
