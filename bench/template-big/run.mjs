// Big-output benchmark (issue 13): one render producing up to 100 MB, each case in its own process so its peak
// memory (max RSS) is its own. Target: peak under 3x the output size, time linear in the output.
// Writes bench/results/template-big.json and template-big.md. Never asserts on time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const results = join(root, 'bench', 'results');
mkdirSync(results, { recursive: true });

if (process.argv[2] === '--child') {
  const { createTemplateEngine } = await import(join(root, 'dist', 'index.mjs'));
  const [, , , tpl, n] = process.argv;
  const engine = createTemplateEngine();
  const baseline = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const out = engine.renderString(tpl, { n: Number(n) });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // The peak of the render itself, before anything reads the string (Buffer.byteLength would flatten it: a copy).
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const bytes = Buffer.byteLength(out);
  const peakWithFlatten = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ bytes, ms, peakRss, peakWithFlatten, baselineRss: baseline }));
  process.exit(0);
}

const cases = [
  { name: 'range loop, 1 byte a pass', tpl: '{% for i in range(end=n) %}x{% endfor %}', sizes: [1e6, 1e7, 1e8] },
  { name: 'range loop, a number and a newline a pass', tpl: '{% for i in range(end=n) %}{{ i }}\n{% endfor %}', sizes: [1e6, 1e7] },
  { name: 'nested loops with a filter', tpl: '{% for i in range(end=n) %}{% for j in range(end=100) %}{{ "ab" | upper }}{% endfor %}\n{% endfor %}', sizes: [1e4, 1e5, 5e5] },
];
const rows = [];
for (const c of cases) {
  for (const n of c.sizes) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', c.tpl, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${c.name} n=${n}: ${r.stderr}`);
    const m = JSON.parse(r.stdout);
    rows.push({ case: c.name, n, ...m, rssPerByte: (m.peakRss - m.baselineRss) / m.bytes });
    console.log(`${c.name} n=${n}: ${(m.bytes / 1e6).toFixed(1)} MB in ${(m.ms / 1000).toFixed(2)} s, peak RSS ${(m.peakRss / 1e6).toFixed(0)} MB (${(m.peakWithFlatten / 1e6).toFixed(0)} MB after flattening)`);
  }
}
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${loadavg()[0].toFixed(2)} when run`;
writeFileSync(join(results, 'template-big.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
const mb = (b) => (b / 1e6).toFixed(1);
let md = `# Big-output benchmark\n\nMachine: ${machine}. Produced by \`node bench/template-big/run.mjs\` (after \`npm run build\`).\n\n`;
md += 'One render per process; peak = the process\'s max RSS, "above baseline" subtracts the RSS before the render (Node itself).\n';
md += 'Target (issue 13): peak under 3× the output size, time linear. Before this work a 100 MB output peaked at 4.2 GB and took 44 s.\n\n';
md += 'The render returns a rope of flat chunks; "after flattening" is the peak once the caller reads it as one flat string (here Buffer.byteLength).\n\n';
md += '| Template | n | Output | Time | Peak RSS (render) | Render above baseline / output | Peak RSS after flattening |\n|---|---|---|---|---|---|---|\n';
for (const r of rows) md += `| ${r.case} | ${r.n.toExponential(0)} | ${mb(r.bytes)} MB | ${(r.ms / 1000).toFixed(2)} s | ${mb(r.peakRss)} MB | ${r.rssPerByte.toFixed(2)}× | ${mb(r.peakWithFlatten)} MB |\n`;
writeFileSync(join(results, 'template-big.md'), md);
