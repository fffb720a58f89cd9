// The statement scanner behind exact terms (src/graph/exact-scan.ts) against n3's full parser: on every
// valid document of the W3C Turtle, TriG, N-Triples and N-Quads suites and on hand-made edge cases, it
// finds the same XSD literals with the same statements, or gives up (and the full parse is used).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ox from 'oxigraph';
import { describe, expect, it } from 'vitest';
import { scanStatements, surelyCanonical, type Candidate, type ScanFormat } from '../../src/graph/exact-scan.js';
import { candidatesByN3, literalToNTriples, storeValue } from '../../src/graph/exact.js';
import { Graph } from '../../src/graph/index.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const suites = fileURLToPath(new URL('../w3c/rdf-tests/rdf11/', import.meta.url));
const byExtension: Record<string, [ScanFormat, string]> = { ttl: ['turtle', 'ttl'], trig: ['trig', 'trig'], nt: ['ntriples', 'nt'], nq: ['nquads', 'nq'] };

// Blank node labels do not matter: the side table keys every blank node as `_:`.
const blank = (key: string) => (key.startsWith('_:') ? '_:' : key);
const sorted = (candidates: Candidate[]) => candidates.map((c) => JSON.stringify([blank(c.s), c.p, blank(c.g), c.value, c.datatype])).sort();

/** What the full parse finds, split like the scanner's result; undefined when n3 cannot parse it. */
function byParser(text: string, format: ScanFormat, base: string, graph = '') {
  const all = candidatesByN3(text, format, base, graph);
  if (all === undefined) return undefined;
  const sure = (c: Candidate) => surelyCanonical(c.value, c.datatype);
  return { candidates: sorted(all.filter((c) => !sure(c))), canonical: all.filter(sure).map((c) => `${c.value} ${c.datatype}`).sort() };
}

function byScanner(text: string, format: ScanFormat, graph = '') {
  const found = scanStatements(text, format, graph);
  return found && { candidates: sorted(found.candidates), canonical: found.canonical.map((l) => `${l.value} ${l.datatype}`).sort() };
}

describe('statement scanner', () => {
  it('agrees with a full parse on every valid W3C suite document', () => {
    let followed = 0;
    let gaveUp = 0;
    let withLiterals = 0;
    for (const dir of readdirSync(suites)) {
      for (const name of readdirSync(join(suites, dir))) {
        const ext = name.split('.').pop()!;
        const entry = byExtension[ext];
        if (entry === undefined) continue;
        const [format, oxFormat] = entry;
        const text = readFileSync(join(suites, dir, name), 'utf8');
        const base = `https://w3c.github.io/rdf-tests/rdf/rdf11/${dir}/${name}`;
        try {
          ox.parse(text, { format: oxFormat, base_iri: base });
        } catch {
          continue; // a negative test: the store rejects it before the scan's result is used
        }
        const expected = byParser(text, format, base);
        const scanned = byScanner(text, format);
        if (scanned === undefined) {
          gaveUp++;
          continue;
        }
        followed++;
        if (scanned.candidates.length + scanned.canonical.length > 0) withLiterals++;
        if (expected !== undefined) expect(scanned, `${dir}/${name}`).toEqual(expected);
      }
    }
    expect(followed).toBeGreaterThan(700);
    expect(withLiterals).toBeGreaterThan(100);
    expect(gaveUp).toBeLessThan(followed);
  });

  const cases: Array<[label: string, format: ScanFormat, text: string]> = [
    ['object lists, predicate lists, a', 'turtle', '@prefix ex: <http://e/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ex:s a ex:C ; ex:p 1.0, +1, "01"^^xsd:integer ; ex:q 1E0 ;.'],
    ['blank nodes nested as subject and object', 'turtle', 'PREFIX ex: <http://e/>\n[ ex:a 1.0 ; ex:b [ ex:c 01 ] ] ex:d 02 . [] ex:e .5 . ex:s ex:p [ ex:q 0.50 ], 1.10 .'],
    ['collections', 'turtle', '@prefix ex: <http://e/> . ex:s ex:p ( 1.0 [ ex:q 01 ] ( 02 ) ) . ( 1.5 ) ex:r 1.50 .'],
    ['names with dots and digits, comments, long strings', 'turtle', '@prefix ex: <http://e/> . # 1.0 in a comment\nex:a.1 ex:p.2 ex:o.3 . ex:x ex:p """a "1.0" \\" \n ""b""" , \'\'\'1.0\'\'\', "x"@en-US, 10.0 . ex:1 ex:2 01.'],
    ['typed literals with escapes and other types', 'turtle', '@prefix x: <http://www.w3.org/2001/XMLSchema#> . <http://e/s> <http://e/p> "\\u0031.0"^^x:decimal, "1"^^<http://www.w3.org/2001/XMLSchema#double>, "a"^^<http://e/T>, "b"^^x:string, "0150"^^x:int, "true"^^x:boolean, "1"^^x:boolean .'],
    ['prefixes redefined', 'turtle', '@prefix ex: <http://e/> . ex:s ex:p 1.0 . @prefix ex: <http://f/> . ex:s ex:p 1.0 .'],
    ['TriG graphs', 'trig', 'PREFIX ex: <http://e/>\nex:s ex:p 1.0 . ex:g { ex:s ex:p 01 } GRAPH ex:h { ex:s ex:p 02 . ex:t ex:p 03 . } { ex:u ex:p 04 } _:b { ex:v ex:p 05 } [] { ex:w ex:p 06 }'],
    ['N-Triples', 'ntriples', '<http://e/s> <http://e/p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n_:b <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> . # c\n'],
    ['N-Quads', 'nquads', '<http://e/s> <http://e/p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> <http://e/g> .\n<http://e/s> <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n<http://e/s> <http://e/p> "02"^^<http://www.w3.org/2001/XMLSchema#integer> _:g .\n'],
  ];

  it.each(cases)('%s', (_label, format, text) => {
    const scanned = byScanner(text, format);
    expect(scanned).toBeDefined();
    expect(scanned).toEqual(byParser(text, format, 'http://base/'));
    expect(scanned!.candidates.length + scanned!.canonical.length).toBeGreaterThan(1);
  });

  it('carries the graph triples are loaded into', () => {
    const text = '<http://e/s> <http://e/p> 1.0 .';
    expect(byScanner(text, 'turtle', '<http://e/g>')).toEqual(byParser(text, 'turtle', 'http://base/', '<http://e/g>'));
  });

  const giveUps: Array<[label: string, format: ScanFormat, text: string]> = [
    ['relative IRIs', 'turtle', '<s> <p> 1.0 .'],
    ['relative prefix', 'turtle', '@prefix ex: <#> . ex:s ex:p 1.0 .'],
    ['escapes in names', 'turtle', '@prefix ex: <http://e/> . ex:a\\.b ex:p 1.0 .'],
    ['triple terms', 'turtle', '@prefix ex: <http://e/> . ex:a ex:p <<( ex:b ex:p 1.0 )>> .'],
    ['annotations', 'turtle', '@prefix ex: <http://e/> . ex:a ex:p ex:o {| ex:q 1.0 |} .'],
    ['reifiers', 'turtle', '@prefix ex: <http://e/> . ex:a ex:p ex:o ~ ex:r . ex:a ex:q 1.0 .'],
    ['space before ^^', 'turtle', '<http://e/s> <http://e/p> "1.0" ^^<http://www.w3.org/2001/XMLSchema#decimal> .'],
    ['IRI escapes', 'ntriples', '<http://e/\\u0073> <http://e/p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .'],
  ];

  it.each(giveUps)('gives up on %s (the full parse is used)', async (_label, format, text) => {
    expect(scanStatements(text, format, '')).toBeUndefined();
    // …and the graph still keeps the literal as written.
    const g = await Graph.create({ baseIri: 'http://e/' });
    g.loadText(text, { format });
    if (!text.includes('<<(') && !text.includes('{|')) expect(g.serialize('ntriples')).toContain(`"1.0"^^<${XSD}decimal>`);
  });
});

describe('integer and decimal forms computed without the store', () => {
  it('are what the store makes of them', () => {
    const values = ['0', '00', '-0', '+0', '007', '-007', '+5', '12', '-12', '999999999999999999', '0999999999999999999', '1', '+', '-', '', '1.0', '1.', '.5', '-.5', '+.5', '-0.0', '0.0', '000.000', '1.10', '-00.50', '1.100000000000000000', '123456789012345678.123456789012345678', '1e5', ' 1', '1 ', '.', '1.2.3', '0x1', '١'];
    for (let i = 0; i < 200; i++) {
      const digits = (k: number) => Array.from({ length: k }, (_, j) => String((i * 7 + j * 3) % 10)).join('');
      values.push(`${['', '+', '-'][i % 3]}${digits(i % 6)}${i % 4 === 0 ? '' : `.${digits((i * 5) % 7)}`}`);
    }
    const store = new ox.Store();
    const lits = values.flatMap((value) => [{ value, datatype: `${XSD}integer` }, { value, datatype: `${XSD}decimal` }]);
    store.load(lits.map((l, i) => `<urn:x:${i}> <urn:x:v> ${literalToNTriples(l)} .`).join('\n'), { format: 'nt' });
    const stored = new Map<number, string>();
    for (const line of store.dump({ format: 'nt', from_graph_name: ox.defaultGraph() }).split('\n')) {
      const m = /^<urn:x:(\d+)> <urn:x:v> "([^"]*)"/.exec(line);
      if (m) stored.set(Number(m[1]), m[2]!);
    }
    let computed = 0;
    lits.forEach((l, i) => {
      const mine = storeValue(l.value, l.datatype);
      if (mine === undefined) return;
      computed++;
      expect(mine, `${l.value} ${l.datatype}`).toBe(stored.get(i));
    });
    expect(computed).toBeGreaterThan(200);
  });
});
