// Exact-terms benchmark (issue 12 §1): load and query through ggen's Graph before and after the lexical
// side table, on the bench/graph synthetic ontology (no rewritten literals: the fast path) and on a variant
// whose fields carry non-canonical XSD literals (the exact path). Each run in its own process.
// Usage: node bench/graph/exact.mjs --before /path/to/old/dist [--before-label TEXT] [--sizes 10000,100000] [--repeats 7]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const QUERY = `SELECT ?class ?label ?field ?fieldLabel ?range WHERE {
  ?class a owl:Class ; rdfs:label ?label .
  ?field a owl:DatatypeProperty ; rdfs:domain ?class ; rdfs:label ?fieldLabel ; rdfs:range ?range .
} ORDER BY ?class ?field`;
// A query whose rows carry the rewritten literals: the first such result reads the document's lexical forms.
const TYPED = 'SELECT ?field ?default WHERE { ?field <http://example.org/model#default> ?default } ORDER BY ?field';

function ontology(triples, literals) {
  const types = ['xsd:string', 'xsd:integer', 'xsd:boolean', 'xsd:dateTime', 'xsd:decimal'];
  const lines = ['@prefix ex: <http://example.org/model#> .', '@prefix owl: <http://www.w3.org/2002/07/owl#> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .', '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .', ''];
  const classes = Math.max(1, Math.round(triples / 43));
  for (let c = 0; c < classes; c++) {
    lines.push(`ex:Class${c} a owl:Class ; rdfs:label "Class ${c}" ; rdfs:comment "Entity number ${c} of the synthetic model" .`);
    for (let f = 0; f < 8; f++) {
      const extra = literals ? ` ; ex:default ${f % 2 ? `${c}.${f}0` : `"0${f}"^^xsd:integer`}` : '';
      lines.push(`ex:Class${c}_field${f} a owl:DatatypeProperty ; rdfs:domain ex:Class${c} ; rdfs:label "field${f}" ; rdfs:range ${types[(c + f) % types.length]}${extra} .`);
    }
    for (let r = 0; r < 2; r++) lines.push(`ex:Class${c}_rel${r} a owl:ObjectProperty ; rdfs:domain ex:Class${c} ; rdfs:label "rel${r}" ; rdfs:range ex:Class${(c * 7 + r + 1) % classes} .`);
  }
  return `${lines.join('\n')}\n`;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function child(dist, size, literals, repeats) {
  const { Graph } = await import(join(dist, 'index.mjs'));
  const text = ontology(size, literals);
  const warm = await Graph.create();
  warm.loadText('<http://e/a> <http://e/b> "c" .');
  warm.select('SELECT * WHERE { ?s ?p ?o }');
  const load = [];
  const query = [];
  let rows = 0;
  for (let i = 0; i < repeats; i++) {
    const g = await Graph.create();
    let t = cpu();
    g.loadText(text);
    load.push(cpu() - t);
    t = cpu();
    rows = g.select(`${QUERY} # ${i}`).rows.length;
    query.push(cpu() - t);
    g.dispose();
  }
  // Separately (its garbage would land in the next load above): load, then the typed query, timed together.
  const typed = [];
  let typedRows = 0;
  for (let i = 0; i < repeats; i++) {
    const g = await Graph.create();
    const t = cpu();
    g.loadText(text);
    typedRows = g.select(`${TYPED} # ${i}`).rows.length;
    typed.push(cpu() - t);
    g.dispose();
  }
  process.stdout.write(JSON.stringify({ loadMs: median(load), queryMs: median(query), typedMs: median(typed), rows, typedRows }));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]), process.argv[5] === '1', Number(process.argv[6]));
} else {
  const before = arg('--before');
  if (!before) throw new Error('--before DIST is required (a build of the previous commit)');
  const sizes = arg('--sizes', '10000,100000').split(',').map(Number);
  const repeats = Number(arg('--repeats', '7'));
  const results = [];
  for (const size of sizes) {
    for (const literals of [false, true]) {
      const one = (dist) => JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dist, String(size), literals ? '1' : '0', String(repeats)], { encoding: 'utf8', maxBuffer: 1e8 }).stdout);
      // Alternate before/after to spread machine noise over both.
      const b = one(before);
      const a = one(join(root, 'dist'));
      results.push({ size, literals, before: b, after: a, loadRatio: a.loadMs / b.loadMs, queryRatio: a.queryMs / b.queryMs, typedRatio: a.typedMs / b.typedMs });
      console.error(size, literals, b, a);
    }
  }
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'graph-exact.json'), `${JSON.stringify({ node: process.version, repeats, results }, null, 2)}\n`);
  const md = [
    '# Exact terms: load and query before and after the lexical side table',
    '',
    `Node ${process.version}; CPU ms, medians of ${repeats} runs per process; bench/graph synthetic ontology (Turtle), codegen SELECT. Before: ${arg('--before-label', 'a build from before the side table')}.`,
    '"rewritten literals: no" is the bench/graph data as is (fast path: a text scan only); "yes" adds one non-canonical XSD literal per field (`1.10`, `"01"^^xsd:integer`), so the document\'s lexical forms are read (statement scanner, src/graph/exact-scan.ts).',
    '"query" is the codegen SELECT (no typed literals in its rows). "load + typed query" is a separate run: load, then a SELECT returning the rewritten literals (`?field ex:default ?v`, 1 row per field), timed together; the first result with typed literals is where Turtle\'s lexical forms are read, so that cost is in this column.',
    '',
    '| triples | rewritten literals | load before | load after | ratio | query before | query after | ratio | load + typed query before | after | ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.size} | ${r.literals ? 'yes' : 'no'} | ${r.before.loadMs.toFixed(1)} | ${r.after.loadMs.toFixed(1)} | ${r.loadRatio.toFixed(2)} | ${r.before.queryMs.toFixed(1)} | ${r.after.queryMs.toFixed(1)} | ${r.queryRatio.toFixed(2)} | ${r.before.typedMs.toFixed(1)} | ${r.after.typedMs.toFixed(1)} | ${r.typedRatio.toFixed(2)} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'results', 'graph-exact.md'), md);
  console.log(md);
}
