// `ggen graph load FILE... --endpoint URL`: files parsed by ggen (so every format ggen reads works, with exact
// lexical forms), then sent through the SPARQL 1.1 Graph Store HTTP Protocol, or INSERT DATA where a store has none.
import { loadGraph } from '../graph.js';
import type { RdfFormat } from '../formats.js';
import type { SparqlEndpoint } from './client.js';

export interface EndpointLoadOptions {
  files: string[];
  /** Target graph; default: the store's default graph. */
  graphIri?: string;
  /** Replace the graph's contents instead of adding to them. */
  replace?: boolean;
  /** Graph Store endpoint (default: the SPARQL endpoint URL itself, which several stores serve it on). */
  graphStore?: string;
  baseIri?: string;
  format?: RdfFormat;
  /** Triples per INSERT DATA request when falling back to UPDATE (graphs with blank nodes go in one request). */
  batch?: number;
}

export interface EndpointLoadResult {
  triples: number;
  method: 'graph-store' | 'update';
  graph: string;
}

export async function loadIntoEndpoint(endpoint: SparqlEndpoint, opts: EndpointLoadOptions): Promise<EndpointLoadResult> {
  const graph = await loadGraph(opts.files, { baseIri: opts.baseIri, format: opts.format });
  // Named graphs of N-Quads/TriG input merge into the target graph: the union is what ggen's own store
  // queries by default, so templates see the same data either way.
  const ntriples = graph.serialize('ntriples');
  const lines = ntriples.split('\n').filter((l) => l.trim() !== '');
  const target = opts.graphIri === undefined ? 'the default graph' : `<${opts.graphIri}>`;
  const ctx = { source: `graph load into ${target}` };
  // N-Triples is Turtle, and every store's Graph Store takes Turtle.
  const store = opts.graphStore ?? endpoint.url;
  if (await endpoint.graphStore(store, opts.replace ? 'PUT' : 'POST', opts.graphIri, ntriples, 'text/turtle', ctx)) {
    return { triples: lines.length, method: 'graph-store', graph: opts.graphIri ?? '' };
  }
  const into = (body: string) => (opts.graphIri === undefined ? body : `GRAPH <${opts.graphIri}> { ${body} }`);
  if (opts.replace) await endpoint.update(opts.graphIri === undefined ? 'CLEAR SILENT DEFAULT' : `CLEAR SILENT GRAPH <${opts.graphIri}>`, ctx);
  // Blank-node labels are scoped to one request: such graphs go in a single INSERT DATA.
  const batch = /(^|\s)_:/m.test(ntriples) ? lines.length : (opts.batch ?? 5000);
  for (let i = 0; i < lines.length; i += batch) {
    await endpoint.update(`INSERT DATA { ${into(lines.slice(i, i + batch).join('\n'))} }`, ctx);
  }
  return { triples: lines.length, method: 'update', graph: opts.graphIri ?? '' };
}
