// Templates' queries sent to a SPARQL endpoint instead of the embedded store: one request per distinct query
// text per run, and a hash of every result for the receipt (the store's data is not ours to hash).
import { createHash } from 'node:crypto';
import type { EndpointOptions, EndpointResult, SparqlEndpoint } from '../graph/endpoint/index.js';
import { rdfTermToNTriples } from '../graph/index.js';

const ORDERED = /\border\s+by\b/i;

export class EndpointSource {
  private readonly results = new Map<string, Promise<EndpointResult>>();
  private constructor(readonly endpoint: SparqlEndpoint) {}

  static async create(opts: EndpointOptions): Promise<EndpointSource> {
    const { SparqlEndpoint } = await import('../graph/endpoint/index.js');
    return new EndpointSource(new SparqlEndpoint(opts));
  }

  get url(): string {
    return this.endpoint.url;
  }

  run(text: string, source: string): Promise<EndpointResult> {
    let result = this.results.get(text);
    if (result === undefined) {
      result = this.endpoint.query(text, { source });
      this.results.set(text, result);
    }
    return result;
  }

  /** SHA-256 over every query text and its result (rows as N-Triples terms). */
  async resultsHash(): Promise<string> {
    const hash = createHash('sha256');
    for (const text of [...this.results.keys()].sort()) {
      const result = await this.results.get(text)!;
      hash.update(`${text}\u0000`);
      if (result.kind === 'ask') hash.update(`ask ${result.value}\n`);
      else if (result.kind === 'graph') hash.update(result.ntriples);
      else {
        hash.update(`${result.variables.join(' ')}\n`);
        const lines = result.rows.map((row) => result.variables.map((v) => (row[v] ? rdfTermToNTriples(row[v]) : '')).join('\t'));
        // Without ORDER BY the store's order is not defined (ggen sorts such rows too).
        if (!ORDERED.test(text)) lines.sort();
        for (const line of lines) hash.update(`${line}\n`);
      }
      hash.update('\u0001');
    }
    return hash.digest('hex');
  }
}
