// Templates' queries sent to a SPARQL endpoint instead of the embedded store: one request per distinct query
// text (and row shape) per run, rows shaped as they stream in, and a hash of every result for the receipt
// (the store's data is not ours to hash).
import { createHash, type Hash } from 'node:crypto';
// Light modules only (no store): the endpoint path never loads oxigraph.
import { queryKind, type EndpointOptions, type SparqlEndpoint } from '../graph/endpoint/client.js';
import type { Bindings } from '../graph/index.js';
import { termToNTriples as rdfTermToNTriples } from '../graph/results.js';
import { SyncEndpoint } from '../graph/endpoint/sync.js';
import { rowShaper, sortRowsCanonically, type ResultTerm, type ResultValue, type Row } from './rows.js';

const ORDERED = /\border\s+by\b/i;

const line = (variables: readonly string[], row: Bindings) => variables.map((v) => (row[v] ? rdfTermToNTriples(row[v]) : '')).join('\t');

export class EndpointSource {
  private readonly values = new Map<string, Promise<ResultValue>>();
  /** Per query text: the SHA-256 of its result (rows in ggen's order). */
  private readonly digests = new Map<string, string>();
  private readonly syncValues = new Map<string, ResultValue>();
  private sync?: SyncEndpoint;
  private constructor(readonly endpoint: SparqlEndpoint, private readonly opts: EndpointOptions) {}

  static async create(opts: EndpointOptions): Promise<EndpointSource> {
    const { SparqlEndpoint } = await import('../graph/endpoint/client.js');
    return new EndpointSource(new SparqlEndpoint(opts), opts);
  }

  /**
   * For `sparql()` in a template body, which renders synchronously: the request runs in a worker thread
   * while this one waits. Cached per text like the frontmatter's queries, and hashed for the receipt.
   */
  runSync(text: string, source: string, compat?: 'ggen1'): ResultValue {
    const key = `${compat ?? 'clean'}\u0000${text}`;
    const hit = this.syncValues.get(key);
    if (hit !== undefined) return hit;
    this.sync ??= new SyncEndpoint(this.opts);
    const result = this.sync.query(text, source);
    let value: ResultValue;
    if (result.kind === 'select') {
      const raw = result.rows as Array<Record<string, ResultTerm>>;
      if (!ORDERED.test(text)) sortRowsCanonically(raw, result.variables);
      const hash = createHash('sha256').update(`${result.variables.join(' ')}\n`);
      for (const b of result.rows) hash.update(`${line(result.variables, b)}\n`);
      this.digests.set(text, hash.digest('hex'));
      value = raw.map(rowShaper(result.variables, compat));
    } else {
      this.digests.set(text, sha256(result.kind === 'ask' ? `ask ${result.value}` : result.ntriples));
      value = result.kind === 'ask' ? result.value : [];
    }
    this.syncValues.set(key, value);
    return value;
  }

  /** Stops the worker of runSync, if one was started. */
  close(): void {
    this.sync?.close();
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** Template rows for a query (ASK: a boolean; CONSTRUCT/DESCRIBE: no rows), cached per text and shape. */
  run(text: string, source: string, compat?: 'ggen1'): Promise<ResultValue> {
    const key = `${compat ?? 'clean'}\u0000${text}`;
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.fetch(text, source, compat);
      this.values.set(key, value);
    }
    return value;
  }

  private async fetch(text: string, source: string, compat: 'ggen1' | undefined): Promise<ResultValue> {
    const ctx = { source };
    const kind = queryKind(text);
    if (kind !== 'select') {
      const result = await this.endpoint.query(text, ctx);
      this.digests.set(text, sha256(result.kind === 'ask' ? `ask ${result.value}` : result.kind === 'graph' ? result.ntriples : ''));
      return result.kind === 'ask' ? result.value : [];
    }
    if (ORDERED.test(text)) {
      let rows: Row[] = [];
      await this.streamRows(text, ctx, compat, { row: (row) => { rows.push(row); }, reset: () => { rows = []; } });
      return rows;
    }
    // Without ORDER BY the store's order is not defined: rows are sorted as ggen sorts the embedded store's.
    const result = await this.endpoint.query(text, ctx);
    if (result.kind !== 'select') return result.kind === 'ask' ? result.value : [];
    const raw = result.rows as Array<Record<string, ResultTerm>>;
    sortRowsCanonically(raw, result.variables);
    const hash = createHash('sha256').update(`${result.variables.join(' ')}\n`);
    for (const b of result.rows) hash.update(`${line(result.variables, b)}\n`);
    this.digests.set(text, hash.digest('hex'));
    return raw.map(rowShaper(result.variables, compat));
  }

  /**
   * Hands an ORDER BY SELECT's rows to `sink` one at a time as they arrive, shaped, keeping none (a foreach over a
   * million rows renders them as they come); `reset` when a retried request starts over. Returns the number of rows.
   * Only for queries streams() accepts (without ORDER BY the rows are sorted first, so run() gives them).
   */
  async each(text: string, source: string, compat: 'ggen1' | undefined, sink: { row: (row: Row) => void; reset: () => void }): Promise<number> {
    if (!this.streams(text, compat)) throw new Error(`not a streamed query: ${source}`);
    return this.streamRows(text, { source }, compat, sink);
  }

  /** Whether each() streams this query: a SELECT with ORDER BY whose rows this run has not fetched already. */
  streams(text: string, compat: 'ggen1' | undefined): boolean {
    return ORDERED.test(text) && queryKind(text) === 'select' && !this.values.has(`${compat ?? 'clean'}\u0000${text}`);
  }

  /** The store's order is the order: each row is shaped (and hashed) as it arrives; no raw rows are kept. */
  private async streamRows(text: string, ctx: { source: string }, compat: 'ggen1' | undefined, sink: { row: (row: Row) => void; reset: () => void }): Promise<number> {
    let hash: Hash = createHash('sha256');
    let vars: string[] | undefined;
    let shape: ((b: Record<string, ResultTerm>) => Row) | undefined;
    let raw: Bindings[] = []; // only when a store sends `head` after the bindings
    let count = 0;
    const head = await this.endpoint.stream(text, ctx, {
      head: (v) => { vars = v; shape = rowShaper(v, compat); hash.update(`${v.join(' ')}\n`); },
      row: (b) => {
        if (shape === undefined) { raw.push(b); return; }
        count++;
        hash.update(`${line(vars!, b)}\n`);
        sink.row(shape(b as Record<string, ResultTerm>));
      },
      reset: () => { raw = []; count = 0; hash = createHash('sha256'); vars = undefined; shape = undefined; sink.reset(); },
    });
    this.endpoint.assertComplete(head, ctx);
    if (shape === undefined) {
      hash.update(`${head.variables.join(' ')}\n`);
      const late = rowShaper(head.variables, compat);
      for (const b of raw) { count++; hash.update(`${line(head.variables, b)}\n`); sink.row(late(b as Record<string, ResultTerm>)); }
    }
    this.digests.set(text, hash.digest('hex'));
    return count;
  }

  /** Forgets the rows (once every template has rendered); their hashes stay for resultsHash. */
  releaseRows(): void {
    this.values.clear();
    this.syncValues.clear();
  }

  /** SHA-256 over every query text and the hash of its result. */
  async resultsHash(): Promise<string> {
    await Promise.allSettled(this.values.values());
    const hash = createHash('sha256');
    for (const text of [...this.digests.keys()].sort()) hash.update(`${text}\u0000${this.digests.get(text)}\n`);
    return hash.digest('hex');
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
