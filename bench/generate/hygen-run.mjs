// Hygen baseline: renders the same three files per entity from pre-computed JSON, in one process (no per-file spawn).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { runner, Logger } = require('hygen');
const here = fileURLToPath(new URL('.', import.meta.url));

const [modelFile, outDir] = process.argv.slice(2);
const entities = JSON.parse(readFileSync(modelFile, 'utf8'));
const logger = new Logger(() => {});
for (const e of entities) {
  const result = await runner(['entity', 'new', '--name', e.name, '--data', JSON.stringify(e)], {
    templates: join(here, 'hygen'),
    cwd: outDir,
    logger,
    debug: false,
    exec: () => Promise.resolve(),
    createPrompter: () => require('enquirer'),
  });
  if (!result.success) throw new Error(`hygen failed for ${e.name}`);
}
