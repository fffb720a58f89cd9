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
// Small sizes are noisier (a few ms of GC or JIT move the ratio), so they get more runs.
const REPEATS = Number(process.env.GGEN_BENCH_REPEATS) || 5;
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

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU time of one call. CPU time is what the ratios use: this 2-core machine is shared. */
async function measure(fn) {
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  const value = await fn();
  return { ms: performance.now() - wall0, cpu: cpuMs() - cpu0, value };
}

/** Runs `fn` `times` times; medians of wall and CPU time, plus the first value. */
async function repeat(times, fn) {
  const runs = [];
  for (let i = 0; i < times; i++) runs.push(await measure(() => fn(i)));
  return { ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), value: runs[0].value };
}

function record(out, name, m) {
  out[`${name}Ms`] = m.ms;
  out[`${name}CpuMs`] = m.cpu;
}

const toRow = (solution) => {
  const row = {};
  for (const [name, term] of solution) {
    if (term.termType === 'Literal') {
      const datatype = term.datatype;
      row[name] = { type: 'literal', value: term.value, datatype: datatype.value };
      datatype.free?.();
    } else row[name] = { type: term.termType === 'NamedNode' ? 'uri' : 'bnode', value: term.value };
    term.free?.();
  }
  return row;
};

// ---- child: one engine, one size ----
async function runChild(engine, file) {
  const out = { engine };
  if (engine === 'ggen' || engine === 'ggen-load') {
    const { Graph } = await import(join(root, 'dist', 'index.mjs'));
    const warm = await Graph.create();
    warm.loadText(WARMUP);
    warm.select('SELECT * WHERE { ?s ?p ?o }');
    warm.dispose();
    let graph;
    const loads = engine === 'ggen-load' ? 1 : REPEATS;
    record(out, 'load', await repeat(loads, async (i) => {
      const g = await Graph.create();
      await g.loadFile(file);
      if (i < loads - 1) g.dispose();
      else graph = g;
    }));
    out.triples = graph.size;
    if (engine === 'ggen') {
      graph.select(`${CODEGEN_QUERY}\n# warm`);
      const q = await repeat(REPEATS, (i) => graph.select(`${CODEGEN_QUERY}\n# run ${i}`));
      record(out, 'queryConvert', q);
      out.rows = q.value.rows.length;
      out.cachedQueryMs = (await measure(() => graph.select(`${CODEGEN_QUERY}\n# run 0`))).ms;
      record(out, 'exportTurtle', await repeat(1, () => graph.serialize('turtle')));
      record(out, 'exportNTriples', await repeat(1, () => graph.serialize('ntriples')));
    }
  } else if (engine === 'raw' || engine === 'raw-load') {
    const ox = (await import('oxigraph')).default;
    const warm = new ox.Store();
    warm.load(WARMUP, { format: 'ttl' });
    warm.query('SELECT * WHERE { ?s ?p ?o }', { results_format: 'json' });
    warm.free();
    let store;
    const loads = engine === 'raw-load' ? 1 : REPEATS;
    record(out, 'load', await repeat(loads, (i) => {
      const s = new ox.Store();
      s.load(readFileSync(file, 'utf8'), { format: 'ttl' });
      if (i < loads - 1) s.free();
      else store = s;
    }));
    out.triples = store.size;
    if (engine === 'raw') {
      store.query(`${CODEGEN_QUERY}\n# warm`);
      record(out, 'queryOnly', await repeat(REPEATS, (i) => store.query(`${CODEGEN_QUERY}\n# q ${i}`)));
      record(out, 'queryConvertMap', await repeat(REPEATS, (i) => store.query(`${CODEGEN_QUERY}\n# m ${i}`).map(toRow)));
      record(out, 'queryConvertJson', await repeat(REPEATS, (i) => JSON.parse(store.query(`${CODEGEN_QUERY}\n# j ${i}`, { results_format: 'json' })).results.bindings));
      const best = out.queryConvertMapCpuMs <= out.queryConvertJsonCpuMs ? 'Map' : 'Json';
      out.queryConvertMs = out[`queryConvert${best}Ms`];
      out.queryConvertCpuMs = out[`queryConvert${best}CpuMs`];
      out.queryConvertFloor = best === 'Map' ? 'Map→objects' : 'JSON results';
      record(out, 'exportTurtle', await repeat(1, () => store.dump({ format: 'ttl', from_graph_name: ox.defaultGraph() })));
      record(out, 'exportNTriples', await repeat(1, () => store.dump({ format: 'nt', from_graph_name: ox.defaultGraph() })));
    }
  } else if (engine === 'comunica') {
    const { Parser, Store, Writer } = await import('n3');
    const { QueryEngine } = await import('@comunica/query-sparql-rdfjs-lite');
    let store;
    record(out, 'load', await repeat(1, () => {
      store = new Store(new Parser({ format: 'Turtle' }).parse(readFileSync(file, 'utf8')));
    }));
    out.triples = store.size;
    const engineInstance = new QueryEngine();
    const q = await repeat(2, async (i) => {
      const stream = await engineInstance.queryBindings(`${CODEGEN_QUERY}\n# c ${i}`, { sources: [store] });
      const bindings = await stream.toArray();
      return bindings.map((b) => Object.fromEntries([...b].map(([v, t]) => [v.value, { type: t.termType, value: t.value }])));
    });
    record(out, 'queryConvert', q);
    out.rows = q.value.length;
    record(out, 'exportTurtle', await repeat(1, () => {
      const writer = new Writer({ prefixes: { ex: 'http://example.org/model#' } });
      writer.addQuads(store.getQuads(null, null, null, null));
      let text = '';
      writer.end((_e, r) => (text = r));
      return text;
    }));
  }
  out.peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out));
}

// ---- parent ----
function runEngine(engine, file, timeoutMs) {
  const repeats = file.includes('-1000000.') ? 5 : 15;
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', engine, file], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, GGEN_BENCH_REPEATS: String(repeats) } });
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

const round = (n) => (typeof n === 'number' ? Math.round(n * 100) / 100 : n);
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
    const rl = entry.engines['raw-load'];
    const gl = entry.engines['ggen-load'];
    entry.loadOnly = { rawPeakRssMB: rl.peakRssMB, ggenPeakRssMB: gl.peakRssMB, rawMs: rl.loadMs, ggenMs: gl.loadMs, rawCpuMs: rl.loadCpuMs, ggenCpuMs: gl.loadCpuMs };
    delete entry.engines['raw-load'];
    delete entry.engines['ggen-load'];
    entry.ratios = {
      loadVsRaw: ratio(g.loadCpuMs, raw.loadCpuMs),
      queryConvertVsRaw: ratio(g.queryConvertCpuMs, raw.queryConvertCpuMs),
      exportTurtleVsRaw: ratio(g.exportTurtleCpuMs, raw.exportTurtleCpuMs),
      comunicaLoadVsGgen: ratio(com.loadCpuMs, g.loadCpuMs),
      comunicaQueryVsGgen: ratio(com.queryConvertCpuMs, g.queryConvertCpuMs),
      wallLoadVsRaw: ratio(g.loadMs, raw.loadMs),
      wallQueryConvertVsRaw: ratio(g.queryConvertMs, raw.queryConvertMs),
    };
    results.sizes.push(entry);
    console.log(JSON.stringify(entry));
  }
  // A partial run (--sizes) keeps the other sizes' figures from the last full run.
  const previousFile = join(resultsDir, 'graph.json');
  if (sizesArg > 0 && existsSync(previousFile)) {
    const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
    const measured = new Set(results.sizes.map((e) => e.size));
    results.sizes = [...previous.sizes.filter((e) => !measured.has(e.size)), ...results.sizes].sort((a, b) => a.size - b.size);
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
    `Node ${results.machine.node}, ${results.machine.cpus} CPUs, shared with other jobs while measured. Synthetic ontology (classes with labels, 8 typed fields and 2 relations each), Turtle.`,
    'Each engine and size ran in its own process. Times are medians of 5 runs (15 at 10k and 100k; Comunica: 2, exports: 1) after a warm-up load and query;',
    '"cpu" is the process CPU time of the step, which the ratios use because wall time on this shared machine swung by 2-3x between runs.',
    'raw = oxigraph called directly, the floor; for query+rows the faster (by CPU) of Map→plain objects (handles freed) and JSON results.',
    'query = a typical codegen SELECT: classes with label and their typed fields, ORDER BY class, field.',
    '',
    '| triples | engine | load ms (cpu) | query+rows ms (cpu) | rows | export Turtle ms | export N-Triples ms | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const both = (ms, cpu) => (typeof ms === 'number' ? `${round(ms)} (${round(cpu)})` : '');
  for (const s of results.sizes) {
    for (const [name, e] of Object.entries(s.engines)) {
      if (e.error) lines.push(`| ${s.size} | ${name} | ${e.error} | | | | | |`);
      else lines.push(`| ${e.triples} | ${name} | ${both(e.loadMs, e.loadCpuMs)} | ${both(e.queryConvertMs, e.queryConvertCpuMs)} | ${e.rows ?? ''} | ${round(e.exportTurtleMs)} | ${round(e.exportNTriplesMs) ?? ''} | ${round(e.peakRssMB)} |`);
    }
  }
  lines.push('', '| triples | load ggen/raw (target ≤ 1.1) | query+rows ggen/raw (target ≤ 1.2) | same by wall time (load, query) | Turtle export ggen/raw | Comunica/ggen load | Comunica/ggen query |', '|---|---|---|---|---|---|---|');
  for (const s of results.sizes) {
    const r = s.ratios;
    lines.push(`| ${s.size} | ${r.loadVsRaw} | ${r.queryConvertVsRaw} | ${r.wallLoadVsRaw}, ${r.wallQueryConvertVsRaw} | ${r.exportTurtleVsRaw} | ${r.comunicaLoadVsGgen ?? '—'} | ${r.comunicaQueryVsGgen ?? '—'} |`);
  }
  lines.push('', 'Load only: one load in a fresh process (includes WASM memory growth); peak RSS of that whole process:', '', '| triples | raw load ms | ggen load ms | raw peak RSS MB | ggen peak RSS MB (target at 1M < 1200) |', '|---|---|---|---|---|');
  for (const s of results.sizes) lines.push(`| ${s.size} | ${round(s.loadOnly.rawMs)} | ${round(s.loadOnly.ggenMs)} | ${round(s.loadOnly.rawPeakRssMB)} | ${round(s.loadOnly.ggenPeakRssMB)} |`);
  for (const s of results.sizes) {
    const raw = s.engines.raw;
    if (!raw.error) lines.push('', `raw detail at ${s.size} (cpu ms): query only ${round(raw.queryOnlyCpuMs)}, Map→objects ${round(raw.queryConvertMapCpuMs)}, JSON results ${round(raw.queryConvertJsonCpuMs)} (floor: ${raw.queryConvertFloor}); ggen cached re-query ${round(s.engines.ggen.cachedQueryMs)} ms.`);
  }
  const c = results.coldStart;
  lines.push('', `Cold start (median of 15 wall times): \`node -e 0\` ${round(c.nodeMs)} ms, \`ggen --help\` ${round(c.ggenHelpMs)} ms (${ratio(c.ggenHelpMs, c.nodeMs)}×, target < 90 ms), \`ggen --version\` ${round(c.ggenVersionMs)} ms.`, '');
  return lines.join('\n');
}

if (process.argv[2] === '--child') await runChild(process.argv[3], process.argv[4]);
else await runParent();
