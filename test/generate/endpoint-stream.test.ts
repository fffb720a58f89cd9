// A foreach over an endpoint query in the store's order (ORDER BY) renders each row as it arrives and keeps none,
// so a million-row foreach never holds its rows at once. Shown against a real HTTP server on 127.0.0.1 that holds
// the response open half-way until ggen has rendered what it sent; a template that can see the rows another way
// (named results) waits for all of them. A retried response starts the rendering over; a failed render fails the run.
import { createServer, type ServerResponse, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGeneration } from '../../src/generate/index.js';
import { runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

let server: Server;
let url: string;
let respond: (res: ServerResponse, n: number) => void = () => undefined;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => { req.resume(); req.on('end', () => respond(res, ++requests)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sparql`;
});
afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

const binding = (name: string) => JSON.stringify({ name: { type: 'literal', value: name } });
const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `n${String(from + i).padStart(3, '0')}`);
const QUERY = 'SELECT ?name WHERE { ?p <http://x/name> ?name } ORDER BY ?name';
const template = (body: string) => `---\nto: "{{ row.name }}.txt"\nforeach: people\nsparql:\n  people: "${QUERY}"\n---\n${body}`;

/**
 * Sends the head and the first `half` rows, then waits for `release` (or `ms`) before the rest; `atEnd` is told how
 * many outputs were rendered when the response ended.
 */
function halfThenRest(half: number, total: number, release: Promise<void>, ms: number, atEnd: () => void): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/sparql-results+json' });
    res.write(`{"head":{"vars":["name"]},"results":{"bindings":[${names(0, half).map(binding).join(',')}`);
    void Promise.race([release, new Promise((r) => setTimeout(r, ms))]).then(() => { atEnd(); res.end(`,${names(half, total).map(binding).join(',')}]}}`); });
  };
}

/** Generates 25 files from a response held open after 10 rows; how many were rendered before it ended. */
async function generate(body: string): Promise<{ renderedWhileOpen: number; dir: string }> {
  const dir = tree({ 'p.tmpl': template(body) });
  let done = 0;
  let renderedWhileOpen = -1;
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  respond = halfThenRest(10, 25, released, 400, () => { renderedWhileOpen = done; });
  await runGeneration({ templates: ['p.tmpl'], cwd: dir, outDir: 'out', endpoint: { url }, onProgress: (d) => { done = d; if (d >= 10) release(); } });
  expect(done).toBe(25);
  return { renderedWhileOpen, dir };
}

describe('a foreach from an endpoint, in the store\'s order', () => {
  it('renders the rows as they arrive (10 of 25 rendered while the response is still open)', async () => {
    const { renderedWhileOpen, dir } = await generate('{{ row.name }}\n');
    expect(renderedWhileOpen).toBe(10);
    expect(readdirSync(join(dir, 'out')).filter((f) => f !== '.ggen').sort()).toEqual(names(0, 25).map((n) => `${n}.txt`));
    expect(readFileSync(join(dir, 'out/n017.txt'), 'utf8')).toBe('n017\n');
  });

  it('waits for every row when the body can see them all (named results): same files', async () => {
    const { renderedWhileOpen, dir } = await generate('{{ row.name }} of {{ sparql_count(results=sparql_results.people) }}\n');
    expect(renderedWhileOpen).toBe(0);
    expect(readdirSync(join(dir, 'out')).filter((f) => f !== '.ggen')).toHaveLength(25);
    expect(readFileSync(join(dir, 'out/n017.txt'), 'utf8')).toBe('n017 of 25\n');
  });

  it('a connection dropped half-way is retried, and the rendering starts over: no output twice', async () => {
    respond = (res, n) => {
      res.writeHead(200, { 'content-type': 'application/sparql-results+json' });
      if (n % 2 === 1) { res.write(`{"head":{"vars":["name"]},"results":{"bindings":[${names(0, 2).map(binding).join(',')},`); setTimeout(() => res.socket?.destroy(), 20); return; }
      res.end(`{"head":{"vars":["name"]},"results":{"bindings":[${names(0, 3).map(binding).join(',')}]}}`);
    };
    const dir = tree({ 'p.tmpl': template('{{ row.name }}\n') });
    const r = await runGgen(['gen', 'p.tmpl', '--endpoint', url, '--out', 'out', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { written: string[]; operations: unknown[] };
    expect(json.written).toEqual(['n000.txt', 'n001.txt', 'n002.txt']);
    expect(json.operations).toHaveLength(3);
  });

  it('a row that fails to render fails the run, with nothing written', async () => {
    // The second row has no ?name: `row.name` is not there to render.
    respond = (res) => {
      res.writeHead(200, { 'content-type': 'application/sparql-results+json' });
      res.end(`{"head":{"vars":["name"]},"results":{"bindings":[${binding('a')},{},${binding('c')}]}}`);
    };
    const dir = tree({ 'p.tmpl': template('{{ row.name }}\n') });
    const r = await runGgen(['gen', 'p.tmpl', '--endpoint', url, '--out', 'out'], { cwd: dir });
    expect(r.stderr.split('\n')[0]).toBe('error: p.tmpl:2:1: variable "row.name" is not defined: "row" has no "name"');
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
