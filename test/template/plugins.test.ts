// The engine's plugins option: Tera's calling convention, precedence, and the errors a plugin can cause.
import { describe, expect, it } from 'vitest';
import { createTemplateEngine, type TemplatePlugin } from '../../src/template/index.js';
import { GgenError } from '../../src/errors.js';

const plugin: TemplatePlugin = {
  name: 'p.mjs',
  filters: { wrap: (v, kw) => `${String(kw.left ?? '[')}${String(v)}${String(kw.right ?? ']')}`, upper: (v) => `UP:${String(v)}`, later: () => new Promise(() => undefined) },
  functions: { add: ({ a, b }) => (a as number) + (b as number), args: (kw) => Object.keys(kw).sort().join(',') },
  tests: { even_len: (v) => String(v).length % 2 === 0, with_args: (v, args) => args.includes(v), bad_result: () => 'yes' as unknown as boolean },
};

const render = (src: string, ctx: Record<string, unknown> = {}) => createTemplateEngine({ plugins: [plugin] }).renderString(src, ctx, 't.tera');
const failure = (src: string, ctx: Record<string, unknown> = {}) => {
  try {
    render(src, ctx);
  } catch (e) {
    const g = e as GgenError;
    return { message: g.message, line: g.at?.line, hint: g.hint };
  }
  throw new Error('expected a failure');
};

describe('engine plugins', () => {
  it('filters take (value, kwargs), functions (kwargs), tests (value, positional args)', () => {
    expect(render('{{ "x" | wrap }} {{ "x" | wrap(left="<", right=">") }}')).toBe('[x] <x>');
    expect(render('{{ add(a=2, b=3) }} {{ args(z=1, a=2) }}')).toBe('5 a,z');
    expect(render('{% if w is even_len %}even{% endif %}{% if w is not even_len %}odd{% endif %} {% if w is with_args("ab", "cd") %}in{% endif %}', { w: 'ab' })).toBe('even in');
  });

  it('a plugin filter overrides a built-in of the same name, as Tera register_filter does', () => {
    expect(render('{{ "a" | upper }}')).toBe('UP:a');
  });

  it('a Promise result or a non-boolean test is a render error at the line, naming the plugin', () => {
    expect(failure('\n{{ "a" | later }}')).toEqual({ message: 'filter "later" failed: returned a Promise; plugin filters must be synchronous', line: 2, hint: 'filter "later" of plugin p.mjs: compute the value without await (rendering is synchronous and deterministic)' });
    expect(failure('{% if w is bad_result %}{% endif %}', { w: 1 })).toEqual({ message: 'test "bad_result" failed: returned string, not true or false', line: 1, hint: 'test "bad_result" of plugin p.mjs must return a boolean' });
  });

  it('unknownCalls lists names no built-in or plugin provides, with did-you-mean', () => {
    const engine = createTemplateEngine({ plugins: [plugin] });
    expect(engine.unknownCalls('{{ x | wrapp }}\n{{ ad(a=1) }}{% if x is even_lenn %}{% endif %}{{ x | wrap }}{{ y | default(value=1) | safe }}', 't', { known: ['sparql'] })).toEqual([
      { kind: 'filter', name: 'wrapp', line: 1, column: 8, hint: 'did you mean "wrap"?' },
      { kind: 'function', name: 'ad', line: 2, column: 4, hint: 'did you mean "add"?' },
      { kind: 'test', name: 'even_lenn', line: 2, column: 20, hint: 'did you mean "even_len"?' },
    ]);
  });
});
