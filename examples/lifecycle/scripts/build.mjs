// Build: bundle the modules of src/ into dist/app.mjs and copy the CLI entry (no dependencies needed).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const read = (f) => readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8');
const withoutImports = (code) => code.replace(/^import .*\n/gm, '');
const app = ['log.mjs', 'validate.mjs', 'app.mjs'].map((f) => withoutImports(read(f))).join('\n');
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/app.mjs', import.meta.url), `// Built by scripts/build.mjs.\nimport { readFileSync } from 'node:fs';\n${app}`);
writeFileSync(new URL('../dist/cli.mjs', import.meta.url), read('cli.mjs'));
console.log('built dist/app.mjs and dist/cli.mjs');
