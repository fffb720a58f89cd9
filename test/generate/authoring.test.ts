// `ggen template new|list|show|lint`: starters that work, listings, parsed views, and lint findings with file:line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

const BAD = `---
to: "{{ nme }}.txt"
vars:
  name: x
  unused: 1
sparql:
  q: "SELECT ?x WHERE { ?x a foo:Bar }"
---
{{ name }} {{ row.x }}
{% for r in items %}{{ r }}{% endfor %}
`;

describe('template authoring', () => {
  it('new writes starters that lint clean and generate; list shows them', async () => {
    const dir = tree({});
    expect((await runGgen(['template', 'new', 'hello'], { cwd: dir })).stdout).toBe('created templates/hello.tmpl\n');
    expect((await runGgen(['template', 'new', 'entity', '--type', 'rust'], { cwd: dir })).stdout).toBe('created templates/entity.tmpl\n');
    const again = await runGgen(['template', 'new', 'hello'], { cwd: dir });
    expect([again.code, again.stderr.split('\n')[0]]).toEqual([1, `error: ${join(dir, 'templates/hello.tmpl')}: template already exists`]);
    const lint = await runGgen(['template', 'lint', 'templates/hello.tmpl', 'templates/entity.tmpl'], { cwd: dir });
    expect([lint.code, lint.stdout, lint.stderr]).toEqual([0, '', '2 templates: 0 errors, 0 warnings\n']);
    expect((await runGgen(['gen', 'templates/hello.tmpl', '--var', 'name=World'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'World.txt'), 'utf8')).toBe('Hello from World!\n');
    const list = await runGgen(['template', 'list'], { cwd: dir });
    expect(list.stdout).toBe("entity.tmpl  → src/{{ row.label | ident(lang='rust', case='snake') }}.rs  One rust file per entity of the graph\nhello.tmpl   → {{ name }}.txt  A starter template\n");
  });

  it('show prints the parsed frontmatter, queries and variables', async () => {
    const dir = tree({ 't.tmpl': BAD });
    const r = await runGgen(['template', 'show', 't.tmpl'], { cwd: dir });
    expect(r.stdout).toBe('template: t.tmpl\noutput: {{ nme }}.txt\nvariables (defaults; --var overrides):\n  name = "x"\n  unused = 1\nundeclared inputs: items, nme\nqueries:\n  q:\n    SELECT ?x WHERE { ?x a foo:Bar }\n');
    const json = JSON.parse((await runGgen(['template', 'show', 't.tmpl', '--json'], { cwd: dir })).stdout);
    expect(json).toMatchObject({ path: 't.tmpl', to: '{{ nme }}.txt', queries: { q: 'SELECT ?x WHERE { ?x a foo:Bar }' }, vars: { name: 'x', unused: 1 }, inputs: ['items', 'nme'] });
  });

  it('lint reports schema, syntax, SPARQL, prefix and variable problems with file:line, exit 1', async () => {
    const dir = tree({ 'bad.tmpl': BAD, 'syntax.tmpl': '---\nto: a\nforce: "no"\n---\nx\n', 'body.tmpl': '---\nto: a\n---\nok\n{% if %}\n' });
    const r = await runGgen(['template', 'lint', 'bad.tmpl', 'syntax.tmpl', 'body.tmpl'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => !l.startsWith('  hint:'));
    expect(lines).toEqual([
      'bad.tmpl:2:4: warning: variable "nme" is used but not declared',
      'bad.tmpl:5:11: warning: variable "unused" is declared but never used',
      'bad.tmpl:7:6: error: query "q": unknown prefix "foo:"',
      'bad.tmpl:9:15: error: "row" is only defined in foreach templates',
      'bad.tmpl:10:13: warning: variable "items" is used but not declared',
      'syntax.tmpl:3:8: error: frontmatter "force" must be true or false, got the string "no"',
      expect.stringMatching(/^body\.tmpl:5:\d+: error: template syntax error: /),
      '',
    ]);
    expect(r.stderr).toBe('3 templates: 4 errors, 3 warnings\n');
  });
});
