// SHACL Core validation with shacl-engine over n3 stores built from the graphs' sorted triples.
import { DataFactory, Parser, Store, type Quad, type Term } from 'n3';
import { Validator } from 'shacl-engine';
import type { Graph } from './graph.js';
import type { RdfTerm } from './results.js';

const SH = 'http://www.w3.org/ns/shacl#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** sh:Violation, sh:Warning, sh:Info by local name; any other severity IRI (`sh:severity ex:Mine`) as the full IRI. */
export type ShaclSeverity = 'Violation' | 'Warning' | 'Info' | (string & {});

export interface ShaclResult {
  focusNode: RdfTerm;
  /** The result path in SPARQL property-path syntax (`<p>`, `^<p>`, `<a>/<b>` …), when there is one. */
  path?: string;
  /** The path as RDF, kept for the JSON-LD report. */
  pathNode?: unknown;
  /** IRI of the constraint component, e.g. http://www.w3.org/ns/shacl#MinCountConstraintComponent. */
  constraint: string;
  severity: ShaclSeverity;
  message: string;
  value?: RdfTerm;
  shape: RdfTerm;
}

export interface ShaclReport {
  /** True when there is no result at all (SHACL's sh:conforms). */
  conforms: boolean;
  /** Results sorted by focus node, path, constraint and value. */
  results: ShaclResult[];
  violations: number;
  warnings: number;
  infos: number;
  /** Results per custom severity IRI, sorted by IRI (empty when there are none). */
  otherSeverities: Record<string, number>;
}

const factory = { ...DataFactory, dataset: (quads?: Quad[]) => new Store(quads) };

function toStore(graph: Graph): Store {
  return new Store(new Parser({ format: 'N-Triples', blankNodePrefix: '' }).parse(graph.serialize('ntriples')));
}

function rdfTerm(term: Term): RdfTerm {
  if (term.termType === 'NamedNode') return { type: 'uri', value: term.value };
  if (term.termType === 'BlankNode') return { type: 'bnode', value: term.value };
  if (term.termType === 'Literal') {
    const t: RdfTerm = { type: 'literal', value: term.value };
    if (term.language) t['xml:lang'] = term.language;
    else if (term.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string') t.datatype = term.datatype.value;
    return t;
  }
  return { type: 'literal', value: term.value };
}

function one(store: Store, subject: Term, predicate: string): Term | undefined {
  return store.getObjects(subject, DataFactory.namedNode(predicate), null)[0];
}

function listItems(store: Store, head: Term): Term[] {
  const items: Term[] = [];
  for (let node: Term | undefined = head; node && node.value !== `${RDF}nil` && items.length < 1000; node = one(store, node, `${RDF}rest`)) {
    const first = one(store, node, `${RDF}first`);
    if (first) items.push(first);
  }
  return items;
}

/** A SHACL path as SPARQL property-path text, and as a JSON-LD value. */
function describePath(store: Store, path: Term): { text: string; jsonld: unknown } {
  if (path.termType === 'NamedNode') return { text: `<${path.value}>`, jsonld: { '@id': path.value } };
  const unary: Array<[string, string]> = [['inversePath', '^'], ['zeroOrMorePath', '*'], ['oneOrMorePath', '+'], ['zeroOrOnePath', '?']];
  for (const [name, op] of unary) {
    const inner = one(store, path, `${SH}${name}`);
    if (inner) {
      const d = describePath(store, inner);
      return { text: op === '^' ? `^${d.text}` : `(${d.text})${op}`, jsonld: { [`sh:${name}`]: d.jsonld } };
    }
  }
  const alternatives = one(store, path, `${SH}alternativePath`);
  if (alternatives) {
    const parts = listItems(store, alternatives).map((t) => describePath(store, t));
    return { text: `(${parts.map((p) => p.text).join('|')})`, jsonld: { 'sh:alternativePath': { '@list': parts.map((p) => p.jsonld) } } };
  }
  const parts = listItems(store, path).map((t) => describePath(store, t));
  return { text: parts.map((p) => p.text).join('/'), jsonld: { '@list': parts.map((p) => p.jsonld) } };
}

const BUILT_IN_SEVERITIES = new Set(['Violation', 'Warning', 'Info']);

/** `Violation`, `Warning`, `Info` for SHACL's own severities; the IRI of any other. */
function severityName(term: Term | undefined): ShaclSeverity {
  if (term === undefined) return 'Violation';
  const local = term.value.startsWith(SH) ? term.value.slice(SH.length) : undefined;
  return local !== undefined && BUILT_IN_SEVERITIES.has(local) ? local : term.value;
}

const termKey = (t: RdfTerm | undefined) => (t === undefined ? '' : `${t.type}:${t.value}:${t.datatype ?? ''}:${t['xml:lang'] ?? ''}`);

/** Validates `data` against the SHACL shapes in `shapes` (SHACL Core). */
export async function validateShacl(data: Graph, shapes: Graph): Promise<ShaclReport> {
  const shapeStore = toStore(shapes);
  const validator = new Validator(shapeStore, { factory });
  const report = await validator.validate({ dataset: toStore(data) });
  const reportStore = report.dataset as Store;
  const results: ShaclResult[] = [];
  for (const node of reportStore.getObjects(report.term as Term, DataFactory.namedNode(`${SH}result`), null)) {
    const focus = one(reportStore, node, `${SH}focusNode`);
    const severity = one(reportStore, node, `${SH}resultSeverity`);
    const constraint = one(reportStore, node, `${SH}sourceConstraintComponent`);
    const shape = one(reportStore, node, `${SH}sourceShape`);
    const path = one(reportStore, node, `${SH}resultPath`);
    const value = one(reportStore, node, `${SH}value`);
    const messages = reportStore.getObjects(node, DataFactory.namedNode(`${SH}resultMessage`), null).map((m) => m.value).sort();
    const described = path ? describePath(reportStore, path) : undefined;
    const result: ShaclResult = {
      focusNode: focus ? rdfTerm(focus) : { type: 'bnode', value: '' },
      constraint: constraint?.value ?? '',
      severity: severityName(severity),
      message: messages.join('; '),
      shape: shape ? rdfTerm(shape) : { type: 'bnode', value: '' },
    };
    if (described) {
      result.path = described.text;
      result.pathNode = described.jsonld;
    }
    if (value) result.value = rdfTerm(value);
    results.push(result);
  }
  const key = (r: ShaclResult) => [termKey(r.focusNode), r.path ?? '', r.constraint, termKey(r.value), r.message].join('\u0000');
  results.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const counts = (s: ShaclSeverity) => results.filter((r) => r.severity === s).length;
  const otherSeverities: Record<string, number> = {};
  for (const r of results) if (!BUILT_IN_SEVERITIES.has(r.severity)) otherSeverities[r.severity] = (otherSeverities[r.severity] ?? 0) + 1;
  return {
    conforms: results.length === 0,
    results,
    violations: counts('Violation'),
    warnings: counts('Warning'),
    infos: counts('Info'),
    otherSeverities: Object.fromEntries(Object.entries(otherSeverities).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

const jsonLdTerm = (t: RdfTerm): unknown =>
  t.type === 'uri' ? { '@id': t.value } : t.type === 'bnode' ? { '@id': `_:${t.value}` } : t['xml:lang'] ? { '@value': t.value, '@language': t['xml:lang'] } : t.datatype ? { '@value': t.value, '@type': t.datatype } : t.value;

const shIri = (iri: string) => (iri.startsWith(SH) ? `sh:${iri.slice(SH.length)}` : iri);

/** The report in the SHACL results vocabulary, as compact JSON-LD. */
export function shaclReportToJsonLd(report: ShaclReport): Record<string, unknown> {
  return {
    '@context': { sh: SH, xsd: 'http://www.w3.org/2001/XMLSchema#' },
    '@type': 'sh:ValidationReport',
    'sh:conforms': report.conforms,
    'sh:result': report.results.map((r) => {
      const out: Record<string, unknown> = {
        '@type': 'sh:ValidationResult',
        'sh:focusNode': jsonLdTerm(r.focusNode),
      };
      if (r.pathNode !== undefined) out['sh:resultPath'] = r.pathNode;
      if (r.value !== undefined) out['sh:value'] = jsonLdTerm(r.value);
      out['sh:sourceConstraintComponent'] = { '@id': shIri(r.constraint) };
      out['sh:sourceShape'] = jsonLdTerm(r.shape);
      out['sh:resultSeverity'] = { '@id': BUILT_IN_SEVERITIES.has(r.severity) ? `sh:${r.severity}` : r.severity };
      if (r.message) out['sh:resultMessage'] = r.message;
      return out;
    }),
  };
}
