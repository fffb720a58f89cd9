// Deterministic serialization: sorted N-Triples/N-Quads with stable blank-node labels, and Turtle,
// TriG, N3 (n3's Writer, with prefixes), JSON-LD and RDF/XML written from those sorted quads.
import { createHash } from 'node:crypto';
import type { Quad, Term } from 'n3';
import { n3 } from './n3-lazy.js';
import { GgenError } from '../errors.js';
import type { RdfFormat } from './formats.js';
import { compactIri } from './results.js';

// Blank nodes outside literals and IRIs; group 1 is the label.
const blankNodeToken = /"(?:[^"\\]|\\.)*"|<[^>]*>|_:([^\s]+)/g;

function sortUnique(lines: string[]): string[] {
  lines.sort();
  return lines.filter((line, i) => i === 0 || line !== lines[i - 1]);
}

/**
 * Signatures for blank nodes that do not depend on their labels: a few rounds of refinement where each
 * node's signature hashes its statements with itself marked and its neighbours replaced by their
 * previous signatures (like 1-WL colour refinement). Nodes that still tie are automorphic in practice.
 */
function blankSignatures(lines: string[], labelsPerLine: string[][]): Map<string, string> {
  const linesOf = new Map<string, number[]>();
  labelsPerLine.forEach((labels, i) => {
    for (const label of new Set(labels)) {
      const list = linesOf.get(label);
      if (list) list.push(i);
      else linesOf.set(label, [i]);
    }
  });
  let signature = new Map<string, string>([...linesOf.keys()].map((b) => [b, '']));
  let distinct = 1;
  for (let round = 0; round < 6; round++) {
    const next = new Map<string, string>();
    for (const [b, indexes] of linesOf) {
      const rendered = indexes.map((i) => lines[i]!.replace(blankNodeToken, (m, label?: string) => (label === undefined ? m : label === b ? '_:@' : `_:${signature.get(label)}`))).sort();
      next.set(b, createHash('sha1').update(rendered.join('\n')).digest('base64url').slice(0, 16));
    }
    signature = next;
    const count = new Set(next.values()).size;
    if (count === distinct) break;
    distinct = count;
  }
  return signature;
}

/**
 * Sorts statements and replaces the store's random blank-node labels with b0, b1, … assigned from
 * label-independent signatures, so the same graph always prints the same way.
 */
function sortStatements(text: string): string {
  // oxigraph writes one statement per line ending in " ."; only blank lines need dropping.
  const lines = text.split('\n').filter((line) => line !== '');
  if (!text.includes('_:')) return joinLines(sortUnique(lines));
  const labelsPerLine = lines.map((line) => [...line.matchAll(blankNodeToken)].flatMap((m) => (m[1] === undefined ? [] : [m[1]])));
  const signature = blankSignatures(lines, labelsPerLine);
  const keyed = lines.map((line) => ({ line, key: line.replace(blankNodeToken, (m, label?: string) => (label === undefined ? m : `_:${signature.get(label)}`)) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  const labels = new Map<string, string>();
  const relabeled = keyed.map(({ line }) =>
    line.replace(blankNodeToken, (m, label?: string) => {
      if (label === undefined) return m;
      let fresh = labels.get(label);
      if (fresh === undefined) labels.set(label, (fresh = `b${labels.size}`));
      return `_:${fresh}`;
    }),
  );
  return joinLines(sortUnique(relabeled));
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** N-Triples, sorted, one statement per line, stable blank-node labels. */
export function sortedNTriples(text: string): string {
  return sortStatements(text);
}

/** N-Quads, sorted, stable blank-node labels. */
export function sortedNQuads(text: string): string {
  return sortStatements(text);
}

function parseStatements(text: string): Quad[] {
  return new (n3().Parser)({ format: 'N-Quads', blankNodePrefix: '' }).parse(text);
}

function graphKey(quad: Quad): string {
  return quad.graph.termType === 'DefaultGraph' ? '' : `${quad.graph.termType}:${quad.graph.value}`;
}

function writeWithN3(quads: Quad[], format: 'Turtle' | 'TriG' | 'N3', prefixes: Record<string, string>): string {
  const writer = new (n3().Writer)({ format, prefixes });
  // TriG wants each graph's statements together; the sort is stable, so subjects stay sorted inside.
  const ordered = format === 'TriG' ? [...quads].sort((a, b) => { const ka = graphKey(a); const kb = graphKey(b); return ka < kb ? -1 : ka > kb ? 1 : 0; }) : quads;
  writer.addQuads(format === 'TriG' ? ordered : ordered.map((q) => n3().DataFactory.quad(q.subject, q.predicate, q.object)));
  let output = '';
  writer.end((err, result: string) => {
    if (err) throw err;
    output = result;
  });
  return output;
}

function jsonLdObject(term: Term): Record<string, string> {
  if (term.termType === 'Literal') {
    if (term.language) return { '@value': term.value, '@language': term.language };
    if (term.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string') return { '@value': term.value, '@type': term.datatype.value };
    return { '@value': term.value };
  }
  return { '@id': term.termType === 'BlankNode' ? `_:${term.value}` : term.value };
}

/** Flattened, expanded JSON-LD: one node object per subject, named graphs as `@graph` objects. */
function writeJsonLd(quads: Quad[]): string {
  const graphs = new Map<string, Map<string, Record<string, unknown>>>();
  for (const q of quads) {
    const g = q.graph.termType === 'DefaultGraph' ? '' : q.graph.termType === 'BlankNode' ? `_:${q.graph.value}` : q.graph.value;
    let nodes = graphs.get(g);
    if (!nodes) graphs.set(g, (nodes = new Map()));
    const id = q.subject.termType === 'BlankNode' ? `_:${q.subject.value}` : q.subject.value;
    let node = nodes.get(id);
    if (!node) nodes.set(id, (node = { '@id': id }));
    const values = (node[q.predicate.value] ??= []) as unknown[];
    values.push(jsonLdObject(q.object));
  }
  const nodeList = (nodes: Map<string, Record<string, unknown>>) => [...nodes.values()];
  const doc: unknown[] = [];
  for (const [g, nodes] of [...graphs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (g === '') doc.push(...nodeList(nodes));
    else doc.push({ '@id': g, '@graph': nodeList(nodes) });
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
const escapeXml = (s: string) => s.replace(/[&<>"\r]/g, (c) => xmlEscapes[c]!);

/** RDF/XML with one rdf:Description per subject; predicates use the known prefixes where they can. */
function writeRdfXml(quads: Quad[], prefixes: Record<string, string>): string {
  const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
  const namespaces = new Map<string, string>([[RDF, 'rdf']]);
  for (const [prefix, ns] of Object.entries(prefixes)) if (prefix !== '' && /^[A-Za-z_][\w.-]*$/.test(prefix) && !namespaces.has(ns) && ![...namespaces.values()].includes(prefix)) namespaces.set(ns, prefix);
  const qname = (iri: string): string => {
    const m = /^(.*[/#:])([A-Za-z_][\w.-]*)$/.exec(iri);
    if (!m) throw new GgenError('E_RDF_FORMAT', `predicate <${iri}> cannot be written as RDF/XML (no XML name at its end)`, { hint: 'export to Turtle, N-Triples or JSON-LD instead' });
    let prefix = namespaces.get(m[1]!);
    if (prefix === undefined) {
      let n = 0;
      while ([...namespaces.values()].includes(`ns${n}`)) n++;
      namespaces.set(m[1]!, (prefix = `ns${n}`));
    }
    return `${prefix}:${m[2]!}`;
  };
  const body: string[] = [];
  let subject: string | undefined;
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    if (key !== subject) {
      if (subject !== undefined) body.push('  </rdf:Description>');
      subject = key;
      body.push(q.subject.termType === 'BlankNode' ? `  <rdf:Description rdf:nodeID="${escapeXml(q.subject.value)}">` : `  <rdf:Description rdf:about="${escapeXml(q.subject.value)}">`);
    }
    const name = qname(q.predicate.value);
    const o = q.object;
    if (o.termType === 'NamedNode') body.push(`    <${name} rdf:resource="${escapeXml(o.value)}"/>`);
    else if (o.termType === 'BlankNode') body.push(`    <${name} rdf:nodeID="${escapeXml(o.value)}"/>`);
    else if (o.termType === 'Literal') {
      const attr = o.language ? ` xml:lang="${escapeXml(o.language)}"` : o.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string' ? ` rdf:datatype="${escapeXml(o.datatype.value)}"` : '';
      body.push(`    <${name}${attr}>${escapeXml(o.value)}</${name}>`);
    }
  }
  if (subject !== undefined) body.push('  </rdf:Description>');
  const xmlns = [...namespaces].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ns, p]) => ` xmlns:${p}="${escapeXml(ns)}"`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF${xmlns}>\n${body.join('\n')}${body.length ? '\n' : ''}</rdf:RDF>\n`;
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const statementLine = /^(\S+) (\S+) (.*) \.$/;
const literalToken = /^("(?:[^"\\]|\\.)*")(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$/;
const bareLiterals: Record<string, RegExp> = {
  [`${XSD}integer`]: /^[+-]?\d+$/,
  [`${XSD}decimal`]: /^[+-]?\d*\.\d+$/,
  [`${XSD}boolean`]: /^(true|false)$/,
};

/**
 * Turtle straight from sorted N-Triples lines, in the layout of n3's Writer (prefixes, `a`, `;` and `,`
 * grouping, bare numbers and booleans): string work only, about 10x faster than parse + write.
 */
function writeTurtle(sorted: string, prefixes: Record<string, string>): string {
  const iri = (value: string) => compactIri(value, prefixes) ?? `<${value}>`;
  const term = (token: string): string => {
    if (token.startsWith('<')) return iri(token.slice(1, -1));
    if (token.startsWith('_:')) return token;
    const m = literalToken.exec(token);
    if (!m) return token;
    if (m[2] !== undefined) return `${m[1]}@${m[2]}`;
    if (m[3] === undefined) return m[1]!;
    const lexical = m[1]!.slice(1, -1);
    if (bareLiterals[m[3]]?.test(lexical)) return lexical;
    return `${m[1]}^^${iri(m[3])}`;
  };
  const header = Object.entries(prefixes).map(([p, ns]) => `@prefix ${p}: <${ns}>.\n`).join('');
  const out: string[] = [];
  let subject: string | undefined;
  let predicate: string | undefined;
  for (const line of sorted.split('\n')) {
    const m = statementLine.exec(line);
    if (!m) continue;
    const [, s, p, o] = m as unknown as [string, string, string, string];
    if (s !== subject) {
      if (subject !== undefined) out.push('.\n');
      out.push(`${term(s)} ${p === `<${RDF_TYPE}>` ? 'a' : term(p)} ${term(o)}`);
      subject = s;
      predicate = p;
    } else if (p !== predicate) {
      out.push(`;\n    ${p === `<${RDF_TYPE}>` ? 'a' : term(p)} ${term(o)}`);
      predicate = p;
    } else out.push(`, ${term(o)}`);
  }
  if (subject !== undefined) out.push('.\n');
  return header === '' ? out.join('') : `${header}\n${out.join('')}`;
}

const cannotExpressTripleTerms: Partial<Record<RdfFormat, string>> = { rdfxml: 'RDF/XML', n3: 'N3', jsonld: 'JSON-LD' };

/** Refuses a syntax that has no RDF 1.2 triple terms, rather than dropping statements. */
function refuseTripleTerms(sorted: string, format: RdfFormat): void {
  const label = cannotExpressTripleTerms[format];
  if (label === undefined || !sorted.includes('<<(')) return;
  // A triple term outside literals: count the statements that have one.
  const count = sorted.split('\n').filter((line) => line.includes('<<(') && line.replace(/"(?:[^"\\]|\\.)*"/g, '""').includes('<<(')).length;
  if (count === 0) return;
  throw new GgenError('E_RDF_FORMAT', `${label} cannot express RDF 1.2 triple terms (${count} ${count === 1 ? 'statement has' : 'statements have'} one)`, { hint: 'export to Turtle, TriG, N-Triples or N-Quads, which carry RDF 1.2' });
}

/** Writes sorted N-Triples/N-Quads text in another syntax. */
export function serializeQuads(sorted: string, format: RdfFormat, prefixes: Record<string, string>): string {
  refuseTripleTerms(sorted, format);
  switch (format) {
    case 'ntriples':
    case 'nquads':
      return sorted;
    case 'turtle':
      return writeTurtle(sorted, prefixes);
    case 'n3':
      return writeWithN3(parseStatements(sorted), 'N3', prefixes);
    case 'trig':
      return writeWithN3(parseStatements(sorted), 'TriG', prefixes);
    case 'jsonld':
      return writeJsonLd(parseStatements(sorted));
    case 'rdfxml':
      return writeRdfXml(parseStatements(sorted), prefixes);
  }
}
