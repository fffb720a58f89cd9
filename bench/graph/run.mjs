// Graph benchmark: synthetic ontologies (10k/100k/1M triples) loaded and queried through ggen's Graph,
// raw oxigraph calls (the floor) and n3 + Comunica; each size/engine runs in its own child process so
// peak RSS is per run. Writes bench/results/graph.json and graph.md. Usage: node bench/graph/run.mjs [--sizes 10000,100000]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = join(root, 'bench', 'results');
const dataDir = join(tmpdir(), 'ggen-bench-graph');
const REPEATS = 3;
// A tiny document loaded first by every engine, so WASM compilation is not counted as load time.
const WARMUP = '<http://example.org/a> <http://example.org/b> "c" .\n';

const CODEGEN_QUERY = `PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label ?field ?fieldLabel ?range WHERE {
  ?class a owl:Class ; rdfs:label ?label .
  ?field a owl:DatatypeProperty ; rdfs:domain ?class ; rdfs:label ?fieldLabel ; rdfs:range ?range .
} ORDER BY ?class ?field`;

/** A synthetic ontology in Turtle: classes with labels, typed fields and relations (~43 triples per class). */
function generateOntology(triples) {
  const types = ['xsd:string', 'xsd:integer', 'xsd:boolean', 'xsd:dateTime', 'xsd:decimal'];
  const lines = [
    '@prefix ex: <http://example.org/model#> .',
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '',
  ];
  const classes = Math.max(1, Math.round(triples / 43));
  for (let c = 0; c < classes; c++) {
    lines.push(`ex:Class${c} a owl:Class ; rdfs:label "Class ${c}" ; rdfs:comment "Entity number ${c} of the synthetic model" .`);
    for (let f = 0; f < 8; f++) {
      lines.push(`ex:Class${c}_field${f} a owl:DatatypeProperty ; rdfs:domain ex:Class${c} ; rdfs:label "field${f}" ; rdfs:range ${types[(c + f) % types.length]} .`);
    }
    for (let r = 0; r < 2; r++) {
      lines.push(`ex:Class${c}_rel${r} a owl:ObjectProperty ; rdfs:domain ex:Class${c} ; rdfs:label "rel${r}" ; rdfs:range ex:Class${(c * 7 + r + 1) % classes} .`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

async function timeAsync(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// ---- child: one engine, one size ----
async function runChild(engine, file) {
  const out = { engine };
  if (engine === 'ggen') {
    const { Graph } = await import(join(root, 'dist', 'index.mjs'));
    const warm = await Graph.create();
    warm.loadText(WARMUP);
    warm.dispose();
    const loads = [];
    for (let i = 0; i < REPEATS - 1; i++) {
      const g = await Graph.create();
      loads.push((await timeAsync(() => g.loadFile(file))).ms);
      g.dispose();
    }
    const graph = await Graph.create();
    loads.push((await timeAsync(() => graph.loadFile(file))).ms);
    out.loadMs = median(loads);
    out.triples = graph.size;
    const runs = [];
    for (let i = 0; i < REPEATS; i++) runs.push(time(() => graph.select(`${CODEGEN_QUERY}\n# run ${i}`)));
    out.queryConvertMs = median(runs.map((r) => r.ms));
    out.rows = runs[0].value.rows.length;
    out.cachedQueryMs = time(() => graph.select(`${CODEGEN_QUERY}\n# run 0`)).ms;
    out.exportTurtleMs = time(() => graph.serialize('turtle')).ms;
    out.exportNTriplesMs = time(() => graph.serialize('ntriples')).ms;
  } else if (engine === 'ggen-load') {
    const { Graph } = await import(join(root, 'dist', 'index.mjs'));
    const graph = await Graph.create();
    out.loadMs = (await timeAsync(() => graph.loadFile(file))).ms;
    out.triples = graph.size;
  } else if (engine === 'raw-load') {
    const ox = (await import('oxigraph')).default;
    const store = new ox.Store();
    out.loadMs = time(() => store.load(readFileSync(file, 'utf8'), { format: 'ttl' })).ms;
    out.triples = store.size;
  } else if (engine === 'raw') {
    const ox = (await import('oxigraph')).default;
    new ox.Store().load(WARMUP, { format: 'ttl' });
    const loads = [];
    for (let i = 0; i < REPEATS - 1; i++) {
      const s = new ox.Store();
      loads.push(time(() => s.load(readFileSync(file, 'utf8'), { format: 'ttl' })).ms);
      s.free();
    }
    const store = new ox.Store();
    loads.push(time(() => store.load(readFileSync(file, 'utf8'), { format: 'ttl' })).ms);
    out.loadMs = median(loads);
    out.triples = store.size;
    const queryOnly = [];
    const mapRows = [];
    const jsonRows = [];
    for (let i = 0; i < REPEATS; i++) {
      queryOnly.push(time(() => store.query(`${CODEGEN_QUERY}\n# q ${i}`)).ms);
      mapRows.push(time(() => {
        const rows = [];
        for (const solution of store.query(`${CODEGEN_QUERY}\n# m ${i}`)) {
          const row = {};
          for (const [name, term] of solution) {
            row[name] = term.termType === 'Literal' ? { type: 'literal', value: term.value, datatype: term.datatype.value } : { type: term.termType === 'NamedNode' ? 'uri' : 'bnode', value: term.value };
            term.free?.();
          }
          rows.push(row);
        }
        return rows;
      }).ms);
      jsonRows.push(time(() => JSON.parse(store.query(`${CODEGEN_QUERY}\n# j ${i}`, { results_format: 'json' })).results.bindings).ms);
    }
    out.queryOnlyMs = median(queryOnly);
    out.queryConvertMapMs = median(mapRows);
    out.queryConvertJsonMs = median(jsonRows);
    out.queryConvertMs = Math.min(out.queryConvertMapMs, out.queryConvertJsonMs);
    out.exportTurtleMs = time(() => store.dump({ format: 'ttl', from_graph_name: ox.defaultGraph() })).ms;
    out.exportNTriplesMs = time(() => store.dump({ format: 'nt', from_graph_name: ox.defaultGraph() })).ms;
  } else if (engine === 'comunica') {
    const { Parser, Store, Writer } = await import('n3');
    const { QueryEngine } = await import('@comunica/query-sparql-rdfjs-lite');
    const load = time(() => new Store(new Parser({ format: 'Turtle' }).parse(readFileSync(file, 'utf8'))));
    const store = load.value;
    out.loadMs = load.ms;
    out.triples = store.size;
    const engineInstance = new QueryEngine();
    const runs = [];
    for (let i = 0; i < Math.min(REPEATS, 2); i++) {
      runs.push(await timeAsync(async () => {
        const stream = await engineInstance.queryBindings(`${CODEGEN_QUERY}\n# c ${i}`, { sources: [store] });
        const bindings = await stream.toArray();
        return bindings.map((b) => Object.fromEntries([...b].map(([v, t]) => [v.value, { type: t.termType, value: t.value }])));
      }));
    }
    out.queryConvertMs = median(runs.map((r) => r.ms));
    out.rows = runs[0].value.length;
    out.exportTurtleMs = time(() => {
      const writer = new Writer({ prefixes: { ex: 'http://example.org/model#' } });
      writer.addQuads(store.getQuads(null, null, null, null));
      let text = '';
      writer.end((_e, r) => (text = r));
      return text;
    }).ms;
  }
  out.peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out));
}

// ---- parent ----
function runEngine(engine, file, timeoutMs) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', engine, file], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return { engine, error: `timeout after ${timeoutMs / 1000} s` };
  if (r.status !== 0) return { engine, error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout);
}

function coldStart(args, runs = 15) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (i >= 2) times.push(performance.now() - t0); // the first runs warm the disk cache
  }
  return median(times);
}

const round = (n) => (typeof n === 'number' ? Math.round(n * 10) / 10 : n);
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? Math.round((a / b) * 100) / 100 : null);

async function runParent() {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [10_000, 100_000, 1_000_000];
  if (!existsSync(join(root, 'dist', 'index.mjs'))) throw new Error('build first: npm run build');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const results = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, sizes: [], coldStart: {} };
  for (const size of sizes) {
    const file = join(dataDir, `ontology-${size}.ttl`);
    if (!existsSync(file)) writeFileSync(file, generateOntology(size));
    const entry = { size, bytes: readFileSync(file).length, engines: {} };
    for (const engine of ['raw-load', 'ggen-load', 'raw', 'ggen', 'comunica']) {
      const timeout = engine === 'comunica' ? 240_000 : 600_000;
      console.log(`size ${size}: ${engine} …`);
      entry.engines[engine] = runEngine(engine, file, timeout);
    }
    const g = entry.engines.ggen;
    const raw = entry.engines.raw;
    const com = entry.engines.comunica;
    entry.loadOnly = { rawPeakRssMB: entry.engines['raw-load'].peakRssMB, ggenPeakRssMB: entry.engines['ggen-load'].peakRssMB, rawMs: entry.engines['raw-load'].loadMs, ggenMs: entry.engines['ggen-load'].loadMs };
    delete entry.engines['raw-load'];
    delete entry.engines['ggen-load'];
    entry.ratios = {
      loadVsRaw: ratio(g.loadMs, raw.loadMs),
      queryConvertVsRaw: ratio(g.queryConvertMs, raw.queryConvertMs),
      exportTurtleVsRaw: ratio(g.exportTurtleMs, raw.exportTurtleMs),
      comunicaLoadVsGgen: ratio(com.loadMs, g.loadMs),
      comunicaQueryVsGgen: ratio(com.queryConvertMs, g.queryConvertMs),
    };
    results.sizes.push(entry);
    console.log(JSON.stringify(entry));
  }
  results.coldStart.nodeMs = coldStart(['-e', '0']);
  results.coldStart.ggenHelpMs = coldStart([join(root, 'dist', 'ggen.mjs'), '--help']);
  results.coldStart.ggenVersionMs = coldStart([join(root, 'dist', 'ggen.mjs'), '--version']);
  writeFileSync(join(resultsDir, 'graph.json'), `${JSON.stringify(results, (_k, v) => round(v), 2)}\n`);
  writeFileSync(join(resultsDir, 'graph.md'), markdown(results));
  console.log(markdown(results));
}

function markdown(results) {
  const lines = [
    '# Graph benchmark',
    '',
    `Node ${results.machine.node}, ${results.machine.cpus} CPUs. Synthetic ontology (classes with labels, 8 typed fields and 2 relations each), Turtle.`,
    'Times in ms (median of 3 runs; loads into a fresh store after a tiny warm-up load); each engine and size ran in its own process; RSS is that process\'s peak over all its steps (3 loads, 9 queries, exports).',
    'raw = oxigraph called directly (the floor; query+conversion takes the faster of Map→objects and JSON results).',
    '',
    '| triples | engine | load | query+rows | rows | export Turtle | export N-Triples | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of results.sizes) {
    for (const [name, e] of Object.entries(s.engines)) {
      if (e.error) lines.push(`| ${s.size} | ${name} | ${e.error} | | | | | |`);
      else lines.push(`| ${e.triples} | ${name} | ${round(e.loadMs)} | ${round(e.queryConvertMs)} | ${e.rows ?? ''} | ${round(e.exportTurtleMs)} | ${round(e.exportNTriplesMs) ?? ''} | ${round(e.peakRssMB)} |`);
    }
  }
  lines.push('', '| triples | load ggen/raw (target ≤ 1.1) | query+rows ggen/raw (target ≤ 1.2) | Turtle export ggen/raw | Comunica/ggen load | Comunica/ggen query |', '|---|---|---|---|---|---|');
  for (const s of results.sizes) {
    const r = s.ratios;
    lines.push(`| ${s.size} | ${r.loadVsRaw} | ${r.queryConvertVsRaw} | ${r.exportTurtleVsRaw} | ${r.comunicaLoadVsGgen ?? '—'} | ${r.comunicaQueryVsGgen ?? '—'} |`);
  }
  lines.push('', 'Load only (one load in a fresh process, cold: includes WASM memory growth; peak RSS of that process):', '', '| triples | raw load ms | ggen load ms | raw peak RSS MB | ggen peak RSS MB (target at 1M < 1200) |', '|---|---|---|---|---|');
  for (const s of results.sizes) lines.push(`| ${s.size} | ${round(s.loadOnly.rawMs)} | ${round(s.loadOnly.ggenMs)} | ${round(s.loadOnly.rawPeakRssMB)} | ${round(s.loadOnly.ggenPeakRssMB)} |`);
  for (const s of results.sizes) {
    const raw = s.engines.raw;
    if (!raw.error) lines.push('', `raw detail at ${s.size}: query only ${round(raw.queryOnlyMs)} ms, Map→objects ${round(raw.queryConvertMapMs)} ms, JSON results ${round(raw.queryConvertJsonMs)} ms; ggen cached re-query ${round(s.engines.ggen.cachedQueryMs)} ms.`);
  }
  const c = results.coldStart;
  lines.push('', `Cold start: \`node -e 0\` ${round(c.nodeMs)} ms, \`ggen --help\` ${round(c.ggenHelpMs)} ms (${ratio(c.ggenHelpMs, c.nodeMs)}×, target < 90 ms), \`ggen --version\` ${round(c.ggenVersionMs)} ms.`, '');
  return lines.join('\n');
}

if (process.argv[2] === '--child') await runChild(process.argv[3], process.argv[4]);
else await runParent();
