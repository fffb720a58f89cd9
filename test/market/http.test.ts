// Registry HTTP: retries with backoff on 5xx, none on 4xx, timeouts, ETag revalidation, --offline from cache.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cli.js';
import { httpGet } from '../../src/market/http.js';
import { loadRegistry } from '../../src/market/sources.js';
import { tinyServer, type TinyServer } from './helpers.js';

const INDEX = JSON.stringify({ updated: '2026-01-01T00:00:00Z', packs: { 'io.a': { id: 'io.a', name: 'A', description: 'a', tags: [], keywords: [], latest_version: '1.0.0', versions: { '1.0.0': { version: '1.0.0' } } } } });
const servers: TinyServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (cleanups.length) cleanups.pop()!();
});
async function server(handle: Parameters<typeof tinyServer>[0]) {
  const s = await tinyServer(handle);
  servers.push(s);
  return s;
}
function cacheDir() {
  const t = makeTempDir('ggen-market-http-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('registry HTTP', () => {
  it('retries 5xx three times in all, then fails with a clear error', async () => {
    const s = await server((_q, res) => { res.writeHead(503); res.end(); });
    await expect(httpGet(`${s.url}index.json`, { what: 'registry index' })).rejects.toThrow('cannot fetch registry index: HTTP 503 Service Unavailable (after 3 attempts)');
    expect(s.hits).toHaveLength(3);
  });
  it('succeeds when a retry succeeds', async () => {
    const s = await server((_q, res, hit) => { if (hit < 3) { res.writeHead(500); res.end(); } else { res.writeHead(200); res.end('ok'); } });
    const res = await httpGet(`${s.url}x`, { what: 'x' });
    expect(res.body.toString()).toBe('ok');
    expect(s.hits).toHaveLength(3);
  });
  it('does not retry 4xx', async () => {
    const s = await server((_q, res) => { res.writeHead(404); res.end(); });
    await expect(httpGet(`${s.url}index.json`, { what: 'registry index' })).rejects.toThrow('registry index: HTTP 404 Not Found');
    expect(s.hits).toHaveLength(1);
  });
  it('times out a silent server', async () => {
    const s = await server(() => { /* never answers */ });
    await expect(httpGet(`${s.url}x`, { what: 'x', timeoutMs: 150, attempts: 2 })).rejects.toThrow('cannot fetch x: timed out (after 2 attempts)');
    expect(s.hits).toHaveLength(2);
  });
  it('reports a refused connection', async () => {
    const s = await server(() => undefined);
    const url = s.url;
    await servers.pop()!.close();
    await expect(httpGet(`${url}x`, { what: 'x', attempts: 1 })).rejects.toThrow('cannot fetch x: connection refused (after 1 attempt)');
  });
  it('caches the index, revalidates with ETag/If-Modified-Since, and serves --offline from the cache', async () => {
    const seen: Array<string | undefined> = [];
    const s = await server((req, res) => {
      seen.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304); res.end(); return; }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2026 00:00:00 GMT', 'content-type': 'application/json' });
      res.end(INDEX);
    });
    const cacheRoot = cacheDir();
    const source = { url: s.url, trustedKeys: [] };
    const first = await loadRegistry(source, { cacheRoot });
    expect(first.fromCache).toBe(false);
    const second = await loadRegistry(source, { cacheRoot });
    expect(second.fromCache).toBe(true);
    expect(Object.keys(second.index.packs)).toEqual(['io.a']);
    expect(seen).toEqual([undefined, '"v1"']);
    await servers.pop()!.close();
    // Down: a clear error that points at --offline; --offline works.
    await expect(loadRegistry(source, { cacheRoot })).rejects.toThrow(expect.objectContaining({ code: 'E_NETWORK', hint: expect.stringContaining('`--offline` uses the index cached at') }));
    const offline = await loadRegistry(source, { cacheRoot, offline: true });
    expect(Object.keys(offline.index.packs)).toEqual(['io.a']);
  });
  it('keeps the cached index when the server sends a broken one', async () => {
    let broken = false;
    const s = await server((_q, res) => { res.writeHead(200); res.end(broken ? '{ "packs": ' : INDEX); });
    const cacheRoot = cacheDir();
    const source = { url: s.url, trustedKeys: [] };
    await loadRegistry(source, { cacheRoot });
    broken = true;
    await expect(loadRegistry(source, { cacheRoot })).rejects.toThrow(expect.objectContaining({ code: 'E_REGISTRY', at: { file: `${s.url}index.json`, line: 1, column: 12 } }));
    expect(Object.keys((await loadRegistry(source, { cacheRoot, offline: true })).index.packs)).toEqual(['io.a']);
  });
  it('offline without a cached index says so', async () => {
    await expect(loadRegistry({ url: 'http://127.0.0.1:9/', trustedKeys: [] }, { cacheRoot: cacheDir(), offline: true })).rejects.toThrow('no cached index for http://127.0.0.1:9/ (offline)');
  });
});
