// The worker behind SyncEndpoint: runs queries with the ordinary client (timeouts, retries, streaming parse)
// and wakes the waiting thread when the answer is on its port.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { SparqlEndpoint, type EndpointOptions } from './client.js';

const endpoint = new SparqlEndpoint(workerData as EndpointOptions);

parentPort!.on('message', (msg: { text: string; source: string; port: MessagePort; signal: Int32Array }) => {
  void (async () => {
    try {
      msg.port.postMessage({ result: await endpoint.query(msg.text, { source: msg.source }) });
    } catch (err) {
      const e = err as { code?: string; message?: string; hint?: string };
      msg.port.postMessage({ error: { code: e.code ?? 'E_NETWORK', message: e.message ?? String(err), hint: e.hint } });
    }
    Atomics.store(msg.signal, 0, 1);
    Atomics.notify(msg.signal, 0);
  })();
});
