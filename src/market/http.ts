// HTTP GET for registries: timeouts, retries with backoff on 5xx and network errors, none on 4xx.
import { GgenError } from '../errors.js';

export interface HttpOptions {
  headers?: Record<string, string>;
  /** Per-attempt timeout (ms); default $GGEN_HTTP_TIMEOUT_MS or 30000. */
  timeoutMs?: number;
  /** Total attempts; default 1 + ($GGEN_HTTP_RETRIES or 2). */
  attempts?: number;
  /** What is fetched, for messages ("registry index", "tarball of x@1.0.0"). */
  what: string;
  /** Refuse bodies larger than this many bytes. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

const envInt = (name: string, fallback: number): number => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  return e.cause?.message ?? e.message ?? String(err);
}

/** GETs `url`; returns 2xx and 304 responses; throws E_NETWORK (after retries) or E_REGISTRY (4xx). */
export async function httpGet(url: string, opts: HttpOptions): Promise<HttpResponse> {
  const timeoutMs = opts.timeoutMs ?? envInt('GGEN_HTTP_TIMEOUT_MS', 30_000);
  const attempts = Math.max(1, opts.attempts ?? 1 + envInt('GGEN_HTTP_RETRIES', 2));
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(100 * 2 ** (attempt - 2));
    try {
      const res = await fetch(url, { headers: opts.headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (res.status === 304 || (res.status >= 200 && res.status < 300)) {
        const body = Buffer.from(await res.arrayBuffer());
        if (opts.maxBytes !== undefined && body.length > opts.maxBytes) {
          throw new GgenError('E_REGISTRY', `${opts.what} is larger than ${opts.maxBytes} bytes`, { at: { file: url } });
        }
        return { status: res.status, headers: res.headers, body };
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 400 && res.status < 500) {
        // A client error will not fix itself: no retry.
        throw new GgenError('E_REGISTRY', `${opts.what}: HTTP ${res.status} ${res.statusText}`.trimEnd(), {
          at: { file: url },
          hint: res.status === 404 ? 'check the registry URL (it should point at the directory holding index.json)' : 'check the registry URL and your access',
        });
      }
      lastProblem = `HTTP ${res.status} ${res.statusText}`.trimEnd();
    } catch (err) {
      if (err instanceof GgenError) throw err;
      lastProblem = describeNetworkError(err);
    }
  }
  throw new GgenError('E_NETWORK', `cannot fetch ${opts.what}: ${lastProblem} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, {
    at: { file: url },
    hint: 'is the registry up? `--offline` uses the cached index and packs',
  });
}
