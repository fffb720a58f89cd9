// Graphs and queries for templates: the shared project graph, per-template extras (rdf:, rdf_inline:), named queries.
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GgenError, type SourceLocation } from '../errors.js';
import type { EndpointOptions } from '../graph/endpoint/index.js';
import type { Graph } from '../graph/index.js';
import { sha256Hex } from '../util/hash.js';
import { EndpointSource } from './endpoint-source.js';
import type { CachedResult } from './query-cache.js';
import { sortRowsCanonically, toCleanRows, toGgen1Rows, type ResultTerm, type ResultValue, type Row } from './rows.js';

export interface GraphSource {
  /** Absolute paths of the project's graph files (any order: the union is the same). */
  files: string[];
  baseIri?: string;
  prefixes?: Record<string, string>;
  /** Queries go to this SPARQL endpoint instead of the embedded store (files are then not loaded). */
  endpoint?: EndpointOptions;
  /** Called once the project graph (no extras) is loaded, e.g. to start hashing it. */
  onBaseLoaded?: (graph: Graph) => void;
}

/** Caches graphs by their set of inputs, so templates without extras share one graph. */
export class GraphCache {
  private readonly graphs = new Map<string, Promise<Graph>>();
  private remoteSource?: Promise<EndpointSource>;
  private loads = 0;
  constructor(private readonly source: GraphSource) {}

  /** Whether any graph was parsed (a run that reused everything, or found every result cached, parses none). */
  get parsed(): boolean {
    return this.loads > 0;
  }

  /**
   * The key of a graph's content without parsing it: its files' hashes, inline Turtle, base and prefixes.
   * Query results are cached under it.
   */
  async keyOf(extraFiles: string[], inline: Array<{ text: string; source: string }>, hashOf: (file: string) => Promise<string | null>): Promise<string> {
    const files = [...new Set([...this.source.files, ...extraFiles])].sort();
    const hashes = await Promise.all(files.map(hashOf));
    return sha256Hex(JSON.stringify([files.map((f, i) => [f, hashes[i]]), inline.map((i) => i.text), this.source.baseIri ?? null, Object.entries(this.source.prefixes ?? {}).sort()]));
  }

  /** The endpoint templates query, when the run has one. */
  remote(): Promise<EndpointSource> | undefined {
    if (this.source.endpoint === undefined) return undefined;
    this.remoteSource ??= EndpointSource.create(this.source.endpoint);
    return this.remoteSource;
  }

  base(): Promise<Graph> {
    return this.get([], []);
  }

  /** The project graph when something has loaded it already. */
  loadedBase(): Promise<Graph> | undefined {
    return this.graphs.get(this.keyFor([], []));
  }

  private keyFor(extraFiles: string[], inline: Array<{ text: string }>): string {
    return JSON.stringify([[...new Set([...this.source.files, ...extraFiles])].sort(), inline.map((i) => i.text)]);
  }

  /** The project graph plus extra files and inline Turtle (each loaded once per distinct combination). */
  get(extraFiles: string[], inline: Array<{ text: string; source: string }>): Promise<Graph> {
    const key = this.keyFor(extraFiles, inline);
    let graph = this.graphs.get(key);
    if (graph === undefined) {
      graph = this.load([...new Set([...this.source.files, ...extraFiles])].sort(), inline);
      this.graphs.set(key, graph);
      if (key === this.keyFor([], [])) void graph.then((g) => this.source.onBaseLoaded?.(g), () => undefined);
    }
    return graph;
  }

  private async load(files: string[], inline: Array<{ text: string; source: string }>): Promise<Graph> {
    this.loads++;
    // The store alone: the graph area's index would also load SHACL and canonicalisation, which generating rarely needs.
    const { Graph } = await import('../graph/graph.js');
    const graph = await Graph.create({ baseIri: this.source.baseIri });
    for (const file of files) await graph.loadFile(file);
    for (const item of inline) graph.loadText(item.text, { format: 'turtle', source: item.source });
    if (this.source.prefixes) graph.addPrefixes(this.source.prefixes);
    return graph;
  }
}

/** `BASE`/`PREFIX` lines from the frontmatter, placed before each of the template's queries and inline Turtle. */
export function prologFor(base: string | undefined, prefixes: Record<string, string>): string {
  const lines: string[] = [];
  if (base !== undefined && base !== '') lines.push(`BASE <${base}>`);
  for (const name of Object.keys(prefixes).sort()) lines.push(`PREFIX ${name}: <${prefixes[name]}>`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Resolves `rdf:` paths against the template's directory and checks that they exist. */
export async function resolveRdfFiles(templateFile: string, paths: string[], at: (i: number) => SourceLocation): Promise<string[]> {
  const out: string[] = [];
  for (const [i, p] of paths.entries()) {
    const abs = resolve(dirname(templateFile), p);
    try {
      await access(abs);
    } catch {
      throw new GgenError('E_IO', `rdf file not found: ${p} (resolved to ${abs})`, { at: at(i), hint: 'rdf: paths are relative to the template file' });
    }
    out.push(abs);
  }
  return out;
}

export interface QueryRunOptions {
  compat?: 'ggen1';
  source: string;
  at: SourceLocation;
}

/** Shaped rows per graph result: templates running the same query share rows (and sparql_where indexes). */
const shaped = new WeakMap<object, Map<string, ResultValue>>();

/** Runs one query; SELECT and ASK results come back as plain JSON (what the query cache stores), others as `graph`. */
export function queryForTemplate(graph: Graph, text: string, opts: QueryRunOptions): CachedResult | { kind: 'graph' } {
  let result;
  try {
    result = graph.query(text, { source: opts.source });
  } catch (err) {
    if (err instanceof GgenError && err.code === 'E_SPARQL') {
      throw new GgenError('E_SPARQL', `${opts.source}: ${err.message}`, { at: opts.at, hint: err.hint, detail: err.detail, cause: err });
    }
    throw err;
  }
  if (result.kind === 'ask') return result;
  if (result.kind === 'graph') return { kind: 'graph' };
  return result as CachedResult;
}

/** The same, against a SPARQL endpoint; errors already name the endpoint and the query, and gain its position. */
export async function runEndpointQuery(source: EndpointSource, text: string, opts: QueryRunOptions): Promise<ResultValue> {
  try {
    return await source.run(text, opts.source, opts.compat);
  } catch (err) {
    if (err instanceof GgenError && opts.at.line !== undefined && err.at === undefined) throw new GgenError(err.code, err.message, { at: opts.at, hint: err.hint, detail: err.detail, cause: err });
    throw err;
  }
}

/** Streams an ORDER BY SELECT's rows from the endpoint to `sink` (see EndpointSource.each); errors carry the query's position. */
export async function streamEndpointQuery(source: EndpointSource, text: string, opts: QueryRunOptions, sink: { row: (row: Row) => void; reset: () => void }): Promise<number> {
  try {
    return await source.each(text, opts.source, opts.compat, sink);
  } catch (err) {
    if (err instanceof GgenError && opts.at.line !== undefined && err.at === undefined) throw new GgenError(err.code, err.message, { at: opts.at, hint: err.hint, detail: err.detail, cause: err });
    throw err;
  }
}

/** For sparql() in a template body (synchronous): the request runs in a worker while this thread waits. */
export function runEndpointQuerySync(source: EndpointSource, text: string, opts: QueryRunOptions): ResultValue {
  return source.runSync(text, opts.source, opts.compat);
}

/** Shapes a result for templates; rows of queries without ORDER BY are sorted. Shared per result object. */
export function shapeResult(result: CachedResult | { kind: 'graph' }, text: string, compat: 'ggen1' | undefined): ResultValue {
  if (result.kind === 'ask') return result.value;
  if (result.kind === 'graph') return [];
  const mode = compat ?? 'clean';
  let cache = shaped.get(result);
  if (cache === undefined) shaped.set(result, (cache = new Map()));
  const hit = cache.get(mode);
  if (hit !== undefined) return hit;
  let rows = result.rows as Array<Record<string, ResultTerm>>;
  if (!/\border\s+by\b/i.test(text)) {
    rows = [...rows];
    sortRowsCanonically(rows, result.variables);
  }
  const value = compat === 'ggen1' ? toGgen1Rows(rows, result.variables) : toCleanRows(rows, result.variables);
  cache.set(mode, value);
  return value;
}

/** Runs one query and shapes its result for templates. */
export function runTemplateQuery(graph: Graph, text: string, opts: QueryRunOptions): ResultValue {
  return shapeResult(queryForTemplate(graph, text, opts), text, opts.compat);
}
