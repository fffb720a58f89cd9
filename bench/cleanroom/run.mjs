// Cleanroom benchmark: env create+dispose (plain and with a network namespace), `run` overhead over a bare
// spawn (plain, in a network namespace, in a PID namespace), postgres readiness, and 100 scenarios serial vs parallel.
// Writes bench/results/cleanroom.json and bench/results/cleanroom.md. Needs a built dist (npm run build).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CleanroomEnv, runScenarioFiles } from '../../dist/cleanroom.mjs';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const quick = process.argv.includes('--quick');

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), min: s[0], max: s[s.length - 1] };
}
const r3 = (x) => Math.round(x * 1000) / 1000;
const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? r3(v) : v]));

function bareSpawn(command) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', resolve);
    child.stdin.end();
  });
}

async function benchCreateDispose(n, config = {}) {
  for (let i = 0; i < 20; i++) await (await CleanroomEnv.create(config)).dispose(); // warm-up
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const env = await CleanroomEnv.create(config);
    await env.dispose();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

// The file system part alone (what create + dispose cannot go below): mkdir -p <dir>/work, rm -r <dir>.
async function benchBareMkdirRm(n) {
  const base = mkdtempSync(join(tmpdir(), 'ggen-bench-mkdir-'));
  try {
    const samples = [];
    for (let i = 0; i < n + 20; i++) {
      const t0 = performance.now();
      await mkdir(join(base, `d${i}`, 'work'), { recursive: true });
      await rm(join(base, `d${i}`), { recursive: true, force: true });
      if (i >= 20) samples.push(performance.now() - t0);
    }
    return stats(samples);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function benchBareSpawn(n) {
  for (let i = 0; i < 10; i++) await bareSpawn('true');
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await bareSpawn('true');
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

async function benchPostgres(n) {
  const env = await CleanroomEnv.create();
  const samples = [];
  try {
    let t0 = performance.now();
    const first = await env.service('pg0', { use: 'postgres' });
    const cold = performance.now() - t0;
    await first.stop();
    for (let i = 0; i < n; i++) {
      t0 = performance.now();
      const db = await env.service(`pg${i + 1}`, { use: 'postgres' });
      const r = await env.run('psql', ['-XAtc', 'select 1'], { env: db.env });
      if (r.stdout !== '1\n') throw new Error(`postgres did not answer: ${r.stderr}`);
      samples.push(db.readyMs);
      await db.stop();
    }
    return { coldMs: cold, warm: stats(samples) };
  } finally {
    await env.dispose();
  }
}

async function benchRunOverhead(n, config = {}) {
  const env = await CleanroomEnv.create(config);
  try {
    for (let i = 0; i < 20; i++) { await bareSpawn('true'); await env.run('true'); } // warm-up
    const bare = [];
    const run = [];
    // Interleaved so that machine noise hits both alike.
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      await bareSpawn('true');
      bare.push(performance.now() - t0);
      t0 = performance.now();
      await env.run('true');
      run.push(performance.now() - t0);
    }
    const b = stats(bare);
    const r = stats(run);
    return { bare: b, run: r, overheadMedianMs: r.median - b.median, ratio: r.median / b.median };
  } finally {
    await env.dispose();
  }
}

// The same execution measured twice: by the cleanroom (the launcher's wait4/getrusage) and by GNU time inside it.
async function benchGnuTime(n) {
  const env = await CleanroomEnv.create();
  const work = 'a = bytearray(120 * 1024 * 1024)\nfor i in range(0, len(a), 4096): a[i] = 1\ns = 0\nfor i in range(3_000_000): s += i * i\nprint(s)';
  const rows = [];
  try {
    for (let i = 0; i < n; i++) {
      const r = await env.run('/usr/bin/time', ['-f', '%e %U %S %M', '-o', 'time.txt', 'python3', '-c', work]);
      if (r.exitCode !== 0) throw new Error(`GNU time run failed: ${r.stderr}`);
      const [e, u, s, m] = (await env.readFile('time.txt')).trim().split(' ').map(Number);
      rows.push({ wall: [r.usage.wallMs, e * 1000], cpu: [r.usage.userMs + r.usage.sysMs, (u + s) * 1000], rss: [r.usage.peakRssKb, m] });
    }
  } finally {
    await env.dispose();
  }
  const out = { n };
  for (const k of ['wall', 'cpu', 'rss']) {
    const devs = rows.map((row) => Math.abs(row[k][0] - row[k][1]) / row[k][1] * 100);
    out[k] = { cleanroomMedian: stats(rows.map((row) => row[k][0])).median, gnuTimeMedian: stats(rows.map((row) => row[k][1])).median, maxDeviationPct: Math.max(...devs), medianDeviationPct: stats(devs).median };
  }
  return out;
}

async function benchScenarios(count) {
  const dir = mkdtempSync(join(tmpdir(), 'ggen-bench-scenarios-'));
  try {
    const scenario = `name = "bench"
[[steps]]
write = "in.txt"
content = "hello"
[[steps]]
run = "tr a-z A-Z < in.txt > out.txt"
[[steps]]
run = ["cat", "out.txt"]
stdout = "^HELLO$"
[expect]
files_exist = ["out.txt"]
[[expect.validators]]
type = "parses"
file = "in.txt"
format = "yaml"
`;
    const files = [];
    for (let i = 0; i < count; i++) {
      const f = join(dir, `s${String(i).padStart(3, '0')}.toml`);
      writeFileSync(f, scenario);
      files.push(f);
    }
    await runScenarioFiles(files.slice(0, 5)); // warm-up (imports, caches)
    const out = {};
    for (const jobs of [1, 2, 4]) {
      const t0 = performance.now();
      const report = await runScenarioFiles(files, { concurrency: jobs });
      const ms = performance.now() - t0;
      if (!report.passed) throw new Error(`scenario bench failed: ${JSON.stringify(report.scenarios.find((s) => s.status !== 'passed'))}`);
      out[`jobs${jobs}`] = { totalMs: ms, perScenarioMs: ms / count };
    }
    out.speedupJobs2 = out.jobs1.totalMs / out.jobs2.totalMs;
    out.speedupJobs4 = out.jobs1.totalMs / out.jobs4.totalMs;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadAtStart = r3(loadavg()[0]);
const createN = quick ? 100 : 1000;
const runN = quick ? 50 : 300;
console.log(`cleanroom: create+dispose ×${createN}, run overhead ×${runN}, 100 scenarios at jobs 1/2/4`);
const bareAtStart = round(await benchBareSpawn(runN));
console.log('bare spawn', bareAtStart);
const bareMkdirRm = round(await benchBareMkdirRm(createN));
console.log('bare mkdir+rm', bareMkdirRm);
const createDispose = round(await benchCreateDispose(createN));
console.log('create+dispose', createDispose);
const createDisposeNetns = round(await benchCreateDispose(quick ? 30 : 200, { network: 'loopback' }));
console.log('create+dispose, network loopback', createDisposeNetns);
const createDisposeNone = round(await benchCreateDispose(quick ? 30 : 200, { network: 'none' }));
console.log('create+dispose, network none', createDisposeNone);
const shape = (o) => ({ bare: round(o.bare), run: round(o.run), overheadMedianMs: r3(o.overheadMedianMs), ratio: r3(o.ratio) });
const runOverhead = shape(await benchRunOverhead(runN));
console.log('run overhead', runOverhead);
const runOverheadNetns = shape(await benchRunOverhead(quick ? 30 : 150, { network: 'loopback' }));
console.log('run overhead, network loopback', runOverheadNetns);
const runOverheadPidns = shape(await benchRunOverhead(quick ? 30 : 150, { pidNamespace: true }));
console.log('run overhead, PID namespace', runOverheadPidns);
const pg = await benchPostgres(quick ? 2 : 5);
const postgres = { coldMs: r3(pg.coldMs), warm: round(pg.warm) };
console.log('postgres ready', postgres);
const gt = await benchGnuTime(quick ? 3 : 10);
const gnuTime = { n: gt.n, wall: round(gt.wall), cpu: round(gt.cpu), rss: round(gt.rss) };
console.log('usage vs GNU time', gnuTime);
const sc = await benchScenarios(100);
const scenarios = { jobs1: round(sc.jobs1), jobs2: round(sc.jobs2), jobs4: round(sc.jobs4), speedupJobs2: r3(sc.speedupJobs2), speedupJobs4: r3(sc.speedupJobs4) };
console.log('scenarios', scenarios);

const machine = { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', platform: process.platform, loadAverage1mAtStart: loadAtStart, loadAverage1m: r3(loadavg()[0]) };
const results = {
  machine,
  bareSpawnMs: bareAtStart,
  bareMkdirRmMs: bareMkdirRm,
  createDisposeMs: createDispose,
  createDisposeNetnsMs: createDisposeNetns,
  createDisposeNoneMs: createDisposeNone,
  runOverhead,
  runOverheadNetns,
  runOverheadPidns,
  postgresReadyMs: postgres,
  usageVsGnuTime: gnuTime,
  scenarios100: scenarios,
  targets: { createDisposeMedianMs: 2, createDisposeNetnsMedianMs: 30, postgresReadyMs: 3000, runOverheadMedianMs: 5 },
  meetsTargets: {
    createDispose: createDispose.median < 2,
    createDisposeNetns: createDisposeNetns.median < 30,
    postgresCold: postgres.coldMs < 3000,
    postgresWarm: postgres.warm.median < 3000,
    runOverhead: runOverhead.overheadMedianMs < 5,
    usageWithin10PctOfGnuTime: ['wall', 'cpu', 'rss'].every((k) => gnuTime[k].maxDeviationPct <= 10),
  },
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'cleanroom.json'), `${JSON.stringify(results, null, 2)}\n`);
const ok = (b) => (b ? '✓' : '✗');
const vsBare = (ms) => `×${(ms / bareAtStart.median).toFixed(1)}`;
const md = `# Cleanroom benchmark

Machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}, 1-minute load average ${machine.loadAverage1mAtStart} at the start and ${machine.loadAverage1m} at the end. **The machine is shared**: other jobs ran on the same 2 cores during this run, so the figures are pessimistic and the p95s show the noise. Produced by \`node bench/cleanroom/run.mjs\`.
Every process runs under the cleanroom launcher (perl: rlimits, pids cgroup, subreaper, namespaces, kernel usage), so \`run\` pays one perl start on top of the bare spawn.

Reference, same run: bare \`spawn('true')\` median **${bareAtStart.median.toFixed(3)} ms** (p95 ${bareAtStart.p95.toFixed(3)} ms, n=${bareAtStart.n}). "vs bare" is the median divided by it.

| Measure | Median | p95 | vs bare | Target |
|---|---|---|---|---|
| bare \`mkdir -p dir/work\` + \`rm -r dir\` (the file system part of create + dispose; n=${bareMkdirRm.n}) | ${bareMkdirRm.median.toFixed(3)} ms | ${bareMkdirRm.p95.toFixed(3)} ms | ${vsBare(bareMkdirRm.median)} | |
| \`create()\` + \`dispose()\`, no isolation (n=${createDispose.n}) | ${createDispose.median.toFixed(3)} ms | ${createDispose.p95.toFixed(3)} ms | ${vsBare(createDispose.median)} | < 2 ms ${ok(results.meetsTargets.createDispose)} |
| \`create()\` + \`dispose()\`, \`network: 'loopback'\` (n=${createDisposeNetns.n}) | ${createDisposeNetns.median.toFixed(3)} ms | ${createDisposeNetns.p95.toFixed(3)} ms | ${vsBare(createDisposeNetns.median)} | < 30 ms ${ok(results.meetsTargets.createDisposeNetns)} |
| \`create()\` + \`dispose()\`, \`network: 'none'\` (n=${createDisposeNone.n}) | ${createDisposeNone.median.toFixed(3)} ms | ${createDisposeNone.p95.toFixed(3)} ms | ${vsBare(createDisposeNone.median)} | < 30 ms ${ok(createDisposeNone.median < 30)} |
| \`env.run('true')\` (n=${runOverhead.run.n}; bare interleaved ${runOverhead.bare.median.toFixed(3)} ms) | ${runOverhead.run.median.toFixed(3)} ms | ${runOverhead.run.p95.toFixed(3)} ms | ×${runOverhead.ratio.toFixed(2)} | overhead ${runOverhead.overheadMedianMs.toFixed(3)} ms < 5 ms ${ok(results.meetsTargets.runOverhead)} |
| \`env.run('true')\`, network namespace (n=${runOverheadNetns.run.n}) | ${runOverheadNetns.run.median.toFixed(3)} ms | ${runOverheadNetns.run.p95.toFixed(3)} ms | ×${runOverheadNetns.ratio.toFixed(2)} | |
| \`env.run('true')\`, PID namespace (n=${runOverheadPidns.run.n}) | ${runOverheadPidns.run.median.toFixed(3)} ms | ${runOverheadPidns.run.p95.toFixed(3)} ms | ×${runOverheadPidns.ratio.toFixed(2)} | |
| \`env.service('postgres')\` ready, first in the process (initdb) | ${postgres.coldMs.toFixed(0)} ms | | ${vsBare(postgres.coldMs)} | < 3 s ${ok(results.meetsTargets.postgresCold)} |
| \`env.service('postgres')\` ready, later (copy of the initdb template; n=${postgres.warm.n}) | ${postgres.warm.median.toFixed(0)} ms | ${postgres.warm.p95.toFixed(0)} ms | ${vsBare(postgres.warm.median)} | < 3 s ${ok(results.meetsTargets.postgresWarm)} |

Usage against GNU time: the same execution (\`/usr/bin/time python3 …\` touching 120 MiB and spinning ~0.5 s, n=${gnuTime.n}) measured by the cleanroom (wait4/getrusage in the launcher) and by GNU time inside it. GNU time prints seconds with two decimals, so a few ms of wall or CPU is already ~1%.

| Figure | Cleanroom (median) | GNU time (median) | Deviation: median / max | Within 10% |
|---|---|---|---|---|
| wall | ${gnuTime.wall.cleanroomMedian.toFixed(1)} ms | ${gnuTime.wall.gnuTimeMedian.toFixed(0)} ms | ${gnuTime.wall.medianDeviationPct.toFixed(2)}% / ${gnuTime.wall.maxDeviationPct.toFixed(2)}% | ${ok(gnuTime.wall.maxDeviationPct <= 10)} |
| CPU (user + sys) | ${gnuTime.cpu.cleanroomMedian.toFixed(1)} ms | ${gnuTime.cpu.gnuTimeMedian.toFixed(0)} ms | ${gnuTime.cpu.medianDeviationPct.toFixed(2)}% / ${gnuTime.cpu.maxDeviationPct.toFixed(2)}% | ${ok(gnuTime.cpu.maxDeviationPct <= 10)} |
| peak RSS | ${gnuTime.rss.cleanroomMedian} KiB | ${gnuTime.rss.gnuTimeMedian} KiB | ${gnuTime.rss.medianDeviationPct.toFixed(2)}% / ${gnuTime.rss.maxDeviationPct.toFixed(2)}% | ${ok(gnuTime.rss.maxDeviationPct <= 10)} |

100 scenarios (write a file, two process steps, two expectations; each in its own cleanroom):

| Jobs | Total | Per scenario | Speed-up vs 1 job |
|---|---|---|---|
| 1 | ${scenarios.jobs1.totalMs.toFixed(0)} ms | ${scenarios.jobs1.perScenarioMs.toFixed(2)} ms | 1.00× |
| 2 | ${scenarios.jobs2.totalMs.toFixed(0)} ms | ${scenarios.jobs2.perScenarioMs.toFixed(2)} ms | ${scenarios.speedupJobs2.toFixed(2)}× |
| 4 | ${scenarios.jobs4.totalMs.toFixed(0)} ms | ${scenarios.jobs4.perScenarioMs.toFixed(2)} ms | ${scenarios.speedupJobs4.toFixed(2)}× |
`;
writeFileSync(join(resultsDir, 'cleanroom.md'), md);
console.log(`wrote ${join(resultsDir, 'cleanroom.json')} and cleanroom.md`);
