// Graph statistics, all counted by SPARQL over the union of the loaded graphs.
import type { Graph } from './graph.js';

export interface GraphStats {
  /** Statements in the store, counting each named-graph copy. */
  quads: number;
  /** Distinct triples over all graphs. */
  triples: number;
  subjects: number;
  predicates: number;
  objects: number;
  namedGraphs: Array<{ graph: string; triples: number }>;
  /** Classes (objects of rdf:type) by number of distinct instances, most first. */
  classes: Array<{ class: string; instances: number }>;
  /** Predicates by number of triples, most first. */
  topPredicates: Array<{ predicate: string; triples: number }>;
}

function count(graph: Graph, sparql: string): number {
  const row = graph.select(sparql).rows[0];
  return row?.n ? Number(row.n.value) : 0;
}

/** Counts for `ggen graph stats`; `top` limits the predicate list. */
export function computeGraphStats(graph: Graph, opts: { top?: number } = {}): GraphStats {
  const top = opts.top ?? 10;
  const name = (t: { type: string; value: string } | undefined) => (t === undefined ? '' : t.type === 'bnode' ? `_:${t.value}` : t.value);
  return {
    quads: graph.size,
    triples: count(graph, 'SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }'),
    subjects: count(graph, 'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }'),
    predicates: count(graph, 'SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }'),
    objects: count(graph, 'SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }'),
    namedGraphs: graph
      .select('SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g')
      .rows.map((r) => ({ graph: name(r.g), triples: Number(r.n?.value ?? 0) })),
    classes: graph
      .select('SELECT ?c (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?c } GROUP BY ?c ORDER BY DESC(?n) STR(?c)')
      .rows.map((r) => ({ class: name(r.c), instances: Number(r.n?.value ?? 0) })),
    topPredicates: graph
      .select(`SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p ORDER BY DESC(?n) STR(?p) LIMIT ${top}`)
      .rows.map((r) => ({ predicate: name(r.p), triples: Number(r.n?.value ?? 0) })),
  };
}
