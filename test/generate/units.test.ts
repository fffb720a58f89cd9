// Unit tests for the pure parts of generation: frontmatter, splitting, injection, regions, freeze blocks, rows, paths, variables.
import { describe, expect, it } from 'vitest';
import { hashOutsideFrozen, keepFrozen } from '../../src/generate/freeze.js';
import { parseFrontmatter, splitFrontmatter as splitTemplate } from '../../src/template/index.js';
import { injectContent } from '../../src/generate/inject.js';
import { normaliseTarget } from '../../src/generate/paths.js';
import { localName, toCleanRows, toGgen1Rows, type ResultTerm } from '../../src/generate/rows.js';
import { scanVariables } from '../../src/generate/variables.js';

const at = { file: 't.tmpl' };
const where = { path: 'f.ts', at };

describe('splitTemplate', () => {
  it('keeps the final newline and the body line number', () => {
    expect(splitTemplate('---\nto: a\n---\n\nbody\n')).toMatchObject({ frontmatter: 'to: a', frontmatterStartLine: 2, body: 'body\n', bodyStartLine: 5 });
  });
  it('drops the final newline in ggen1 mode, like gray_matter', () => {
    expect(splitTemplate('---\nto: a\n---\nbody\n', { compat: 'ggen1' }).body).toBe('body');
  });
  it('treats a file without markers as all body', () => {
    expect(splitTemplate('hello {{ x }}\n')).toMatchObject({ frontmatter: undefined, body: 'hello {{ x }}\n', bodyStartLine: 1 });
  });
});

describe('parseFrontmatter', () => {
  it('normalises keys and keeps types', () => {
    const { value, warnings } = parseFrontmatter('to: "x.ts"\nforce: true\nrdf: a.ttl\nsparql: "SELECT * {}"\nvars:\n  n: 3\n  s: "It\'s"\nsh: echo hi\ndeterminism:\n  seed: 7', 't.tmpl');
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({ to: 'x.ts', force: true, rdf: ['a.ttl'], sparql: { default: 'SELECT * {}' }, vars: { n: 3, s: "It's" }, sh_before: 'echo hi', seed: '7' });
  });
  it('names a list of queries query_0 …', () => {
    expect(parseFrontmatter('sparql: ["ASK {}", "ASK {}"]', 't').value.sparql).toEqual({ query_0: 'ASK {}', query_1: 'ASK {}' });
  });
  it('warns about unknown keys with did-you-mean', () => {
    const { warnings } = parseFrontmatter('to: x\nforeech: q', 't.tmpl');
    expect(warnings).toEqual([{ message: 'unknown frontmatter key "foreech" (ignored)', at: { file: 't.tmpl', line: 3, column: 1 }, hint: 'did you mean "foreach"?' }]);
  });
  it('rejects a value of the wrong type at its position', () => {
    expect(() => parseFrontmatter('to: x\nforce: "yes"', 't.tmpl')).toThrow(expect.objectContaining({ code: 'E_FRONTMATTER', message: 'frontmatter "force" must be true or false, got the string "yes"', at: { file: 't.tmpl', line: 3, column: 8 } }));
  });
  it('reports malformed YAML with its line', () => {
    expect(() => parseFrontmatter('to: x\nvars: [a, b\n', 't.tmpl')).toThrow(expect.objectContaining({ code: 'E_FRONTMATTER', at: expect.objectContaining({ file: 't.tmpl', line: expect.any(Number) }) }));
  });
  it('rejects an unknown compat mode', () => {
    expect(() => parseFrontmatter('compat: ggen2', 't')).toThrow('frontmatter "compat" must be "ggen1"');
  });
});

describe('injectContent', () => {
  it('appends once: a second run changes nothing', () => {
    const first = injectContent('a\nb\n', 'c\n', { append: true }, where);
    expect(first).toEqual({ changed: true, text: 'a\nb\nc\n', reason: 'inject at the end' });
    expect(injectContent('a\nb\nc\n', 'c\n', { append: true }, where)).toEqual({ changed: false, reason: 'already injected' });
  });
  it('inserts before and after an anchor line', () => {
    expect(injectContent('x\n// mods\ny\n', 'm\n', { after: '// mods' }, where)).toMatchObject({ text: 'x\n// mods\nm\ny\n' });
    expect(injectContent('x\n// mods\ny\n', 'm\n', { before: '// mods' }, where)).toMatchObject({ text: 'x\nm\n// mods\ny\n' });
  });
  it('errors when the anchor is missing, naming it', () => {
    expect(() => injectContent('x\n', 'm\n', { before: 'NOPE' }, where)).toThrow('injection anchor "NOPE" (before:) not found in f.ts');
  });
  it('keeps CRLF files CRLF and prepends', () => {
    expect(injectContent('a\r\nb\r\n', 'z\n', { prepend: true }, where)).toMatchObject({ text: 'z\r\na\r\nb\r\n' });
  });
  it('inserts at a line and refuses lines past the end', () => {
    expect(injectContent('a\nb\n', 'z', { at_line: 2 }, where)).toMatchObject({ text: 'a\nz\nb\n' });
    expect(() => injectContent('a\nb\n', 'z', { at_line: 9 }, where)).toThrow('at_line 9 is past the end of f.ts (2 lines)');
  });
  it('skips when skip_if matches', () => {
    expect(injectContent('use x;\nuse y; // hand\n', 'use y;\n', { skip_if: 'use y' }, where)).toEqual({ changed: false, reason: 'skip_if /use y/ matched' });
    expect(injectContent('use x;\n', 'use y;\n', { skip_if: 'use y' }, where)).toMatchObject({ changed: true });
  });
  it('owned regions are inserted once, then replaced in place', () => {
    const first = injectContent('// hand\n', 'a\n', { region: 'mods' }, where);
    expect(first).toMatchObject({ text: '// hand\n// ggen:begin:mods\na\n// ggen:end:mods\n' });
    const edited = (first as { text: string }).text + '// more hand\n';
    expect(injectContent(edited, 'a\nb\n', { region: 'mods' }, where)).toMatchObject({ text: '// hand\n// ggen:begin:mods\na\nb\n// ggen:end:mods\n// more hand\n' });
    expect(injectContent('# x\n', 'a\n', { region: 'r' }, { path: 'x.py', at })).toMatchObject({ text: '# x\n# ggen:begin:r\na\n# ggen:end:r\n' });
    expect(injectContent('<!-- ggen:begin:r -->\nold\n<!-- ggen:end:r -->\n', 'new\n', { region: 'r' }, { path: 'x.md', at })).toMatchObject({ text: '<!-- ggen:begin:r -->\nnew\n<!-- ggen:end:r -->\n' });
  });
});

describe('freeze blocks', () => {
  const generated = 'a\n// ggen:freeze:start:body\ndefault\n// ggen:freeze:end:body\nz\n';
  it('keep the hand-edited interior', () => {
    const existing = 'old a\n// ggen:freeze:start:body\nmine\nmine 2\n// ggen:freeze:end:body\nold z\n';
    expect(keepFrozen(generated, existing, 'f')).toBe('a\n// ggen:freeze:start:body\nmine\nmine 2\n// ggen:freeze:end:body\nz\n');
  });
  it('hash the same whatever is inside them', () => {
    expect(hashOutsideFrozen(generated)).toBe(hashOutsideFrozen(generated.replace('default', 'edited by hand')));
    expect(hashOutsideFrozen(generated)).not.toBe(hashOutsideFrozen(generated.replace('z', 'y')));
  });
});

describe('rows', () => {
  const rows: Array<Record<string, ResultTerm>> = [{ name: { type: 'literal' as const, value: 'Al"ice', 'xml:lang': 'en' }, age: { type: 'literal' as const, value: '30', datatype: 'http://www.w3.org/2001/XMLSchema#integer' }, p: { type: 'uri' as const, value: 'http://ex.org/p#alice' } }, { p: { type: 'bnode' as const, value: 'x9f' } }];
  it('clean rows hold plain strings with term details beside them', () => {
    const [a, b] = toCleanRows(rows, ['p', 'name', 'age']);
    expect(a).toEqual({ p: 'http://ex.org/p#alice', name: 'Al"ice', age: '30' });
    expect(a!._terms).toEqual({ p: { type: 'iri', value: 'http://ex.org/p#alice' }, name: { type: 'literal', value: 'Al"ice', lang: 'en', datatype: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' }, age: { type: 'literal', value: '30', datatype: 'http://www.w3.org/2001/XMLSchema#integer' } });
    expect(b).toEqual({ p: 'b0' });
  });
  it('1.x rows use ?keys and N-Triples', () => {
    expect(toGgen1Rows(rows, ['p', 'name', 'age'])[0]).toEqual({ '?age': '"30"^^<http://www.w3.org/2001/XMLSchema#integer>', '?name': '"Al\\"ice"@en', '?p': '<http://ex.org/p#alice>' });
  });
  it('local names', () => {
    expect(localName('<http://ex.org/a/b#Thing>')).toBe('Thing');
    expect(localName('http://ex.org/a/Thing')).toBe('Thing');
  });
});

describe('normaliseTarget', () => {
  it.each([
    ['', '"to:" rendered to an empty path'],
    ['   ', '"to:" rendered to an empty path'],
    ['/etc/passwd', '"to:" is an absolute path (/etc/passwd); outputs must stay inside the output root'],
    ['../x', '"to:" escapes the output root: ../x'],
    ['a/../../x', '"to:" escapes the output root: a/../../x'],
    ['dir/', '"to:" names a directory, not a file: dir/'],
  ])('rejects %j', (to, message) => {
    expect(() => normaliseTarget(to, at)).toThrow(expect.objectContaining({ code: 'E_GENERATE', message }));
  });
  it('normalises inner dots', () => {
    expect(normaliseTarget('a/./b/../c.ts', at)).toBe('a/c.ts');
  });
});

describe('scanVariables', () => {
  it('finds reads and ignores attributes, filters, named args, loop and set bindings', () => {
    const scan = scanVariables('{{ name | upper }} {{ row.label }}\n{% for f in fields %}{{ f.x }}{% endfor %}{% set y = other %}{{ y }}{{ maybe | default(value="") }}{{ fn(arg=z) }}');
    expect(scan.used.map((u) => [u.name, u.line])).toEqual([['name', 1], ['row', 1], ['fields', 2], ['f', 2], ['other', 2], ['y', 2], ['z', 2]]);
    expect([...scan.bound].sort()).toEqual(['f', 'y']);
  });
});
