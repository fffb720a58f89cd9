// Hygen baseline: renders the same three files per entity from pre-computed JSON, in one process (no per-file spawn).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { runner, Logger } = require('hygen');

async function main() {
  const [modelFile, outDir] = process.argv.slice(2);
  const entities = JSON.parse(readFileSync(modelFile, 'utf8'));
  const logger = new Logger(() => {});
  for (const e of entities) {
    const result = await runner(['entity', 'new', '--name', e.name, '--data', JSON.stringify(e)], {
      templates: join(__dirname, 'hygen'),
      cwd: outDir,
      logger,
      debug: false,
      exec: () => Promise.resolve(),
      createPrompter: () => require('enquirer'),
    });
    if (!result.success) throw new Error(`hygen failed for ${e.name}`);
  }
}
main().catch((err) => { console.error(err); process.exit(1); });
