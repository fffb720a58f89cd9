// Lifecycle benchmark: runner overhead on a 20-phase no-op pipeline over 8 workspaces vs a plain shell
// script, and the time to decide that a 20 × 8 pipeline with 1,000 input files is fully cached.
// Writes bench/results/lifecycle.json and lifecycle.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const ggen = join(repo, 'dist', 'ggen.mjs');
const WORKSPACES = 8;
const PHASES = 20;
const FILES = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const phaseNames = Array.from({ length: PHASES }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
const wsNames = Array.from({ length: WORKSPACES }, (_, i) => `ws${i + 1}`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function makeProject({ parallel, cached }) {
  const dir = mkdtempSync(join(tmpdir(), 'ggen-bench-lc-'));
  const toml = ['[project]', 'name = "bench"', ''];
  for (const p of phaseNames) {
    toml.push(`[lifecycle.${p}]`, 'command = "true"', `parallel = ${parallel}`);
    if (cached) toml.push('inputs = ["src/**"]', `outputs = ["out/${p}.txt"]`);
    toml.push('');
  }
  for (const w of wsNames) {
    toml.push(`[workspace.${w}]`, `path = "${w}"`, '');
    mkdirSync(join(dir, w, 'out'), { recursive: true });
    if (cached) {
      for (const p of phaseNames) writeFileSync(join(dir, w, 'out', `${p}.txt`), 'x');
      mkdirSync(join(dir, w, 'src', 'nested'), { recursive: true });
      for (let f = 0; f < FILES / WORKSPACES; f++) writeFileSync(join(dir, w, 'src', f % 2 ? 'nested' : '', `file${f}.txt`), `content ${w} ${f}\n`.repeat(20));
    }
  }
  writeFileSync(join(dir, 'make.toml'), toml.join('\n'));
  return dir;
}

function runGgen(dir, args) {
  const r = spawnSync(process.execPath, [ggen, 'lifecycle', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ggen ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// --- 1. overhead of a no-op pipeline ---
function overhead(parallel) {
  const dir = makeProject({ parallel, cached: false });
  // The same 160 commands as a shell script: phase by phase, workspace by workspace.
  const inline = ['set -e', ...phaseNames.flatMap(() => wsNames.map((w) => `(cd ${w} && true)`))].join('\n');
  const perProcess = ['set -e', ...phaseNames.flatMap(() => wsNames.map((w) => `(cd ${w} && sh -c 'true')`))].join('\n');
  writeFileSync(join(dir, 'inline.sh'), inline);
  writeFileSync(join(dir, 'per-process.sh'), perProcess);
  runGgen(dir, ['pipeline', ...phaseNames]); // warm-up (file cache, state files)
  const g = [], a = [], b = [];
  for (let i = 0; i < RUNS; i++) {
    g.push(time(() => runGgen(dir, ['pipeline', ...phaseNames])));
    a.push(time(() => execFileSync('sh', ['inline.sh'], { cwd: dir })));
    b.push(time(() => execFileSync('sh', ['per-process.sh'], { cwd: dir })));
  }
  rmSync(dir, { recursive: true, force: true });
  return { ggenMs: median(g), scriptMs: median(a), scriptShPerCommandMs: median(b) };
}

// --- 2. deciding a fully cached pipeline ---
async function cachedDecision() {
  const dir = makeProject({ parallel: true, cached: true });
  runGgen(dir, ['pipeline', ...phaseNames]); // populate cache keys
  const out = runGgen(dir, ['pipeline', ...phaseNames]);
  const cachedRows = (out.match(/cached/g) ?? []).length;
  const cli = [];
  for (let i = 0; i < RUNS; i++) cli.push(time(() => runGgen(dir, ['pipeline', ...phaseNames])));
  const { loadMakeToml, runPipeline } = await import(join(repo, 'dist', 'index.mjs'));
  const lib = [];
  let statuses = new Set();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { make } = loadMakeToml({ root: dir });
    const result = await runPipeline({ make, phases: phaseNames });
    lib.push(performance.now() - t0);
    statuses = new Set(result.rows.map((r) => r.status));
  }
  const nodeStart = [];
  const cliFloor = [];
  for (let i = 0; i < RUNS; i++) {
    nodeStart.push(time(() => spawnSync(process.execPath, ['-e', '0'])));
    cliFloor.push(time(() => spawnSync(process.execPath, [ggen, '--version'])));
  }
  rmSync(dir, { recursive: true, force: true });
  return { cliMs: median(cli), libraryMs: median(lib), nodeStartupMs: median(nodeStart), cliFloorMs: median(cliFloor), cachedRowsInSummary: cachedRows, statuses: [...statuses] };
}

const seq = overhead(false);
const par = overhead(true);
const cached = await cachedDecision();
const r1 = (x) => Math.round(x * 10) / 10;
const results = {
  machine: { cpus: cpus().length, parallelism: availableParallelism(), node: process.version, runs: RUNS },
  noopPipeline: {
    workspaces: WORKSPACES, phases: PHASES, commands: WORKSPACES * PHASES,
    sequential: { ggenMs: r1(seq.ggenMs), scriptMs: r1(seq.scriptMs), scriptShPerCommandMs: r1(seq.scriptShPerCommandMs), ratioVsScript: r1(seq.ggenMs / seq.scriptMs), ratioVsShPerCommand: r1(seq.ggenMs / seq.scriptShPerCommandMs), targetMs: r1(1.5 * seq.scriptMs + 100), meetsTarget: seq.ggenMs <= 1.5 * seq.scriptMs + 100 },
    parallel: { ggenMs: r1(par.ggenMs), scriptMs: r1(par.scriptMs), scriptShPerCommandMs: r1(par.scriptShPerCommandMs), ratioVsScript: r1(par.ggenMs / par.scriptMs), ratioVsShPerCommand: r1(par.ggenMs / par.scriptShPerCommandMs), targetMs: r1(1.5 * par.scriptMs + 100), meetsTarget: par.ggenMs <= 1.5 * par.scriptMs + 100 },
  },
  cachedPipeline: { workspaces: WORKSPACES, phases: PHASES, inputFiles: FILES, cliMs: r1(cached.cliMs), libraryMs: r1(cached.libraryMs), nodeStartupMs: r1(cached.nodeStartupMs), ggenVersionMs: r1(cached.cliFloorMs), targetMs: 150, libraryMeetsTarget: cached.libraryMs < 150, cliMeetsTarget: cached.cliMs < 150, statuses: cached.statuses },
};
const resultsDir = join(repo, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'lifecycle.json'), `${JSON.stringify(results, null, 2)}\n`);
const n = results.noopPipeline;
const c = results.cachedPipeline;
const md = `# Lifecycle benchmark

Machine: ${results.machine.cpus} CPUs, Node ${results.machine.node}; medians of ${RUNS} runs. The machine is shared with\nother jobs, so absolute figures vary between runs (±50% seen); compare within one run.

## No-op pipeline: ${n.phases} phases × ${n.workspaces} workspaces (${n.commands} \`true\` commands)

| mode | ggen pipeline | shell script (inline) | ratio | target (1.5× + 100 ms) | shell script (\`sh -c\` per command) | ratio |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| sequential | ${n.sequential.ggenMs} ms | ${n.sequential.scriptMs} ms | ${n.sequential.ratioVsScript}× | ${n.sequential.targetMs} ms ${n.sequential.meetsTarget ? '✅' : '❌'} | ${n.sequential.scriptShPerCommandMs} ms | ${n.sequential.ratioVsShPerCommand}× |
| parallel = true | ${n.parallel.ggenMs} ms | ${n.parallel.scriptMs} ms | ${n.parallel.ratioVsScript}× | ${n.parallel.targetMs} ms ${n.parallel.meetsTarget ? '✅' : '❌'} | ${n.parallel.scriptShPerCommandMs} ms | ${n.parallel.ratioVsShPerCommand}× |

ggen's time includes Node start-up, loading make.toml, preflight checks, one \`sh -c\` per command
(started by pooled long-lived \`sh\` runners), streaming output, and atomic writes of each
workspace's \`.ggen/state.json\`. The inline script runs \`true\` as a shell builtin (no process per
command); the \`sh -c\` script starts one shell per command, as a runner must.

## Fully cached pipeline: ${c.phases} phases × ${c.workspaces} workspaces, ${c.inputFiles} input files

| measure | time | target |
| --- | ---: | ---: |
| library (load make.toml + decide all ${c.phases * c.workspaces} tasks cached) | ${c.libraryMs} ms | < 150 ms ${c.libraryMeetsTarget ? '✅' : '❌'} |
| CLI end to end (\`ggen lifecycle pipeline …\`) | ${c.cliMs} ms | < 150 ms ${c.cliMeetsTarget ? '✅' : '❌'} |
| bare \`node -e 0\` start-up, for reference | ${c.nodeStartupMs} ms | |
| \`ggen --version\` (CLI start-up floor), for reference | ${c.ggenVersionMs} ms | |

Statuses seen: ${c.statuses.join(', ')}.
`;
writeFileSync(join(resultsDir, 'lifecycle.md'), md);
console.log(md);
