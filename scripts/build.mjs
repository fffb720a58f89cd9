// Bundles the CLI (dist/ggen.mjs) and the library entries with esbuild.
// Dependencies stay external and load from node_modules; heavy ones are imported
// lazily inside command actions, so `ggen --help` never loads oxigraph or SHACL.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: { ggen: 'src/cli/bin.ts', index: 'src/index.ts', cleanroom: 'src/cleanroom/index.ts', 'cleanroom-vitest': 'src/cleanroom/vitest.ts', mcp: 'src/mcp/index.ts', 'sparql-worker': 'src/graph/endpoint/sync-worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  define: { __GGEN_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
await chmod(new URL('../dist/ggen.mjs', import.meta.url), 0o755);
await import('./build-registry.mjs');
