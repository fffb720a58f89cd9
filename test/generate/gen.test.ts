// `ggen gen` end to end: template format, foreach, precedence, prefixes, rows and helpers, compat, dry-run and diff.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { PEOPLE_TTL, readTree, tree } from './fixtures.js';

const PERSON_TMPL = `---
to: "people/{{ row.name | lower }}.txt"
foreach: people
sparql:
  people: "SELECT ?p ?name ?age WHERE { ?p a ex:Person ; rdfs:label ?name . OPTIONAL { ?p ex:age ?age } } ORDER BY ?name"
---
{{ row.name }} ({{ row.p | local }}){% if row.age %} is {{ row.age }}, a {{ row._terms.age.datatype | local }}{% endif %}; {{ sparql_count(results=sparql_results.people) }} people
`;

describe('ggen gen', () => {
  it('renders one file per foreach row with clean rows, term details and helpers', async () => {
    const dir = tree({ 'person.tmpl': PERSON_TMPL, 'people.ttl': PEOPLE_TTL });
    const r = await runGgen(['gen', 'person.tmpl', '--graph', 'people.ttl', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toBe('2 created · receipt out/.ggen/receipt.json\n');
    expect(r.stdout).toBe('create    out/people/alice.txt\ncreate    out/people/bob.txt\n');
    expect(r.code).toBe(0);
    expect(readTree(join(dir, 'out'))).toEqual({
      'people/alice.txt': 'Alice (alice) is 30, a integer; 2 people\n',
      'people/bob.txt': 'Bob (bob); 2 people\n',
    });
  });

  it('lets --var override frontmatter vars defaults, visible in to:, keeping YAML types', async () => {
    const dir = tree({
      't.tmpl': `---\nto: "{{ name }}/{{ file }}.txt"\nvars:\n  name: default\n  file: "it's"\n  n: 3\n  quoted: "{{ name }}-x"\n---\n{{ name }} {{ n + 1 }} {{ quoted }} {{ file }}\n`,
    });
    const r = await runGgen(['gen', 't.tmpl', '--var', 'name=cli'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "cli/it's.txt"), 'utf8')).toBe("cli 4 cli-x it's\n");
  });

  it('applies frontmatter prefixes and Turtle prefixes to queries, with rdf: relative to the template', async () => {
    const dir = tree({
      'tpl/t.tmpl': `---\nto: out.txt\nrdf: ../data/people.ttl\nprefixes:\n  foaf: "http://example.org/"\nsparql:\n  a: "SELECT ?n WHERE { ?p a foaf:Person ; rdfs:label ?n } ORDER BY ?n"\n  b: "SELECT ?n WHERE { ?p a ex:Person ; rdfs:label ?n } ORDER BY DESC(?n)"\n  yes: "ASK { ex:alice ex:age 30 }"\n---\n{{ sparql_values(results=sparql_results.a, column="n") | join(sep=",") }} {{ sparql_first(results=sparql_results.b, column="?n") }} {{ sparql_results.yes }} {{ sparql_empty(results=sparql_results.a) }}\n`,
      'data/people.ttl': PEOPLE_TTL,
    });
    const r = await runGgen(['gen', 'tpl/t.tmpl'], { cwd: dir });
    expect(r.stderr).toBe('1 created · receipt .ggen/receipt.json\n');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('Alice,Bob Bob true false\n');
  });

  it('runs sparql() and local() from the body', async () => {
    const dir = tree({ 't.tmpl': `---\nto: out.txt\n---\n{% for r in sparql(query="SELECT ?p WHERE { ?p a ex:Person } ORDER BY ?p") %}{{ local(iri=r.p) }} {% endfor %}{{ sparql(query="SELECT ?n WHERE { ex:bob rdfs:label ?n }", var="n") }}\n`, 'g.ttl': PEOPLE_TTL });
    const r = await runGgen(['gen', 't.tmpl', '-g', 'g.ttl'], { cwd: dir });
    expect(r.stderr).toBe('1 created · receipt .ggen/receipt.json\n');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('alice bob Bob\n');
  });

  it('supports the 1.x row shape under compat: ggen1 and --compat ggen1', async () => {
    const body = `{% for r in sparql_results.q %}{{ r["?name"] }} {{ r["?p"] }}|{% endfor %}{{ sparql_first(results=sparql_results.q, column="name") }}`;
    const dir = tree({
      'a.tmpl': `---\nto: a.txt\ncompat: ggen1\nsparql:\n  q: "SELECT ?p ?name WHERE { ?p rdfs:label ?name } ORDER BY ?name"\n---\n${body}\n`,
      'b.tmpl': `---\nto: b.txt\nsparql:\n  q: "SELECT ?p ?name WHERE { ?p rdfs:label ?name } ORDER BY ?name"\n---\n${body}\n`,
      'g.ttl': PEOPLE_TTL,
    });
    expect((await runGgen(['gen', 'a.tmpl', '-g', 'g.ttl'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('"Alice" <http://example.org/alice>|"Bob" <http://example.org/bob>|"Alice"');
    expect((await runGgen(['gen', 'b.tmpl', '-g', 'g.ttl', '--compat', 'ggen1'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('"Alice" <http://example.org/alice>|"Bob" <http://example.org/bob>|"Alice"');
  });

  it('warns about unknown frontmatter keys with did-you-mean, and still generates', async () => {
    const dir = tree({ 't.tmpl': '---\nto: out.txt\nforse: true\n---\nx\n' });
    const r = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(r.stderr).toBe('warning: t.tmpl:3:1: unknown frontmatter key "forse" (ignored) (did you mean "force"?)\n1 created · receipt .ggen/receipt.json\n');
    expect(r.code).toBe(0);
  });

  it('--dry-run writes nothing and --diff shows a unified diff', async () => {
    const dir = tree({ 't.tmpl': '---\nto: out.txt\n---\nnew line\n', 'out.txt': 'old line\n' });
    const dry = await runGgen(['gen', 't.tmpl', '--dry-run', '--diff', '--force'], { cwd: dir });
    expect(dry.stdout).toBe('--- a/out.txt\n+++ b/out.txt\n@@ -1,1 +1,1 @@\n-old line\n+new line\nwould overwrite out.txt\n');
    expect(dry.stderr).toBe('dry run: 1 overwritten\n');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('old line\n');
    const json = await runGgen(['gen', 't.tmpl', '--dry-run', '--force', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout).operations).toEqual([{ kind: 'overwrite', path: 'out.txt', reason: 'forced: it was not written by ggen', templates: ['t.tmpl'], contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('generates every template of a directory, in any argument order, to the same bytes', async () => {
    const files = { 'a.tmpl': '---\nto: a.txt\n---\nA {{ v }}\n', 'sub/b.tmpl': '---\nto: b/b.txt\n---\nB\n', 'c.tmpl': '---\nto: c.txt\n---\nC\n' };
    const one = tree(files);
    const two = tree(files);
    expect((await runGgen(['gen', '.', '--var', 'v=1', '--out', 'o'], { cwd: one })).code).toBe(0);
    expect((await runGgen(['gen', 'sub/b.tmpl', 'c.tmpl', 'a.tmpl', '--var', 'v=1', '--out', 'o'], { cwd: two })).code).toBe(0);
    expect(readTree(join(one, 'o'))).toEqual({ 'a.txt': 'A 1\n', 'b/b.txt': 'B\n', 'c.txt': 'C\n' });
    expect(readTree(join(two, 'o'))).toEqual(readTree(join(one, 'o')));
  });

  it('keeps the receipt by default, and none with --no-receipt', async () => {
    const bare = tree({ 't.tmpl': '---\nto: out.txt\n---\nx\n' });
    await runGgen(['gen', 't.tmpl', '--no-receipt'], { cwd: bare });
    expect(existsSync(join(bare, '.ggen'))).toBe(false);
    const dir = tree({ 't.tmpl': '---\nto: out.txt\n---\nx\n' });
    await runGgen(['gen', 't.tmpl'], { cwd: dir });
    const receipt = JSON.parse(readFileSync(join(dir, '.ggen/receipt.json'), 'utf8'));
    expect(receipt.outputs).toEqual([{ path: 'out.txt', hash: expect.stringMatching(/^[0-9a-f]{64}$/), hashOutsideFrozen: expect.any(String), template: 't.tmpl', kind: 'file' }]);
  });

  it('takes several values per --graph/--var and templates written after them', async () => {
    const dir = tree({ 't.tmpl': '---\nto: "{{ a }}-{{ b }}.txt"\nsparql:\n  n: "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"\n---\n{{ sparql_first(results="n", column="n") }}\n', 'g1.ttl': PEOPLE_TTL, 'g2.ttl': '<http://x/a> <http://x/b> <http://x/c> .\n' });
    const r = await runGgen(['gen', '--graph', 'g1.ttl', 'g2.ttl', '--var', 'a=1', 'b=2', 't.tmpl'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, 'create    1-2.txt\n']);
    expect(readFileSync(join(dir, '1-2.txt'), 'utf8')).toBe('7\n'); // 6 triples in g1.ttl + 1 in g2.ttl
  });

  it('seeds get_random() and now(): the same seed gives the same bytes, another seed other bytes', async () => {
    const dir = tree({ 't.tmpl': '---\nto: r.txt\n---\n{{ get_random(end=1000000) }} {{ now() }}\n' });
    const read = async (out: string, seed: string) => {
      expect((await runGgen(['gen', 't.tmpl', '--seed', seed, '--out', out], { cwd: dir })).code).toBe(0);
      return readFileSync(join(dir, out, 'r.txt'), 'utf8');
    };
    const a = await read('a', '7');
    expect(await read('b', '7')).toBe(a);
    expect(await read('c', '8')).not.toBe(a);
  });
});
