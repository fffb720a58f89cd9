// bench/endpoint: 10M synthetic triples bulk-loaded into a real Virtuoso 7.2 (ld_dir + rdf_loader_run), then a
// `foreach` over 100k rows projected into 100k files from the endpoint; in the same run the same template over
// the embedded store at 1M triples (the same 100k items). Wall time and ggen's peak RSS (GNU time).
// Writes bench/results/endpoint.json and endpoint.md. BENCH_ENDPOINT_TRIPLES overrides the 10M.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTriples } from './data.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const results = join(root, 'bench', 'results');
const ggen = join(root, 'dist', 'ggen.mjs');
const work = mkdtempSync(join(tmpdir(), 'ggen-bench-endpoint-'));
const TOTAL = Number(process.env.BENCH_ENDPOINT_TRIPLES ?? 10_000_000);
const EMBEDDED_TOTAL = 1_000_000;
const ITEMS = 100_000;
const GRAPH = 'http://bench.ggen.dev/g';
const HEAP_CAP_MB = Number(process.env.BENCH_ENDPOINT_HEAP_CAP_MB ?? 256);

const { CleanroomEnv } = await import(join(root, 'dist', 'cleanroom.mjs'));
const loadBefore = Number(loadavg()[0].toFixed(2));
const log = (m) => process.stdout.write(`${m}\n`);
const seconds = (t0) => Number(((performance.now() - t0) / 1000).toFixed(2));

/** A command under GNU time: wall seconds, CPU seconds, peak RSS (MB). */
function measure(label, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'GGEN_BENCH %e %M %U %S', process.execPath, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('GGEN_BENCH '));
  if (r.status !== 0 || !line) throw new Error(`${label} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  const [, wall, rssKb, user, sys] = line.split(' ');
  const m = { wallSeconds: Number(wall), cpuSeconds: Number((Number(user) + Number(sys)).toFixed(2)), peakRssMb: Math.round(Number(rssKb) / 1024) };
  log(`  ${label}: ${m.wallSeconds} s wall, ${m.cpuSeconds} s CPU, ${m.peakRssMb} MB peak RSS`);
  return m;
}

function tree(dir) {
  const out = new Map();
  const walk = (d, rel) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.name === '.ggen') continue; const p = join(d, e.name); if (e.isDirectory()) walk(p, `${rel}${e.name}/`); else out.set(`${rel}${e.name}`, readFileSync(p, 'latin1')); } };
  walk(dir, '');
  return out;
}

function sameTree(a, b) {
  const x = tree(a);
  const y = tree(b);
  if (x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}

const env = await CleanroomEnv.create();
let report;
try {
  log(`starting Virtuoso (own ini, free loopback ports)…`);
  const t0 = performance.now();
  const v = await env.service('virtuoso', {
    readyTimeoutMs: 120_000,
    ini: {
      Parameters: { NumberOfBuffers: 340000, MaxDirtyBuffers: 250000, ThreadsPerQuery: 2, MaxCheckpointRemap: 200000 },
      // The default 100k would cut a 100k-row SELECT (ggen refuses a cut result: X-SPARQL-MaxRows).
      SPARQL: { ResultSetMaxRows: 10000000, MaxQueryExecutionTime: 0, MaxQueryCostEstimationTime: 0 },
    },
  });
  const startSeconds = seconds(t0);
  const isql = (sql) => execFileSync('isql-vt', [`127.0.0.1:${v.ports.isql}`, 'dba', v.password, 'VERBOSE=OFF', 'BANNER=OFF', `exec=${sql}`], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 7_200_000 });
  isql('grant SPARQL_UPDATE to "SPARQL";');
  log(`  ready in ${startSeconds} s at ${v.url}`);

  const dataDir = join(v.dataDir, 'data');
  log(`writing ${TOTAL.toLocaleString('en')} triples (${ITEMS.toLocaleString('en')} items)…`);
  let t = performance.now();
  const bigFile = join(dataDir, 'bench.nt');
  const written = await writeTriples(bigFile, TOTAL, ITEMS);
  const writeSeconds = seconds(t);
  log(`  ${writeSeconds} s`);

  log('bulk load (ld_dir + rdf_loader_run + checkpoint)…');
  t = performance.now();
  isql(`ld_dir('${dataDir}', 'bench.nt', '${GRAPH}'); rdf_loader_run(); checkpoint;`);
  const loadSeconds = seconds(t);
  const errors = isql("select count(*) from DB.DBA.LOAD_LIST where ll_error is not null;").match(/\d+/g)?.pop();
  const counted = Number(JSON.parse(execFileSync('curl', ['-s', '-H', 'accept: application/sparql-results+json', '--data-urlencode', `query=SELECT (COUNT(*) AS ?n) FROM <${GRAPH}> WHERE { ?s ?p ?o }`, v.url], { encoding: 'utf8' })).results.bindings[0].n.value);
  log(`  ${loadSeconds} s; ${counted.toLocaleString('en')} triples in the store; load errors: ${errors}`);
  if (counted !== written) throw new Error(`the store holds ${counted} triples, ${written} were written`);
  rmSync(bigFile);

  const project = join(work, 'project');
  cpSync(join(here, 'templates'), join(project, 'templates'), { recursive: true });
  writeFileSync(join(project, 'ggen.toml'), `templates = "templates"\n[graph]\nendpoint = "${v.url}"\ndefault_graph = "${GRAPH}"\ntimeout_ms = 1800000\n`);

  log(`ggen project gen over the endpoint (foreach over ${ITEMS.toLocaleString('en')} rows)…`);
  const endpointOut = join(work, 'out-endpoint');
  const fromEndpoint = measure('endpoint', [ggen, 'project', 'gen', project, '--out', endpointOut]);
  const cappedOut = join(work, 'out-endpoint-capped');
  // How much the run needs, not what V8 lets grow: the same run with the old space capped (may run out).
  let capped;
  try {
    capped = measure(`endpoint, V8 heap capped at ${HEAP_CAP_MB} MB`, [`--max-old-space-size=${HEAP_CAP_MB}`, ggen, 'project', 'gen', project, '--out', cappedOut]);
  } catch {
    log(`  endpoint, V8 heap capped at ${HEAP_CAP_MB} MB: ran out of heap`);
    capped = { wallSeconds: null, cpuSeconds: null, peakRssMb: null, outOfHeap: true };
  }
  const query = measure('endpoint query alone (graph query --format tsv)', [ggen, 'graph', 'query', '--endpoint', v.url, '--default-graph', GRAPH, '--query-file', join(here, 'items.rq'), '--format', 'tsv', '--timeout', '1800000']);
  const files = tree(endpointOut).size;

  log(`embedded store: ${EMBEDDED_TOTAL.toLocaleString('en')} triples (the same ${ITEMS.toLocaleString('en')} items)…`);
  const smallFile = join(work, 'bench-1m.nt');
  await writeTriples(smallFile, EMBEDDED_TOTAL, ITEMS);
  const embeddedOut = join(work, 'out-embedded');
  const embedded = measure('embedded', [ggen, 'gen', join(here, 'templates', 'item.tmpl'), '--graph', smallFile, '--out', embeddedOut]);
  const same = sameTree(endpointOut, embeddedOut) && (capped.outOfHeap === true || sameTree(endpointOut, cappedOut));
  log(`  same bytes: ${same}`);
  await v.stop();

  report = {
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadBefore, loadAfter: Number(loadavg()[0].toFixed(2)) },
    virtuoso: { startSeconds, triples: counted, writeSeconds, loadSeconds, triplesPerSecond: Math.round(counted / loadSeconds) },
    rows: ITEMS, files,
    endpoint: fromEndpoint, endpointHeapCapped: { heapCapMb: HEAP_CAP_MB, ...capped }, endpointQueryOnly: query,
    embedded: { triples: EMBEDDED_TOTAL, ...embedded },
    ratios: {
      wallEndpointOverEmbedded: Number((fromEndpoint.wallSeconds / embedded.wallSeconds).toFixed(2)),
      cpuEndpointOverEmbedded: Number((fromEndpoint.cpuSeconds / embedded.cpuSeconds).toFixed(2)),
      rssEndpointOverEmbedded: Number((fromEndpoint.peakRssMb / embedded.peakRssMb).toFixed(2)),
      rssCappedOverEmbedded: capped.peakRssMb === null ? null : Number((capped.peakRssMb / embedded.peakRssMb).toFixed(2)),
      storeTriplesEndpointOverEmbedded: Number((counted / EMBEDDED_TOTAL).toFixed(1)),
    },
    sameBytes: same,
    target: { peakRssMb: 300, met: fromEndpoint.peakRssMb < 300, metHeapCapped: capped.peakRssMb !== null && capped.peakRssMb < 300 },
  };
} finally {
  await env.dispose();
  rmSync(work, { recursive: true, force: true });
}

mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'endpoint.json'), `${JSON.stringify(report, null, 2)}\n`);
const r = report;
const row = (name, m) => (m.outOfHeap ? `| ${name} | ran out of heap | — | — |` : `| ${name} | ${m.wallSeconds} s | ${m.cpuSeconds} s | ${m.peakRssMb} MB |`);
writeFileSync(join(results, 'endpoint.md'), `# bench/endpoint

${r.virtuoso.triples.toLocaleString('en')} synthetic triples bulk-loaded into Virtuoso Open Source 7.2 (\`ld_dir\` + \`rdf_loader_run\`, one loader),
then \`ggen project gen\` with \`[graph] endpoint\`: one \`foreach\` over ${r.rows.toLocaleString('en')} rows (\`ORDER BY\`, rows shaped as the
JSON results stream in) → ${r.files.toLocaleString('en')} files. In the same run the same template over the embedded store at
${r.embedded.triples.toLocaleString('en')} triples (the same ${r.rows.toLocaleString('en')} items plus filler). Fresh processes, CLI start-up included; GNU time.
Machine: ${r.machine.cores} cores, ${r.machine.memoryGb} GB, Node ${r.machine.node}, load average ${r.machine.loadBefore} before / ${r.machine.loadAfter} after (other work was running).

Virtuoso: ready in ${r.virtuoso.startSeconds} s; data written in ${r.virtuoso.writeSeconds} s; bulk load ${r.virtuoso.loadSeconds} s (${r.virtuoso.triplesPerSecond.toLocaleString('en')} triples/s).

| run | wall | CPU user+sys | ggen peak RSS |
|---|---|---|---|
${row(`endpoint (${(r.virtuoso.triples / 1e6).toFixed(0)}M triples in the store)`, r.endpoint)}
${row(`endpoint, V8 heap capped at ${r.endpointHeapCapped.heapCapMb} MB (\`--max-old-space-size\`)`, r.endpointHeapCapped)}
${row('endpoint query alone (`graph query … --format tsv`, 100k rows)', r.endpointQueryOnly)}
${row(`embedded store (${(r.embedded.triples / 1e6).toFixed(0)}M triples loaded from N-Triples)`, r.embedded)}

Ratios (endpoint / embedded): wall ${r.ratios.wallEndpointOverEmbedded}×, CPU ${r.ratios.cpuEndpointOverEmbedded}×, peak RSS ${r.ratios.rssEndpointOverEmbedded}×${r.ratios.rssCappedOverEmbedded === null ? '' : ` (heap-capped ${r.ratios.rssCappedOverEmbedded}×)`}, with ${r.ratios.storeTriplesEndpointOverEmbedded}× the triples in the store.
Same bytes (endpoint, heap-capped endpoint and embedded trees): ${r.sameBytes ? 'yes' : 'NO'}.

Target: ggen's peak RSS under ${r.target.peakRssMb} MB — ${r.target.met ? '✓' : '✗'} by default; ${r.target.metHeapCapped ? '✓' : '✗'} with the heap capped. The rows are streamed
(never the response text, no raw bindings kept) and held compactly (term details shared per kind of row); what the
run holds is the generation plan of ${r.files.toLocaleString('en')} outputs until it applies. A run from an endpoint (or of 20k+ outputs)
keeps V8's heap near its live size (\`src/util/heap.ts\`): without that, V8 on a machine with this much memory lets
the old space grow to about four times what is live before collecting.
`);
log('wrote bench/results/endpoint.json and endpoint.md');
