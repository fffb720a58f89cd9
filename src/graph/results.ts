// Query result types: W3C SPARQL 1.1 JSON results shapes, as plain objects.

/** W3C SPARQL 1.1 JSON results term shape. */
export interface RdfTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string;
  datatype?: string;
  'xml:lang'?: string;
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
      return `<< ${term.value} >>`;
  }
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
