// Runs every benchmark (bench/<area>/run.mjs), or only the areas named: `npm run bench -- graph template`.
// Each writes its figures to bench/results/<area>.json and bench/results/<area>.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const areas = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, 'run.mjs')))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
let failed = 0;
for (const area of areas) {
  console.log(`\n=== bench/${area} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(benchDir, area, 'run.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
