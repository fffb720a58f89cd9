// Market benchmark: search over a synthetic 10,000-pack index (load time, p50/p95 query latency) and the install of a
// 200-file pack from a local HTTP registry (`ggen market add`) against `npm install` of the same tarball from a path.
// Writes bench/results/market.json and bench/results/market.md. Run after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const ggenBin = join(repo, 'dist', 'ggen.mjs');
const { parseRegistryIndex, PackSearchIndex, publishPack } = await import(join(repo, 'dist', 'index.mjs'));
const work = mkdtempSync(join(tmpdir(), 'ggen-bench-market-'));

const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const median = (xs) => percentile(xs, 50);
const ms = (n) => Math.round(n * 100) / 100;

// ── 1. Search over 10,000 packs ──────────────────────────────────────────────
// A deterministic generator (LCG) so every run searches the same index.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const words = ['rust', 'python', 'typescript', 'graphql', 'rest', 'api', 'cli', 'database', 'sql', 'schema', 'model', 'docs', 'openapi', 'kotlin', 'swift', 'java', 'golang', 'react', 'vue', 'svelte', 'auth', 'user', 'payment', 'invoice', 'order', 'inventory', 'search', 'cache', 'queue', 'stream', 'kafka', 'redis', 'postgres', 'sqlite', 'mongo', 'grpc', 'protobuf', 'serde', 'zod', 'pydantic', 'dataclass', 'terraform', 'kubernetes', 'docker', 'helm', 'ansible', 'lambda', 'azure', 'gcp', 'aws'];
const categories = ['rust', 'python', 'typescript', 'api', 'docs', 'sql', 'infra', 'mobile', 'web', 'data'];
const N = 10_000;
const packs = {};
for (let i = 0; i < N; i++) {
  const w = [pick(words), pick(words), pick(words)];
  const id = `io.bench.${w[0]}.${w[1]}-${i}`;
  packs[id] = {
    id, name: `${w[0]} ${w[1]} ${w[2]} generator ${i}`, description: `Generates ${w[1]} ${w[2]} code for ${w[0]} projects from an ontology; pack number ${i}.`,
    tags: [w[0], w[2]], keywords: [w[1], pick(words)], category: pick(categories), author: `author-${i % 97}`, license: i % 3 ? 'MIT' : 'Apache-2.0',
    latest_version: '1.0.0', downloads: Math.floor(rand() * 100000),
    versions: { '1.0.0': { version: '1.0.0', tarball: `packs/${id}-1.0.0.tgz`, integrity: 'sha512-AAAA', dependencies: {} } },
  };
}
const indexText = JSON.stringify({ updated: '2026-01-01T00:00:00Z', packs });
const indexFile = join(work, 'big-registry', 'index.json');
mkdirSync(join(work, 'big-registry'), { recursive: true });
writeFileSync(indexFile, indexText);

const loadTimes = [];
let searchIndex;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  const index = parseRegistryIndex(readFileSync(indexFile, 'utf8'), indexFile);
  searchIndex = new PackSearchIndex(Object.values(index.packs));
  loadTimes.push(performance.now() - t0);
}
const queries = [];
for (let i = 0; i < 300; i++) {
  const kind = i % 6;
  if (kind === 0) queries.push([pick(words), {}]);
  else if (kind === 1) queries.push([`${pick(words)} ${pick(words)}`, {}]);
  else if (kind === 2) { const w = pick(words); queries.push([w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w, {}]); } // transposition typo
  else if (kind === 3) queries.push([pick(words), { category: pick(categories), sort: 'downloads' }]);
  else if (kind === 4) queries.push([`io.bench.${pick(words)}.${pick(words)}-${Math.floor(rand() * N)}`, {}]);
  else queries.push(['', { keyword: pick(words), license: 'MIT', limit: 50 }]);
}
for (const [q, o] of queries.slice(0, 20)) searchIndex.search(q, o); // warm-up
const latencies = [];
for (const [q, o] of queries) {
  const t0 = performance.now();
  searchIndex.search(q, o);
  latencies.push(performance.now() - t0);
}
// The CLI end to end (process start, index load, search, print) against the file registry.
const cliTimes = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [ggenBin, 'market', 'search', 'pyton schema', '--registry', join(work, 'big-registry'), '--json'], { encoding: 'utf8', env: { ...process.env, GGEN_CACHE_DIR: join(work, 'cache-cli') } });
  if (res.status !== 0) throw new Error(res.stderr);
  cliTimes.push(performance.now() - t0);
}

// ── 2. Install a 200-file pack: ggen market add (HTTP) vs npm install (tarball path) ─────────────
const packDir = join(work, 'big-pack');
mkdirSync(join(packDir, 'templates'), { recursive: true });
writeFileSync(join(packDir, 'gpack.toml'), '[gpack]\nid = "io.bench.big"\nname = "Big"\nversion = "1.0.0"\ndescription = "200 files"\nlicense = "MIT"\n');
writeFileSync(join(packDir, 'package.json'), JSON.stringify({ name: 'io-bench-big', version: '1.0.0', license: 'MIT' }));
for (let i = 0; i < 197; i++) {
  mkdirSync(join(packDir, 'templates', `group-${i % 10}`), { recursive: true });
  // Varied content (~1-3 KiB per file) so the tarball is not one long run of repeats.
  const lines = Array.from({ length: 30 + (i % 60) }, (_, j) => `line ${j} of template ${i}: {{ name | pascal }} ${Math.floor(rand() * 1e12).toString(36)} ${pick(words)} ${pick(words)}`);
  writeFileSync(join(packDir, 'templates', `group-${i % 10}`, `t${i}.tmpl`), `---\nto: out/t${i}.txt\n---\n${lines.join('\n')}\n`);
}
writeFileSync(join(packDir, 'README.md'), '# big pack\n');
const registryDir = join(work, 'http-registry');
const published = await publishPack(packDir, { registry: registryDir, updated: '2026-01-01T00:00:00Z' });
const fileCount = published.entry.file_count;

const server = spawn(process.execPath, [ggenBin, 'market', 'serve', registryDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => { out += d; const m = /at (http:\S+)/.exec(out); if (m) resolve(m[1]); });
  server.on('exit', () => reject(new Error('serve exited')));
});

const RUNS = 5;
const ggenCold = [];
const ggenWarm = [];
const npmCold = [];
try {
  for (let r = 0; r < RUNS; r++) {
    const proj = join(work, `ggen-proj-${r}`);
    mkdirSync(proj);
    const env = { ...process.env, GGEN_CACHE_DIR: join(work, `ggen-cache-${r}`) };
    let t0 = performance.now();
    let res = spawnSync(process.execPath, [ggenBin, 'market', 'add', 'io.bench.big', '--registry', url], { cwd: proj, env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
    ggenCold.push(performance.now() - t0);
    // Warm: a second project, same cache (index revalidated with ETag, pack reused).
    const proj2 = join(work, `ggen-proj-warm-${r}`);
    mkdirSync(proj2);
    t0 = performance.now();
    res = spawnSync(process.execPath, [ggenBin, 'market', 'add', 'io.bench.big', '--registry', url], { cwd: proj2, env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
    ggenWarm.push(performance.now() - t0);

    const npmProj = join(work, `npm-proj-${r}`);
    mkdirSync(npmProj);
    writeFileSync(join(npmProj, 'package.json'), '{"name":"bench-consumer","version":"1.0.0","private":true}');
    t0 = performance.now();
    res = spawnSync('npm', ['install', published.tarballFile, '--no-audit', '--no-fund', '--ignore-scripts', '--offline', '--cache', join(work, `npm-cache-${r}`), '--loglevel', 'error'], { cwd: npmProj, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`npm install failed: ${res.stderr}`);
    npmCold.push(performance.now() - t0);
  }
} finally {
  server.kill('SIGTERM');
}
const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();

const result = {
  machine: { node: process.version, npm: npmVersion, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, load_average_1m: Math.round(loadavg()[0] * 100) / 100 },
  search: {
    packs: N,
    index_bytes: indexText.length,
    load_ms_median: ms(median(loadTimes)),
    queries: latencies.length,
    p50_ms: ms(percentile(latencies, 50)),
    p95_ms: ms(percentile(latencies, 95)),
    max_ms: ms(Math.max(...latencies)),
    target_p95_ms: 20,
    cli_search_wall_ms_median: ms(median(cliTimes)),
  },
  install: {
    files: fileCount,
    tarball_bytes: published.entry.size,
    runs: RUNS,
    ggen_add_cold_ms_median: ms(median(ggenCold)),
    ggen_add_warm_ms_median: ms(median(ggenWarm)),
    npm_install_ms_median: ms(median(npmCold)),
    ratio_ggen_cold_over_npm: ms(median(ggenCold) / median(npmCold)),
    ratio_ggen_warm_over_npm: ms(median(ggenWarm) / median(npmCold)),
  },
};
const resultsDir = join(repo, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'market.json'), `${JSON.stringify(result, null, 2)}\n`);
const s = result.search;
const i = result.install;
writeFileSync(join(resultsDir, 'market.md'), `# Market benchmark

Node ${result.machine.node}, npm ${result.machine.npm}, ${result.machine.platform}, ${result.machine.cpus} CPUs, load average ${result.machine.load_average_1m} at the end of the run
(other work on a shared machine makes absolute times noisy; ratios come from the same run). Produced by \`node bench/market/run.mjs\`.

## Search over a synthetic index of ${s.packs.toLocaleString('en')} packs (${(s.index_bytes / 1e6).toFixed(1)} MB index.json)

| measure | value |
| --- | --- |
| index load (read + parse + validate + build search index), median of 5 | ${s.load_ms_median} ms |
| query latency p50 (${s.queries} queries: words, multi-word, typos, filters, exact ids) | ${s.p50_ms} ms |
| query latency p95 (target < ${s.target_p95_ms} ms) | ${s.p95_ms} ms |
| query latency max | ${s.max_ms} ms |
| \`ggen market search\` wall time, whole process, median of 3 | ${s.cli_search_wall_ms_median} ms |

## Install of a ${i.files}-file pack (${(i.tarball_bytes / 1024).toFixed(1)} KiB tarball), median of ${i.runs} runs

| command | wall time | ratio to npm |
| --- | --- | --- |
| \`ggen market add\` from \`ggen market serve\` over HTTP, cold cache | ${i.ggen_add_cold_ms_median} ms | ${i.ratio_ggen_cold_over_npm} |
| \`ggen market add\`, warm cache (ETag revalidation, pack reused) | ${i.ggen_add_warm_ms_median} ms | ${i.ratio_ggen_warm_over_npm} |
| \`npm install <same .tgz path> --offline\`, fresh npm cache | ${i.npm_install_ms_median} ms | 1 |

Both sides are whole processes (Node start included); ggen also resolves, verifies sha512 integrity,
extracts safely into its content-addressed cache and writes ggen.lock.
`);
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
