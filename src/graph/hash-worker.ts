// Worker entry (dist/graph-hash-worker.mjs): sorts a dataset's N-Quads and hashes them, so the main thread
// can query and render meanwhile (see hash-off-thread.ts).
import { parentPort } from 'node:worker_threads';
import { sha256Hex } from '../util/hash.js';
import { sortedNQuads } from './serialize.js';

parentPort!.once('message', (nquads: string) => {
  parentPort!.postMessage(sha256Hex(sortedNQuads(nquads)));
});
