// The engine API: compile once/render many, errors with positions and hints, determinism, extension points.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { createTemplateEngine, ggenFilterNames, renderTemplateString } from '../../src/template/index.js';
import { makeTempDir } from '../helpers/cli.js';

function errorOf(fn: () => unknown): GgenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GgenError) return e;
    throw e;
  }
  throw new Error('expected a GgenError');
}

describe('errors', () => {
  it('points a syntax error at file:line:col and shows the line with a caret', () => {
    const err = errorOf(() => createTemplateEngine().compile('line one\n  {{ a b }}\n', 'tpl/x.tera'));
    expect(err.code).toBe('E_TEMPLATE_SYNTAX');
    expect(err.at).toEqual({ file: 'tpl/x.tera', line: 2, column: 8 });
    expect(err.detail).toBe('2 |   {{ a b }}\n  |        ^');
  });

  it('shifts lines by lineOffset (a body after frontmatter)', () => {
    const err = errorOf(() => createTemplateEngine().compile('ok\n{% if %}', 'f.tmpl', { lineOffset: 5 }));
    expect(err.at?.line).toBe(6);
    expect(err.detail?.split('\n')[0]).toBe('6 | {% if %}');
    const render = errorOf(() => createTemplateEngine().compile('ok\n\n{{ missing }}', 'f.tmpl', { lineOffset: 5 }).render({}));
    expect(render.at).toEqual({ file: 'f.tmpl', line: 7 });
  });

  it('names an undefined variable and the closest defined names', () => {
    const err = errorOf(() => renderTemplateString('Hi {{ nmae }}', { name: 'x', age: 1 }));
    expect(err.code).toBe('E_TEMPLATE_RENDER');
    expect(err.message).toBe('variable "nmae" is not defined');
    expect(err.hint).toBe('did you mean "name"? (or pass --var nmae=…; defined: age, name)');
  });

  it('says which key is missing from a value that exists', () => {
    const err = errorOf(() => renderTemplateString('{{ user.nmae }}', { user: { name: 'x', age: 3 } }));
    expect(err.message).toBe('variable "user.nmae" is not defined: "user" has no "nmae"');
    expect(err.hint).toBe('did you mean "user.name"? "user" has the keys: age, name');
  });

  it('names an unclosed block tag and where it was opened', () => {
    const err = errorOf(() => createTemplateEngine().compile('a\n{% for x in xs %}\n{{ x }}\n', 'loop.tera'));
    expect(err.message).toBe('template syntax error: unexpected end of template: {% for %} opened at line 2 is not closed (expected {% endfor %})');
  });

  it('lists loop variables among the defined names', () => {
    const err = errorOf(() => renderTemplateString('{% for item in xs %}{{ iten }}{% endfor %}', { xs: [1] }));
    expect(err.hint).toContain('did you mean "item"?');
  });

  it('names the closest filter for an unknown filter', () => {
    const err = errorOf(() => renderTemplateString('{{ x | pascl }}', { x: 'a' }));
    expect(err.message).toBe('filter "pascl" not found');
    expect(err.hint).toBe('did you mean "pascal"?');
  });

  it('gives throw()\'s message as is', () => {
    const err = errorOf(() => renderTemplateString('a\n{{ throw(message="stop here") }}', {}));
    expect(err.message).toBe('stop here');
    expect(err.at?.line).toBe(2);
  });

  it('refuses positional filter arguments at compile time, like Tera', () => {
    expect(errorOf(() => createTemplateEngine().compile('{% if false %}{{ x | default("d") }}{% endif %}', 't')).code).toBe('E_TEMPLATE_SYNTAX');
  });
});

describe('parsing cost', () => {
  it('stays linear for deeply nested calls (packrat memo, no exponential backtracking)', () => {
    let expr = '1';
    for (let i = 0; i < 30; i++) expr = `f${i}(x=${expr})`;
    // without the memo this would not finish within the test timeout
    expect(errorOf(() => createTemplateEngine().compile(`{{ ${expr} }}`, 't').render({})).message).toBe('function "f29" not found');
  });
});

describe('compile once, render many', () => {
  it('reuses one compiled template for 10,000 renders with different contexts', () => {
    const tpl = createTemplateEngine().compile('{{ i }}:{{ name | snake }}{% for x in xs %},{{ x }}{% endfor %}', 't');
    let last = '';
    for (let i = 0; i < 10_000; i++) last = tpl.render({ i, name: `UserProfile${i % 3}`, xs: [i % 2] });
    expect(last).toBe('9999:user_profile_0,1');
  });
});

describe('determinism', () => {
  const src = '{{ now() }}|{{ now(timestamp=true) }}|{{ get_random(end=1000) }},{{ get_random(start=5, end=10) }}';

  it('drives now() and get_random() from the seed: same seed, same output, every render', () => {
    const a = createTemplateEngine({ seed: 42 }).compile(src, 't');
    const first = a.render({});
    expect(a.render({})).toBe(first);
    expect(createTemplateEngine({ seed: '42' }).renderString(src, {})).toBe(first);
    expect(first).toMatch(/^2024-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\|\d+\|\d+,\d+$/);
    expect(createTemplateEngine({ seed: 7 }).renderString(src, {})).not.toBe(first);
  });

  it('keeps get_random within [start, end)', () => {
    const out = createTemplateEngine({ seed: 1 }).renderString('{% for i in range(end=200) %}{{ get_random(start=3, end=6) }}{% endfor %}', {});
    expect(new Set(out)).toEqual(new Set(['3', '4', '5']));
  });

  it('uses the real clock without a seed', () => {
    const year = new Date().getFullYear();
    expect(renderTemplateString('{{ now(utc=true) }}', {})).toMatch(new RegExp(`^${year}-`));
    const ts = Number(renderTemplateString('{{ now(timestamp=true) }}', {}));
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
  });

  it('reads only allowed environment variables when an allow-list is set', () => {
    process.env.GGEN_TPL_TEST_ALLOWED = 'yes';
    process.env.GGEN_TPL_TEST_SECRET = 'hidden';
    const engine = createTemplateEngine({ allowedEnv: ['GGEN_TPL_TEST_ALLOWED'] });
    expect(engine.renderString('{{ get_env(name="GGEN_TPL_TEST_ALLOWED") }}', {})).toBe('yes');
    expect(engine.renderString('{{ get_env(name="GGEN_TPL_TEST_SECRET", default="d") }}', {})).toBe('d');
    const err = errorOf(() => engine.renderString('{{ get_env(name="GGEN_TPL_TEST_SECRET") }}', {}));
    expect(err.message).toContain('"GGEN_TPL_TEST_SECRET" is not in the allowed list');
    expect(renderTemplateString('{{ get_env(name="GGEN_TPL_TEST_SECRET") }}', {})).toBe('hidden');
  });
});

describe('extension points', () => {
  it('adds functions and filters with named arguments', () => {
    const engine = createTemplateEngine({
      functions: { local: (args) => String(args.iri).replace(/^.*[#/]/, '') },
      filters: { wrap: (v, args) => `${String(args.left ?? '<')}${String(v)}${String(args.right ?? '>')}` },
    });
    expect(engine.renderString('{{ local(iri="http://x.org/a#Person") | wrap(left="[", right="]") }}', {})).toBe('[Person]');
  });

  it('hands a list argument to a function without copying it', () => {
    const rows = [{ name: 'a' }, { name: 'b' }];
    let seen: unknown;
    const engine = createTemplateEngine({ functions: { first: (args) => ((seen = args.results), (args.results as typeof rows)[0]!.name) } });
    expect(engine.renderString('{{ first(results=rows) }}', { rows })).toBe('a');
    expect(seen).toBe(rows);
  });

  it('exports the ggen filter names', () => {
    expect(ggenFilterNames).toEqual(['camel', 'pascal', 'class', 'snake', 'kebab', 'param', 'title', 'sentence', 'train', 'pluralize', 'singularize', 'deconstantize', 'demodulize', 'ordinalize', 'deordinalize', 'foreign_key', 'shouty_snake', 'constant', 'shouty_kebab', 'titlecase', 'upper', 'lower', 'lcfirst', 'ucfirst']);
  });
});

describe('templates directory', () => {
  const tmp = makeTempDir('ggen-tpl-');
  afterAll(() => tmp.cleanup());
  mkdirSync(join(tmp.dir, 'partials'), { recursive: true });
  writeFileSync(join(tmp.dir, 'partials', 'm.tera'), '{% macro hi(n) %}hi {{ n }}{% endmacro hi %}');
  writeFileSync(join(tmp.dir, 'partials', 'bad.tera'), 'x\n{{ oops }}');
  writeFileSync(join(tmp.dir, 'partials', 'inc.tera'), '<{{ name }}>');

  it('resolves import/include against templatesDir', () => {
    const engine = createTemplateEngine({ templatesDir: join(tmp.dir, 'partials') });
    expect(engine.renderString('{% import "m.tera" as m %}{{ m::hi(n=1) }}|{% include "inc.tera" %}', { name: 'N' })).toBe('hi 1|<N>');
  });

  it('reports errors inside a partial at the partial\'s path and line', () => {
    const err = errorOf(() => createTemplateEngine({ templatesDir: join(tmp.dir, 'partials') }).renderString('{% include "bad.tera" %}', {}, 'main.tera'));
    expect(err.at).toEqual({ file: join(tmp.dir, 'partials', 'bad.tera'), line: 2 });
  });

  it('notices an edited partial at the next compile (watch mode)', () => {
    const engine = createTemplateEngine({ templatesDir: join(tmp.dir, 'partials') });
    writeFileSync(join(tmp.dir, 'partials', 'live.tera'), 'v1');
    expect(engine.renderString('{% include "live.tera" %}', {})).toBe('v1');
    writeFileSync(join(tmp.dir, 'partials', 'live.tera'), 'version 2');
    utimesSync(join(tmp.dir, 'partials', 'live.tera'), new Date(), new Date(Date.now() + 5000));
    expect(engine.renderString('{% include "live.tera" %}', {})).toBe('version 2');
  });

  it('never reads outside templatesDir', () => {
    writeFileSync(join(tmp.dir, 'outside.tera'), 'secret');
    const err = errorOf(() => createTemplateEngine({ templatesDir: join(tmp.dir, 'partials') }).renderString('{% include "../outside.tera" %}', {}, 'main.tera'));
    expect(err.message).toContain('not found');
  });
});

describe('Tera 1.20 filters (not in the 1.17 oracle; semantics ported from Tera 1.20)', () => {
  it('indent: prefix, first and blank', () => {
    const ctx = { s: 'a\n\n  b\r\nc\n' };
    expect(renderTemplateString('{{ s | indent }}', ctx)).toBe('a\n\n      b\n    c');
    expect(renderTemplateString('{{ s | indent(prefix="> ", first=true) }}', ctx)).toBe('> a\n\n>   b\n> c');
    expect(renderTemplateString('{{ s | indent(prefix="-", blank=true) }}', ctx)).toBe('a\n-\n-  b\n-c');
    expect(renderTemplateString('[{{ "" | indent(first=true) }}]', {})).toBe('[]');
  });

  it('abs: integers stay integers, floats stay floats, anything else is refused', () => {
    expect(renderTemplateString('{{ -3 | abs }} {{ n | abs }} {{ -2.5 | abs }} {{ -2.0 | abs | json_encode }}', { n: -7 })).toBe('3 7 2.5 2.0');
    expect(() => renderTemplateString('{{ "x" | abs }}', {})).toThrow(/abs` was used on a value that isn't a number/);
  });
});
