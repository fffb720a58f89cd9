// Issue 12 §1: literals come out exactly as written, everywhere; edge-case documents load; hostile ones are bounded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { diffGraphs, Graph, loadGraph, sparqlSelectToCsv, sparqlSelectToJson, sparqlSelectToTable, sparqlSelectToTsv, validateShacl } from '../../src/graph/index.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const dir = mkdtempSync(join(tmpdir(), 'ggen-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const NUMBERS = `@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:dec "1.0"^^xsd:decimal ; ex:plus +2 ; ex:zero 01 ; ex:dbl 1E0 ; ex:byte "300"^^xsd:byte ; ex:small "12"^^xsd:byte ; ex:flag "1"^^xsd:boolean ; ex:when "2020-01-01T00:00:00.000Z"^^xsd:dateTime .
`;

async function numbers(): Promise<Graph> {
  const g = await Graph.create();
  g.loadText(NUMBERS);
  return g;
}

describe('literals as written', () => {
  const written: Array<[predicate: string, value: string, datatype: string]> = [
    ['dec', '1.0', 'decimal'], ['plus', '+2', 'integer'], ['zero', '01', 'integer'], ['dbl', '1E0', 'double'],
    ['byte', '300', 'byte'], ['small', '12', 'byte'], ['flag', '1', 'boolean'], ['when', '2020-01-01T00:00:00.000Z', 'dateTime'],
  ];

  it.each(written)('query results keep ex:%s %s^^xsd:%s', async (p, value, datatype) => {
    const g = await numbers();
    expect(g.select(`SELECT ?o WHERE { ex:a ex:${p} ?o }`).rows).toEqual([{ o: { type: 'literal', value, datatype: `${XSD}${datatype}` } }]);
  });

  it('still compares and computes by value', async () => {
    const g = await numbers();
    expect(g.ask('ASK { ex:a ex:dec ?o FILTER(?o = 1) }')).toBe(true);
    expect(g.select('SELECT ?o WHERE { ex:a ex:zero ?o FILTER(?o > 0) }').rows[0]!.o!.value).toBe('01');
    // Computed values are the engine's: 01 + 1 is 2, and a count of 1 is "1", not the data's "01".
    expect(g.select('SELECT (?o + 1 AS ?n) WHERE { ex:a ex:zero ?o }').rows[0]!.n!.value).toBe('2');
    expect(g.select('SELECT (COUNT(*) AS ?n) WHERE { ex:a ex:zero ?o }').rows[0]!.n!.value).toBe('1');
  });

  it('exports, N-Quads and CONSTRUCT keep the lexical forms', async () => {
    const g = await numbers();
    const nt = g.serialize('ntriples');
    for (const [p, value, datatype] of written) expect(nt).toContain(`<http://example.org/${p}> "${value}"^^<${XSD}${datatype}> .`);
    expect(g.nquads()).toBe(nt);
    expect(g.serialize('turtle')).toContain('ex:dec 1.0;'); // the bare decimal 1.0 is "1.0"^^xsd:decimal
    expect(g.serialize('turtle')).toContain('ex:dbl "1E0"^^xsd:double;');
    expect(g.query('CONSTRUCT WHERE { ?s ex:byte ?o }')).toMatchObject({ ntriples: `<http://example.org/a> <http://example.org/byte> "300"^^<${XSD}byte> .\n` });
  });

  it('keeps statements the store would merge (1.0 and 1.00 are one value)', async () => {
    const g = await Graph.create();
    g.loadText('<http://e/a> <http://e/p> 1.0, 1.00 .');
    expect(g.serialize('ntriples')).toBe(`<http://e/a> <http://e/p> "1.0"^^<${XSD}decimal> .\n<http://e/a> <http://e/p> "1.00"^^<${XSD}decimal> .\n`);
  });

  it('graph diff and the canonical hash see lexical differences', async () => {
    const a = await Graph.create();
    a.loadText('<http://e/a> <http://e/p> 1.0 .');
    const b = await Graph.create();
    b.loadText('<http://e/a> <http://e/p> 1.00 .');
    const c = await Graph.create();
    c.loadText(`<http://e/a> <http://e/p> "1.0"^^<${XSD}decimal> .`, { format: 'ntriples' });
    expect(await diffGraphs(a, b)).toEqual({ equal: false, removed: [`<http://e/a> <http://e/p> "1.0"^^<${XSD}decimal> .`], added: [`<http://e/a> <http://e/p> "1.00"^^<${XSD}decimal> .`] });
    expect((await diffGraphs(a, c)).equal).toBe(true);
    expect(await a.canonicalHash()).not.toBe(await b.canonicalHash());
    expect(await a.canonicalHash()).toBe(await c.canonicalHash());
  });

  it('keeps forms with blank subjects and in named graphs', async () => {
    const g = await Graph.create();
    g.loadText('<http://e/g> { [] <http://e/p> 01 } <http://e/s> <http://e/p> 1E0 .', { format: 'trig' });
    expect(g.nquads()).toMatch(new RegExp(`^_:b0 <http://e/p> "01"\\^\\^<${XSD}integer> <http://e/g> \\.$`, 'm'));
    expect(g.serialize('ntriples')).toContain(`"01"^^<${XSD}integer>`);
    expect(g.serialize('ntriples')).toContain(`"1E0"^^<${XSD}double>`);
  });

  it('SHACL reports show the value as written', async () => {
    const data = await Graph.create();
    data.loadText('@prefix ex: <http://example.org/> . ex:a ex:age 0150 .');
    const shapes = await Graph.create();
    shapes.loadText('@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> . ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:age ; sh:maxInclusive 120 ] .');
    const report = await validateShacl(data, shapes);
    expect(report.results.map((r) => r.value)).toEqual([{ type: 'literal', value: '0150', datatype: `${XSD}integer` }]);
  });

  it('a value written several ways shows the store form in results (exports keep each)', async () => {
    const g = await Graph.create();
    g.loadText('<http://e/a> <http://e/p> +1 . <http://e/b> <http://e/p> 01 .');
    expect(g.select('SELECT ?o WHERE { <http://e/a> ?p ?o }').rows[0]!.o!.value).toBe('1');
    expect(g.serialize('ntriples')).toBe(`<http://e/a> <http://e/p> "+1"^^<${XSD}integer> .\n<http://e/b> <http://e/p> "01"^^<${XSD}integer> .\n`);
  });

  it('reads the lexical forms when first needed, for every document loaded, whatever came between', async () => {
    const g = await Graph.create();
    g.loadText('<http://e/a> <http://e/p> 1.0 .');
    g.loadText('<http://e/b> <http://e/p> "02"^^<http://www.w3.org/2001/XMLSchema#integer> .', { format: 'ntriples' });
    g.update('INSERT DATA { <http://e/c> <http://e/p> 1.50 }');
    // Rows without typed literals do not need them.
    expect(g.select('SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s').rows.map((r) => r.s!.value)).toEqual(['http://e/a', 'http://e/b', 'http://e/c']);
    expect(g.select('SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?s').rows.map((r) => r.o!.value)).toEqual(['1.0', '02', '1.5']);
    // The update's literal is the store's: only loaded documents are restored statement by statement.
    expect(g.serialize('ntriples')).toBe(
      `<http://e/a> <http://e/p> "1.0"^^<${XSD}decimal> .\n<http://e/b> <http://e/p> "02"^^<${XSD}integer> .\n<http://e/c> <http://e/p> "1.5"^^<${XSD}decimal> .\n`,
    );
    expect(g.rewrittenLiterals).toBe(2);
  });

  it('a document the store rejects leaves no lexical forms behind', async () => {
    const g = await Graph.create();
    expect(() => g.loadText('<http://e/a> <http://e/p> 1.0 . <http://e/a> <http://e/p> .')).toThrow();
    g.loadText(`<http://e/a> <http://e/p> "1"^^<${XSD}decimal> .`, { format: 'ntriples' });
    expect(g.select('SELECT ?o WHERE { ?s ?p ?o }').rows[0]!.o!.value).toBe('1');
    expect(g.rewrittenLiterals).toBe(0);
  });

  it('documents the statement scanner leaves to the parser keep their forms too', async () => {
    const g = await Graph.create();
    g.loadText('@prefix ex: <http://e/> . ex:a ex:p ex:o {| ex:since 02 |} . <rel> ex:q 1.0 .', { baseIri: 'http://e/' });
    expect(g.serialize('ntriples')).toContain(`<http://e/rel> <http://e/q> "1.0"^^<${XSD}decimal> .`);
    expect(g.select('SELECT ?v WHERE { ?r <http://e/since> ?v }').rows[0]!.v!.value).toBe('02');
  });

  it('a value also written in the store\'s form by another document shows the store form in results, in either order', async () => {
    for (const docs of [['<http://e/a> <http://e/p> 1.0 .', `<http://e/b> <http://e/p> "1"^^<${XSD}decimal> .`], [`<http://e/b> <http://e/p> "1"^^<${XSD}decimal> .`, '<http://e/a> <http://e/p> 1.0 .']]) {
      const g = await Graph.create();
      for (const doc of docs) g.loadText(doc);
      expect(g.select('SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?s').rows.map((r) => r.o!.value)).toEqual(['1', '1']);
      expect(g.serialize('ntriples')).toBe(`<http://e/a> <http://e/p> "1.0"^^<${XSD}decimal> .\n<http://e/b> <http://e/p> "1"^^<${XSD}decimal> .\n`);
    }
  });

  it('exactTerms: false gives the store forms (the old behaviour)', async () => {
    const g = await Graph.create({ exactTerms: false });
    g.loadText(NUMBERS);
    expect(g.select('SELECT ?o WHERE { ex:a ex:dec ?o }').rows[0]!.o!.value).toBe('1');
  });

  it('documents without such literals take the fast path', async () => {
    const g = await Graph.create();
    g.loadText('@prefix ex: <http://example.org/> . ex:a ex:n 42 ; ex:s "1.0 and +1 in a string" ; ex:t "7"^^<http://www.w3.org/2001/XMLSchema#integer> .');
    expect(g.rewrittenLiterals).toBe(0);
    expect((await numbers()).rewrittenLiterals).toBe(8);
  });
});

describe('edge-case documents', () => {
  it('an empty document is a valid graph of 0 triples', async () => {
    for (const name of ['empty.ttl', 'blank.nt', 'comment.ttl']) {
      const text = name === 'empty.ttl' ? '' : name === 'blank.nt' ? '\n  \n' : '# nothing here\n';
      expect((await loadGraph([file(name, text)])).size).toBe(0);
    }
  });

  it('control characters inside literals are valid', async () => {
    const g = await loadGraph([file('ctrl.nt', '<http://e/a> <http://e/p> "x\u0001y\u0007z\u0000" .\n')]);
    expect(g.select('SELECT ?o WHERE { ?s ?p ?o }').rows[0]!.o!.value).toBe('x\u0001y\u0007z\u0000');
  });

  it('relative IRIs resolve against the file URL; a base IRI overrides', async () => {
    const path = file('rel.ttl', '<> <#p> <other.ttl#x> .\n');
    const url = pathToFileURL(path).href;
    expect((await loadGraph([path])).serialize('ntriples')).toBe(`<${url}> <${url}#p> <${url.replace(/rel\.ttl$/, 'other.ttl')}#x> .\n`);
    expect((await loadGraph([path], { baseIri: 'http://example.org/doc' })).serialize('ntriples')).toBe('<http://example.org/doc> <http://example.org/doc#p> <http://example.org/other.ttl#x> .\n');
  });
});

describe('RDF 1.2 triple terms', () => {
  const TTL = '@prefix ex: <http://example.org/> . ex:a ex:says <<( ex:b ex:p "v" )>> . ex:b ex:p ex:c ~ ex:r {| ex:since 2020 |} .';

  it('rows carry N-Triples text in value and the parts in triple', async () => {
    const g = await Graph.create();
    g.loadText(TTL);
    const { rows } = g.select('SELECT ?t WHERE { ex:a ex:says ?t }');
    expect(rows[0]!.t).toEqual({
      type: 'triple',
      value: '<<( <http://example.org/b> <http://example.org/p> "v" )>>',
      triple: { subject: { type: 'uri', value: 'http://example.org/b' }, predicate: { type: 'uri', value: 'http://example.org/p' }, object: { type: 'literal', value: 'v' } },
    });
    const viaTerms = await Graph.create({ selectVia: 'terms' });
    viaTerms.loadText(TTL);
    expect(viaTerms.select('SELECT ?t WHERE { ex:a ex:says ?t }').rows).toEqual(rows);
  });

  it('table, CSV, TSV and JSON print them', async () => {
    const g = await Graph.create();
    g.loadText(TTL);
    const result = g.select('SELECT ?r ?t WHERE { ?r rdf:reifies ?t }');
    expect(sparqlSelectToTable(result, g.queryPrefixes)).toBe(`?r   | ?t\n-----+-${'-'.repeat(22)}\nex:r | <<( ex:b ex:p ex:c )>>\n`);
    expect(sparqlSelectToCsv(result)).toBe('r,t\r\nhttp://example.org/r,<<( <http://example.org/b> <http://example.org/p> <http://example.org/c> )>>\r\n');
    expect(sparqlSelectToTsv(result)).toBe('?r\t?t\n<http://example.org/r>\t<<( <http://example.org/b> <http://example.org/p> <http://example.org/c> )>>\n');
    expect(JSON.parse(sparqlSelectToJson(result)).results.bindings[0].t).toEqual({ type: 'triple', value: { subject: { type: 'uri', value: 'http://example.org/b' }, predicate: { type: 'uri', value: 'http://example.org/p' }, object: { type: 'uri', value: 'http://example.org/c' } } });
  });

  it('exports keep them; RDF/XML refuses clearly', async () => {
    const g = await Graph.create();
    g.loadText(TTL);
    expect(g.serialize('ntriples')).toContain('<http://example.org/a> <http://example.org/says> <<( <http://example.org/b> <http://example.org/p> "v" )>> .');
    for (const format of ['turtle', 'trig', 'nquads'] as const) {
      const back = await Graph.create();
      back.loadText(g.serialize(format), { format });
      expect((await diffGraphs(g, back)).equal).toBe(true);
    }
    for (const [format, label] of [['rdfxml', 'RDF/XML'], ['n3', 'N3'], ['jsonld', 'JSON-LD']] as const) {
      const err = (() => { try { g.serialize(format); } catch (e) { return e as GgenError; } return undefined; })();
      expect(err).toMatchObject({ code: 'E_RDF_FORMAT', message: `${label} cannot express RDF 1.2 triple terms (2 statements have one)` });
    }
  });
});

describe('hostile input is bounded', () => {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
`;

  it('billion laughs in RDF/XML', async () => {
    await expect(loadGraph([file('laughs.rdf', laughs)])).rejects.toMatchObject({ code: 'E_RDF_TOO_LARGE', message: 'RDF/XML entity expansion too large: more than 1000000 characters (entity "i")', at: { line: 14 } });
  });

  it('small entities still work', async () => {
    const ok = laughs.replace(/<!ENTITY [c-i][^\n]*\n/g, '').replace('&i;', '&b;');
    expect((await loadGraph([file('ok.rdf', ok)])).select('SELECT ?o WHERE { ?s ?p ?o }').rows[0]!.o!.value).toBe('lol'.repeat(100));
  });

  it('deeply nested JSON-LD', async () => {
    const deep = `${'{"http://example.org/p":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    await expect(loadGraph([file('deep.jsonld', deep)])).rejects.toMatchObject({ code: 'E_RDF_TOO_LARGE', message: 'JSON-LD nested too deeply: more than 200 levels' });
  });

  it('one huge literal (limits are options)', async () => {
    const g = await Graph.create({ limits: { maxLiteralLength: 1000 } });
    expect(() => g.loadText(`<http://e/a> <http://e/p> "${'x'.repeat(2000)}" .`, { format: 'ntriples' })).toThrow('literal too large: more than 1000 characters');
    g.loadText(`<http://e/a> <http://e/p> "${'x'.repeat(900)}" .`, { format: 'ntriples' });
    expect(g.size).toBe(1);
  });
});

describe('SHACL custom severities', () => {
  it('keep their IRI in results and JSON-LD, and are counted under their own name', async () => {
    const data = await Graph.create();
    data.loadText('@prefix ex: <http://example.org/> . ex:a ex:name "A" . ex:b ex:other 1 .');
    const shapes = await Graph.create();
    shapes.loadText(`@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity ex:Blocker ] , [ sh:path ex:other ; sh:minCount 1 ; sh:severity sh:Warning ] .`);
    const report = await validateShacl(data, shapes);
    expect(report.results.map((r) => r.severity)).toEqual(['Warning', 'http://example.org/Blocker']);
    expect(report).toMatchObject({ violations: 0, warnings: 1, infos: 0, otherSeverities: { 'http://example.org/Blocker': 1 } });
    const { shaclReportToJsonLd } = await import('../../src/graph/index.js');
    expect((shaclReportToJsonLd(report)['sh:result'] as Array<Record<string, unknown>>).map((r) => r['sh:resultSeverity'])).toEqual([{ '@id': 'sh:Warning' }, { '@id': 'http://example.org/Blocker' }]);
  });
});

describe('N-Triples escapes of restored literals', () => {
  it('match oxigraph byte for byte', async () => {
    const { literalToNTriples } = await import('../../src/graph/exact.js');
    const ox = (await import('oxigraph')).default;
    let value = '';
    for (let i = 0; i < 0x80; i++) value += String.fromCharCode(i);
    value += 'é\u2028\uFEFF😀\u0085';
    const datatype = `${XSD}decimal`;
    expect(literalToNTriples({ value, datatype })).toBe(ox.literal(value, ox.namedNode(datatype)).toString());
  });
});
