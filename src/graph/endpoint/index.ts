// SPARQL endpoints: the protocol client, the streaming results parser, and loading files into a store.
export { SparqlEndpoint, queryKind, normaliseTerm, type EndpointAuth, type EndpointOptions, type EndpointResult, type QueryContext, type RowSink } from './client.js';
export { SparqlJsonSplitter, type JsonResultEvent } from './json-stream.js';
export { loadIntoEndpoint, type EndpointLoadOptions, type EndpointLoadResult } from './load.js';
