// Query result types: W3C SPARQL 1.1 JSON results shapes, as plain objects.

/**
 * W3C SPARQL 1.1 JSON results term shape. An RDF 1.2 triple term is `{ type: 'triple', value, triple }`:
 * `value` is its N-Triples text (`<<( <s> <p> "o" )>>`), so code that prints `value` prints something
 * readable, and `triple` holds the three terms (W3C SPARQL 1.2 JSON puts those in `value`; the JSON
 * output format writes that shape).
 */
export interface RdfTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string;
  datatype?: string;
  'xml:lang'?: string;
  triple?: TripleTerm;
}

export interface TripleTerm {
  subject: RdfTerm;
  predicate: RdfTerm;
  object: RdfTerm;
}

/** One solution; unbound variables are absent. */
export type Bindings = Record<string, RdfTerm>;

export interface SelectResult {
  variables: string[];
  rows: Bindings[];
}

export type QueryResult =
  | ({ kind: 'select' } & SelectResult)
  | { kind: 'ask'; value: boolean }
  | { kind: 'graph'; ntriples: string; turtle(): string };

export const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
export const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

function escapeLiteral(value: string): string {
  return value.replace(/[\\"\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

/** A term in N-Triples syntax (`<iri>`, `"lit"@en`, `"1"^^<…#integer>`, `_:b`). */
export function termToNTriples(term: RdfTerm): string {
  switch (term.type) {
    case 'uri':
      return `<${term.value}>`;
    case 'bnode':
      return `_:${term.value}`;
    case 'literal': {
      const lex = `"${escapeLiteral(term.value)}"`;
      if (term['xml:lang']) return `${lex}@${term['xml:lang']}`;
      if (term.datatype && term.datatype !== XSD_STRING) return `${lex}^^<${term.datatype}>`;
      return lex;
    }
    default:
      return term.triple ? `<<( ${termToNTriples(term.triple.subject)} ${termToNTriples(term.triple.predicate)} ${termToNTriples(term.triple.object)} )>>` : term.value;
  }
}

/** A term from W3C SPARQL JSON results (1.2 triple terms included) in the row shape. */
export function fromJsonTerm(json: unknown): RdfTerm {
  const t = json as { type: string; value: unknown; datatype?: string; 'xml:lang'?: string };
  if (t.type === 'triple' && t.value !== null && typeof t.value === 'object') {
    const v = t.value as Record<string, unknown>;
    const triple = { subject: fromJsonTerm(v.subject), predicate: fromJsonTerm(v.predicate), object: fromJsonTerm(v.object) };
    const term: RdfTerm = { type: 'triple', value: '', triple };
    term.value = termToNTriples(term);
    return term;
  }
  return t as RdfTerm;
}

/** A term in the W3C SPARQL 1.2 JSON results shape (triple terms with an object value). */
export function toJsonTerm(term: RdfTerm): unknown {
  if (term.type !== 'triple' || !term.triple) return term;
  return { type: 'triple', value: { subject: toJsonTerm(term.triple.subject), predicate: toJsonTerm(term.triple.predicate), object: toJsonTerm(term.triple.object) } };
}

/** An IRI as `prefix:local` when a prefix covers it and the local part is a simple name. */
export function compactIri(iri: string, prefixes: Record<string, string>): string | undefined {
  let best: [string, string] | undefined;
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (ns !== '' && iri.startsWith(ns) && (best === undefined || ns.length > best[1].length)) best = [prefix, ns];
  }
  if (!best) return undefined;
  const local = iri.slice(best[1].length);
  return /^[A-Za-z0-9_]([\w.-]*[\w-])?$|^$/.test(local) ? `${best[0]}:${local}` : undefined;
}
