// Public surface of src/graph: load RDF, query it with SPARQL, serialize, hash, diff, snapshot, validate.
export { formatFromPath, parseRdfFormat, RDF_FORMATS, RDF_EXTENSIONS, type RdfFormat } from './formats.js';
export type { RdfTerm, Bindings, SelectResult, QueryResult } from './results.js';
export { termToNTriples as rdfTermToNTriples, compactIri as rdfCompactIri } from './results.js';
export { Graph, loadGraph, type GraphOptions, type LoadOptions, type QueryOptions } from './graph.js';
export { WELL_KNOWN_PREFIXES as RDF_WELL_KNOWN_PREFIXES } from './prefixes.js';
export { DEFAULT_MAX_TRIPLES as GRAPH_DEFAULT_MAX_TRIPLES } from './limits.js';
export { validateShacl, shaclReportToJsonLd, type ShaclReport, type ShaclResult, type ShaclSeverity } from './shacl.js';
export { computeGraphStats, type GraphStats } from './stats.js';
export { diffGraphs, type GraphDiff } from './diff-graphs.js';
export {
  createGraphSnapshot,
  readGraphSnapshot,
  verifyGraphSnapshot,
  SNAPSHOT_FORMAT as GRAPH_SNAPSHOT_FORMAT,
  type GraphSnapshot,
  type SnapshotCounts as GraphSnapshotCounts,
  type SnapshotVerification as GraphSnapshotVerification,
} from './snapshot.js';
export {
  selectResultToJson as sparqlSelectToJson,
  askResultToJson as sparqlAskToJson,
  selectResultToCsv as sparqlSelectToCsv,
  selectResultToTsv as sparqlSelectToTsv,
  selectResultToTable as sparqlSelectToTable,
  displayTerm as rdfDisplayTerm,
} from './format-results.js';
export { SparqlEndpoint, loadIntoEndpoint, queryKind, type EndpointAuth, type EndpointOptions, type EndpointResult } from './endpoint/index.js';
export { serializeQuads as serializeRdfQuads } from './serialize.js';
