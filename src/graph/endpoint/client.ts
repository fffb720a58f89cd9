// A SPARQL 1.1 Protocol client: GET for short queries, POST for long ones, default/named graphs, auth from
// environment variables, a timeout per request, retries with backoff on 5xx and dropped connections, and
// SELECT results parsed as they stream in.
import { GgenError } from '../../errors.js';
import type { Bindings, RdfTerm } from '../results.js';
import { fromJsonTerm } from '../results.js';
import { SparqlJsonSplitter, type JsonResultEvent } from './json-stream.js';

export type EndpointAuth = { userEnv: string; passwordEnv: string } | { tokenEnv: string };

export interface EndpointOptions {
  url: string;
  /** `default-graph-uri` for every query (the protocol's dataset; FROM in a query still wins). */
  defaultGraphs?: string[];
  /** `named-graph-uri` for every query. */
  namedGraphs?: string[];
  /** Names of environment variables holding the credentials (never the secrets themselves). */
  auth?: EndpointAuth;
  env?: NodeJS.ProcessEnv;
  /** Per request, ms (default 60 s): a stalled body counts too. */
  timeoutMs?: number;
  /** Attempts after the first on 5xx, 429 and dropped connections (default 3). */
  retries?: number;
  /** First backoff, doubled each retry (default 250 ms). */
  backoffMs?: number;
  /** Queries whose GET URL would be longer than this go by POST (default 2048). */
  maxGetUrl?: number;
}

export interface QueryContext {
  /** What the query is, for messages: `query "classes" in templates/a.tmpl`. */
  source: string;
}

/** Where streamed rows go; `reset()` before a retry delivers them again from the start. */
export interface RowSink {
  head?(variables: string[]): void;
  row(row: Bindings): void;
  reset(): void;
}

export type EndpointResult =
  | { kind: 'select'; variables: string[]; rows: Bindings[] }
  | { kind: 'ask'; value: boolean }
  | { kind: 'graph'; ntriples: string };

const JSON_RESULTS = 'application/sparql-results+json';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/** A query's kind from its first keyword after the prolog (BASE/PREFIX) and comments. */
export function queryKind(text: string): 'select' | 'ask' | 'graph' {
  const body = text.replace(/#[^\n]*/g, ' ').replace(/\b(BASE\s*<[^>]*>|PREFIX\s+[^:\s]*:\s*<[^>]*>)/gi, ' ');
  const m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
  const k = m?.[1]?.toUpperCase();
  return k === 'ASK' ? 'ask' : k === 'CONSTRUCT' || k === 'DESCRIBE' ? 'graph' : 'select';
}

/** Terms as ggen's store returns them: `typed-literal` is a literal; Virtuoso's xsd:boolean 1/0 are true/false. */
export function normaliseTerm(json: unknown): RdfTerm {
  const t = json as { type: string; value: string; datatype?: string };
  if (t.type === 'typed-literal') {
    const term: RdfTerm = { type: 'literal', value: t.value, datatype: t.datatype };
    if (t.datatype === `${XSD}boolean` && (t.value === '1' || t.value === '0')) term.value = t.value === '1' ? 'true' : 'false';
    return term;
  }
  if (t.type === 'literal' && t.datatype === `${XSD}boolean` && (t.value === '1' || t.value === '0')) return { ...t, type: 'literal', value: t.value === '1' ? 'true' : 'false' } as RdfTerm;
  return fromJsonTerm(json);
}

function normaliseBinding(binding: Record<string, unknown>): Bindings {
  const out: Bindings = {};
  for (const [name, term] of Object.entries(binding)) out[name] = normaliseTerm(term);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SparqlEndpoint {
  readonly url: string;
  private readonly opts: EndpointOptions;

  constructor(opts: EndpointOptions) {
    let parsed: URL;
    try {
      parsed = new URL(opts.url);
    } catch {
      throw new GgenError('E_USAGE', `endpoint "${opts.url}" is not a URL`, { hint: 'use e.g. --endpoint http://localhost:8890/sparql' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new GgenError('E_USAGE', `endpoint "${opts.url}" is not http(s)`, { hint: 'SPARQL endpoints are http:// or https:// URLs' });
    this.url = opts.url;
    this.opts = opts;
  }

  /** The Authorization header from the named variables; a variable that is unset is an error, not anonymous access. */
  authorization(): string | undefined {
    const auth = this.opts.auth;
    if (auth === undefined) return undefined;
    const env = this.opts.env ?? process.env;
    const need = (name: string): string => {
      const v = env[name];
      if (v === undefined || v === '') throw new GgenError('E_CONFIG', `endpoint ${this.url}: environment variable ${name} (named by [graph] auth) is not set`, { hint: 'export it before running ggen; ggen.toml holds only variable names, never secrets' });
      return v;
    };
    if ('tokenEnv' in auth) return `Bearer ${need(auth.tokenEnv)}`;
    return `Basic ${Buffer.from(`${need(auth.userEnv)}:${need(auth.passwordEnv)}`).toString('base64')}`;
  }

  private dataset(params: URLSearchParams): void {
    for (const g of this.opts.defaultGraphs ?? []) params.append('default-graph-uri', g);
    for (const g of this.opts.namedGraphs ?? []) params.append('named-graph-uri', g);
  }

  /** One query request: GET when the URL stays short, else POST with a form body (both in the protocol). */
  private queryRequest(query: string, accept: string): { url: string; init: RequestInit } {
    const params = new URLSearchParams();
    params.set('query', query);
    this.dataset(params);
    const headers: Record<string, string> = { accept };
    const auth = this.authorization();
    if (auth) headers.authorization = auth;
    const sep = this.url.includes('?') ? '&' : '?';
    const get = `${this.url}${sep}${params.toString()}`;
    if (get.length <= (this.opts.maxGetUrl ?? 2048)) return { url: get, init: { method: 'GET', headers } };
    return { url: this.url, init: { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() } };
  }

  /**
   * Sends a request with retries; `consume` reads the body under the same timeout. A 5xx, 429 or dropped
   * connection is retried (the body is consumed from scratch, so a retry never duplicates rows).
   */
  async request<T>(url: string, init: RequestInit, ctx: QueryContext, consume: (res: Response) => Promise<T>): Promise<T> {
    const retries = this.opts.retries ?? 3;
    const timeoutMs = this.opts.timeoutMs ?? 60_000;
    let delay = this.opts.backoffMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let retryable: string | undefined;
      try {
        const res = await fetch(url, { ...init, signal: controller.signal });
        if (res.ok) return await consume(res);
        const text = (await res.text().catch(() => '')).trim().split('\n')[0]?.slice(0, 200) ?? '';
        // Virtuoso reports a query it cannot run as HTTP 500 with its SQL state: retrying would not help.
        const sqlState = /^Virtuoso (\w{5}) Error/.exec(text)?.[1];
        if (sqlState !== undefined && !/^(40|08)/.test(sqlState)) throw new GgenError('E_SPARQL', `endpoint ${this.url}: ${ctx.source}: the store failed the query: ${text}`, { hint: 'the store does not run this query as written; see docs/graph.md (Endpoints) for known store differences' });
        if (RETRY_STATUS.has(res.status)) retryable = `HTTP ${res.status}${text ? ` (${text})` : ''}`;
        else throw this.statusError(res.status, text, ctx);
      } catch (err) {
        if (err instanceof GgenError) throw err;
        if (controller.signal.aborted) {
          throw new GgenError('E_TIMEOUT', `endpoint ${this.url}: ${ctx.source} timed out after ${timeoutMs} ms`, { hint: 'raise [graph] timeout_ms (graph query: --timeout MS), or make the query cheaper', cause: err });
        }
        if (err instanceof SyntaxError) throw new GgenError('E_NETWORK', `endpoint ${this.url}: ${ctx.source}: the response is not valid SPARQL JSON results (${err.message})`, { hint: 'check that the URL is the SPARQL endpoint itself (…/sparql)', cause: err });
        retryable = describeNetworkError(err);
      } finally {
        clearTimeout(timer);
      }
      if (attempt >= retries) {
        throw new GgenError('E_NETWORK', `endpoint ${this.url}: ${ctx.source} failed after ${attempt + 1} attempts: ${retryable}`, { hint: retryable?.startsWith('HTTP') ? 'the store keeps failing this request; check its log' : 'check that the endpoint is up and reachable' });
      }
      await sleep(delay);
      delay *= 2;
    }
  }

  private statusError(status: number, text: string, ctx: QueryContext): GgenError {
    const where = `endpoint ${this.url}: ${ctx.source}`;
    if (status === 401) return new GgenError('E_NETWORK', `${where}: 401 unauthorized`, { hint: this.opts.auth ? 'the credentials in the variables named by [graph] auth were refused' : 'the endpoint needs credentials: set [graph] auth = { user_env = "…", password_env = "…" } or { token_env = "…" }' });
    if (status === 403) return new GgenError('E_NETWORK', `${where}: 403 forbidden`, { hint: 'the account may not run this (for updates: grant SPARQL UPDATE to it)' });
    if (status === 404) return new GgenError('E_NETWORK', `${where}: 404 not found`, { hint: 'check the endpoint URL (Virtuoso: http://host:8890/sparql, Fuseki: http://host:3030/DATASET/sparql)' });
    if (status === 400) return new GgenError('E_SPARQL', `${where}: the endpoint rejected the query: ${text || 'HTTP 400'}`, { hint: 'the store may not support a construct the embedded store accepts' });
    return new GgenError('E_NETWORK', `${where}: HTTP ${status}${text ? ` (${text})` : ''}`);
  }

  /**
   * Streams a SELECT's rows to the sink as they arrive (after `head` when the store sends it first). A retry
   * after a dropped connection calls `reset()` first, so rows are never delivered twice.
   */
  async stream(query: string, ctx: QueryContext, sink: RowSink): Promise<{ variables: string[]; boolean?: boolean; maxRows?: number; rows: number }> {
    const { url, init } = this.queryRequest(query, JSON_RESULTS);
    let attempt = 0;
    return this.request(url, init, ctx, async (res) => {
      if (attempt++ > 0) sink.reset();
      const maxRows = Number(res.headers.get('x-sparql-maxrows') ?? NaN);
      const splitter = new SparqlJsonSplitter();
      const decoder = new TextDecoder('utf-8', { fatal: false });
      let rows = 0;
      const take = (events: JsonResultEvent[]) => {
        for (const ev of events) {
          if (ev.kind === 'head') sink.head?.(ev.vars);
          else if (ev.kind === 'row') { rows++; sink.row(normaliseBinding(ev.binding)); }
        }
      };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) take(splitter.feed(decoder.decode(chunk, { stream: true })));
      take(splitter.feed(decoder.decode()));
      const doc = splitter.end().document as { head?: { vars?: string[] }; boolean?: boolean };
      return { variables: doc.head?.vars ?? [], rows, ...(typeof doc.boolean === 'boolean' ? { boolean: doc.boolean } : {}), ...(Number.isFinite(maxRows) ? { maxRows } : {}) };
    });
  }

  /** A store that cut the results at its limit says so in X-SPARQL-MaxRows: an error, not a silent truncation. */
  assertComplete(head: { maxRows?: number; rows: number }, ctx: QueryContext): void {
    if (head.maxRows !== undefined && head.rows >= head.maxRows) {
      throw new GgenError('E_GENERATE', `endpoint ${this.url}: ${ctx.source}: the store cut the results at ${head.maxRows} rows (X-SPARQL-MaxRows)`, { hint: 'raise the store\'s result limit (Virtuoso: [SPARQL] ResultSetMaxRows in virtuoso.ini)' });
    }
  }

  /** Runs a query: SELECT rows (parsed as they stream), an ASK value, or CONSTRUCT/DESCRIBE as N-Triples. */
  async query(query: string, ctx: QueryContext): Promise<EndpointResult> {
    const kind = queryKind(query);
    if (kind === 'graph') {
      const { url, init } = this.queryRequest(query, 'application/n-triples, text/plain;q=0.5');
      return { kind: 'graph', ntriples: await this.request(url, init, ctx, (res) => res.text()) };
    }
    let rows: Bindings[] = [];
    const head = await this.stream(query, ctx, { row: (row) => rows.push(row), reset: () => { rows = []; } });
    this.assertComplete(head, ctx);
    if (head.boolean !== undefined) return { kind: 'ask', value: head.boolean };
    // Virtuoso answers an ASK with a dataset (default-graph-uri) as one row of `__ASK_RETVAL` = 1 or 0.
    if (kind === 'ask') return { kind: 'ask', value: rows.length === 1 && head.variables.length === 1 && ['1', 'true'].includes(rows[0]![head.variables[0]!]?.value ?? '') };
    return { kind: 'select', variables: head.variables, rows };
  }

  /** SPARQL 1.1 Update (INSERT DATA, CLEAR…), form-encoded POST. */
  async update(text: string, ctx: QueryContext): Promise<void> {
    const params = new URLSearchParams();
    params.set('update', text);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' };
    const auth = this.authorization();
    if (auth) headers.authorization = auth;
    await this.request(this.url, { method: 'POST', headers, body: params.toString() }, ctx, async (res) => { await res.arrayBuffer(); });
  }

  /**
   * SPARQL 1.1 Graph Store HTTP Protocol: PUT replaces, POST adds. Returns false when the store has no Graph
   * Store at `storeUrl` (404/405/415/501), so the caller can fall back to UPDATE.
   */
  async graphStore(storeUrl: string, method: 'PUT' | 'POST', graphIri: string | undefined, body: string, contentType: string, ctx: QueryContext): Promise<boolean> {
    const sep = storeUrl.includes('?') ? '&' : '?';
    const url = `${storeUrl}${sep}${graphIri === undefined ? 'default' : `graph=${encodeURIComponent(graphIri)}`}`;
    const headers: Record<string, string> = { 'content-type': contentType };
    const auth = this.authorization();
    if (auth) headers.authorization = auth;
    try {
      await this.request(url, { method, headers, body }, ctx, async (res) => { await res.arrayBuffer(); });
      return true;
    } catch (err) {
      if (err instanceof GgenError && /: (404 not found|HTTP (405|415|501))/.test(err.message)) return false;
      throw err;
    }
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  if (code) return code;
  return cause?.message ?? (err as Error).message;
}
