// The graph hash with its sorting and hashing in a worker thread: the main thread dumps the store (only it can)
// and goes on querying and rendering while a second core sorts ~100k lines and hashes them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { graphContentHash, hasBlankNodes } from './content-hash.js';
import type { Graph } from './graph.js';

/** Below this many bytes of N-Quads a worker costs more than it saves. */
const MIN_OFF_THREAD_CHARS = 1 << 20;

/** dist/graph-hash-worker.mjs, from the bundle's entry or one of its chunks; absent when running from source. */
function workerFile(): string | undefined {
  for (const rel of ['./graph-hash-worker.mjs', '../graph-hash-worker.mjs']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Starts hashing `graph` as it is now; the promise gives the same value as graphContentHash. Graphs with blank
 * nodes (RDFC-1.0) and small ones are hashed here when asked.
 */
export function hashGraphOffThread(graph: Graph): () => Promise<string> {
  const file = workerFile();
  const nquads = file === undefined ? undefined : graph.unsortedNQuads();
  if (file === undefined || nquads === undefined || nquads.length < MIN_OFF_THREAD_CHARS || hasBlankNodes(nquads)) return () => graphContentHash(graph);
  const worker = new Worker(file);
  // Until someone waits for the answer, the worker must not keep a failing process alive.
  worker.unref();
  const answer = new Promise<string>((resolve, reject) => {
    worker.once('message', (hash: string) => {
      void worker.terminate();
      resolve(hash);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the graph hash worker stopped (exit ${code})`)));
  });
  answer.catch(() => undefined);
  worker.postMessage(nquads);
  return () => {
    worker.ref();
    return answer;
  };
}
