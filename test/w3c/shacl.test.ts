// W3C SHACL Core test suite (w3c/data-shapes, data-shapes-test-suite/tests/core), run from its manifests.
// A test passes when sh:conforms matches and the results match one to one on focus node, path, severity,
// constraint component, source shape and value (blank nodes compare by structure-free position, as in
// report-graph isomorphism; messages are free text and ignored, as the suite allows).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataFactory, Parser, Store, type Term } from 'n3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraph, validateShacl, type RdfTerm } from '../../src/graph/index.js';

const allow = JSON.parse(readFileSync(new URL('./allow-list.json', import.meta.url), 'utf8')) as Record<string, string>;
const SH = 'http://www.w3.org/ns/shacl#';
const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const SHT = 'http://www.w3.org/ns/shacl-test#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

interface ShaclTest {
  key: string;
  file: string;
  data: string;
  shapes: string;
  conforms: boolean;
  results: string[];
}

async function storeOf(file: string): Promise<Store> {
  const graph = await loadGraph([file]);
  const store = new Store(new Parser({ format: 'N-Triples', blankNodePrefix: '' }).parse(graph.serialize('ntriples')));
  graph.dispose();
  return store;
}

const one = (store: Store, s: Term, p: string): Term | undefined => store.getObjects(s, DataFactory.namedNode(p), null)[0];

function list(store: Store, head: Term): Term[] {
  const items: Term[] = [];
  for (let n: Term | undefined = head; n && n.value !== `${RDF}nil`; n = one(store, n, `${RDF}rest`)) {
    const first = one(store, n, `${RDF}first`);
    if (first) items.push(first);
  }
  return items;
}

/** A SHACL path in the SPARQL syntax validateShacl reports. */
function pathText(store: Store, path: Term): string {
  if (path.termType === 'NamedNode') return `<${path.value}>`;
  for (const [name, op] of [['inversePath', '^'], ['zeroOrMorePath', '*'], ['oneOrMorePath', '+'], ['zeroOrOnePath', '?']] as const) {
    const inner = one(store, path, `${SH}${name}`);
    if (inner) return op === '^' ? `^${pathText(store, inner)}` : `(${pathText(store, inner)})${op}`;
  }
  const alternatives = one(store, path, `${SH}alternativePath`);
  if (alternatives) return `(${list(store, alternatives).map((t) => pathText(store, t)).join('|')})`;
  return list(store, path).map((t) => pathText(store, t)).join('/');
}

const n3Key = (t: Term | undefined): string => {
  if (t === undefined) return '';
  if (t.termType === 'BlankNode') return '_:';
  if (t.termType === 'Literal') return `"${t.value}"${t.language ? `@${t.language}` : t.datatype.value === XSD_STRING ? '' : `^^${t.datatype.value}`}`;
  return `<${t.value}>`;
};
const rdfKey = (t: RdfTerm | undefined): string => {
  if (t === undefined) return '';
  if (t.type === 'bnode') return '_:';
  if (t.type === 'literal') return `"${t.value}"${t['xml:lang'] ? `@${t['xml:lang']}` : t.datatype && t.datatype !== XSD_STRING ? `^^${t.datatype}` : ''}`;
  return `<${t.value}>`;
};
const signature = (parts: string[]) => parts.join(' | ');

async function readTests(manifest: string, out: ShaclTest[] = []): Promise<ShaclTest[]> {
  const store = await storeOf(manifest);
  for (const include of store.getObjects(null, DataFactory.namedNode(`${MF}include`), null)) await readTests(fileURLToPath(include.value), out);
  for (const test of store.getSubjects(DataFactory.namedNode(`${RDF}type`), DataFactory.namedNode(`${SHT}Validate`), null)) {
    const action = one(store, test, `${MF}action`)!;
    const report = one(store, test, `${MF}result`)!;
    const results = store.getObjects(report, DataFactory.namedNode(`${SH}result`), null).map((r) => {
      const path = one(store, r, `${SH}resultPath`);
      const severity = one(store, r, `${SH}resultSeverity`)!.value;
      return signature([n3Key(one(store, r, `${SH}focusNode`)), path ? pathText(store, path) : '', severity, n3Key(one(store, r, `${SH}sourceConstraintComponent`)), n3Key(one(store, r, `${SH}sourceShape`)), n3Key(one(store, r, `${SH}value`))]);
    });
    const dir = manifest.slice(0, manifest.lastIndexOf('/'));
    out.push({
      key: `shacl#${manifest.slice(manifest.indexOf('/core/') + 6).replace(/\.ttl$/, '')}`,
      file: dir,
      data: fileURLToPath(one(store, action, `${SHT}dataGraph`)!.value),
      shapes: fileURLToPath(one(store, action, `${SHT}shapesGraph`)!.value),
      conforms: one(store, report, `${SH}conforms`)?.value === 'true',
      results: results.sort(),
    });
  }
  return out;
}

const tests = await readTests(fileURLToPath(new URL('./data-shapes/tests/core/manifest.ttl', import.meta.url)));
let passed = 0;
afterAll(() => console.log(`W3C SHACL Core (w3c/data-shapes):\n  Validate: ${passed}/${tests.length}`));

async function runTest(test: ShaclTest): Promise<string | undefined> {
  const data = await loadGraph([test.data]);
  const shapes = test.shapes === test.data ? data : await loadGraph([test.shapes]);
  const report = await validateShacl(data, shapes);
  const severity = (s: string) => (['Violation', 'Warning', 'Info'].includes(s) ? `${SH}${s}` : s);
  const actual = report.results.map((r) => signature([rdfKey(r.focusNode), r.path ?? '', severity(r.severity), `<${r.constraint}>`, rdfKey(r.shape), rdfKey(r.value)])).sort();
  if (report.conforms !== test.conforms) return `conforms: expected ${test.conforms}, got ${report.conforms}`;
  const missing = test.results.filter((r, i) => test.results.indexOf(r) === i && test.results.filter((x) => x === r).length > actual.filter((x) => x === r).length);
  const extra = actual.filter((r, i) => actual.indexOf(r) === i && actual.filter((x) => x === r).length > test.results.filter((x) => x === r).length);
  return missing.length + extra.length === 0 ? undefined : `results differ: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`;
}

describe('W3C SHACL Core', () => {
  it.each(tests.map((t) => [t.key, t] as const))('%s', async (_key, test) => {
    const failure = await runTest(test);
    if (failure === undefined) passed++;
    const reason = allow[test.key];
    if (reason !== undefined) expect(failure, `${test.key} is on the allow-list (${reason}) but passes now: remove it`).toBeDefined();
    else expect(failure).toBeUndefined();
  });
});
