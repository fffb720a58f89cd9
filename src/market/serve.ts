// `market serve DIR`: a static HTTP server for a directory registry, with ETag/Last-Modified and byte ranges.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { GgenError } from '../errors.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Called once per request (method, path, status), e.g. for a log line. */
  onRequest?: (info: { method: string; path: string; status: number }) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.json': 'application/json', '.tgz': 'application/gzip', '.gz': 'application/gzip', '.pub': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8' };

// The ETag derives from size, mtime and path: cheap, and it changes whenever a file is rewritten (atomic rename).
function etagFor(path: string, size: number, mtimeMs: number): string {
  return `"${createHash('sha1').update(`${path}:${size}:${mtimeMs}`).digest('hex').slice(0, 27)}"`;
}

type Range = { start: number; end: number } | 'unsatisfiable' | undefined;

/** Parses a single `bytes=` range; multiple ranges or a bad header mean "serve the whole file". */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function handler(root: string, opts: ServeOptions) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const finish = (status: number, body?: string, headers: Record<string, string | number> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(method === 'HEAD' ? undefined : body);
      opts.onRequest?.({ method, path: req.url ?? '', status });
    };
    if (method !== 'GET' && method !== 'HEAD') return finish(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return finish(400, 'bad request\n');
    }
    if (pathname.endsWith('/')) pathname += 'index.json';
    const parts = pathname.split('/').filter((p) => p !== '');
    // No traversal, no hidden files (lock files, temp files), no NUL.
    if (parts.some((p) => p === '..' || p.startsWith('.') || p.includes('\0') || p.includes('\\'))) return finish(404, 'not found\n');
    let file = resolve(root, ...parts);
    let info;
    try {
      // Symlinks are followed only while they stay inside the served directory.
      file = realpathSync(file);
      info = statSync(file);
    } catch {
      return finish(404, 'not found\n');
    }
    if (!file.startsWith(root + sep)) return finish(404, 'not found\n');
    if (!info.isFile()) return finish(404, 'not found\n');
    const etag = etagFor(file, info.size, info.mtimeMs);
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
    const ext = /\.[^./]+$/.exec(file)?.[0] ?? '';
    const base = { etag, 'last-modified': lastModified, 'accept-ranges': 'bytes', 'cache-control': 'no-cache', 'content-type': TYPES[ext] ?? 'application/octet-stream' };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm !== undefined ? inm.split(',').map((s) => s.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*') : ims !== undefined && Date.parse(ims) >= Date.parse(lastModified)) {
      res.writeHead(304, { etag, 'last-modified': lastModified, 'cache-control': 'no-cache' });
      res.end();
      opts.onRequest?.({ method, path: pathname, status: 304 });
      return;
    }
    // If-Range: a range applies only to the representation the client already has.
    const ifRange = req.headers['if-range'];
    const rangeHeader = ifRange !== undefined && ifRange !== etag && ifRange !== lastModified ? undefined : req.headers.range;
    const range = parseRange(rangeHeader, info.size);
    if (range === 'unsatisfiable') return finish(416, 'range not satisfiable\n', { ...base, 'content-type': 'text/plain; charset=utf-8', 'content-range': `bytes */${info.size}` });
    const status = range ? 206 : 200;
    const headers: Record<string, string | number> = { ...base, 'content-length': range ? range.end - range.start + 1 : info.size };
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    res.writeHead(status, headers);
    opts.onRequest?.({ method, path: pathname, status });
    if (method === 'HEAD' || info.size === 0) {
      res.end();
      return;
    }
    createReadStream(file, range ? { start: range.start, end: range.end } : {}).on('error', () => res.destroy()).pipe(res);
  };
}

/** Starts serving `dir`; resolves once listening (port 0 picks a free port). */
export async function serveRegistry(dir: string, opts: ServeOptions = {}): Promise<RunningServer> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GgenError('E_USAGE', 'registry directory not found', { at: { file: dir } });
  const root = realpathSync(resolve(dir));
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new GgenError('E_USAGE', 'registry directory not found', { at: { file: dir } });
  if (!existsSync(join(root, 'index.json'))) throw new GgenError('E_REGISTRY', 'the directory has no index.json', { at: { file: join(root, 'index.json') }, hint: 'publish a pack into it first: ggen market publish PACK_DIR --registry file://…' });
  const server = createServer(handler(root, opts));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new GgenError('E_USAGE', `cannot listen on ${host}:${opts.port ?? 0}: ${err.code ?? err.message}`, { hint: err.code === 'EADDRINUSE' ? 'choose another --port' : undefined })));
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    server,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
