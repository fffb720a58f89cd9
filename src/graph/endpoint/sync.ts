// Synchronous queries for `sparql()` in template bodies, which render synchronously: the request runs in a
// worker thread with the ordinary client while this thread waits on a shared flag.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { GgenError, type ErrorCode } from '../../errors.js';
import type { EndpointOptions, EndpointResult } from './client.js';

/** dist/sparql-worker.mjs, from the bundle's entry or one of its chunks. */
function workerFile(): string | undefined {
  for (const rel of ['./sparql-worker.mjs', '../sparql-worker.mjs']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

export class SyncEndpoint {
  private worker?: Worker;
  constructor(private readonly opts: EndpointOptions) {}

  query(text: string, source: string): EndpointResult {
    if (this.worker === undefined) {
      const file = workerFile();
      if (file === undefined) throw new GgenError('E_TEMPLATE_RENDER', `${source}: sparql() against an endpoint needs the built ggen (dist/sparql-worker.mjs is missing)`, { hint: 'run `npm run build`, or declare the query under sparql: in the frontmatter' });
      const { env: _env, ...serialisable } = this.opts;
      this.worker = new Worker(file, { workerData: serialisable, ...(this.opts.env ? { env: this.opts.env } : {}) });
      // An idle worker must not keep the process alive.
      this.worker.unref();
    }
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ text, source, port: port2, signal }, [port2]);
    // The worker's request timeout and retries bound the wait.
    Atomics.wait(signal, 0, 0);
    const reply = receiveMessageOnPort(port1)?.message as { result?: EndpointResult; error?: { code: ErrorCode; message: string; hint?: string } } | undefined;
    port1.close();
    if (reply?.error) throw new GgenError(reply.error.code, reply.error.message, reply.error.hint ? { hint: reply.error.hint } : {});
    if (reply?.result === undefined) throw new GgenError('E_NETWORK', `${source}: no answer from the endpoint worker`);
    return reply.result;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
