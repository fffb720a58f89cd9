// Bundles the CLI (dist/ggen.mjs) and the library entries with esbuild.
// Small pure-JS dependencies every run needs (YAML, TOML, zod, commander, semver, diff3…) are bundled: loading
// them from node_modules file by file was a third of a no-op regeneration. The rest stays external and loads
// from node_modules; heavy ones are imported lazily inside command actions, so `ggen --help` never loads
// oxigraph or SHACL.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['commander', 'diff', 'lossless-json', 'node-diff3', 'semver', 'smol-toml', 'yaml', 'zod']);
const EXTERNAL = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  .filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]);
// Chunk names carry content hashes: old ones would pile up.
await rm(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { ggen: 'src/cli/bin.ts', index: 'src/index.ts', cleanroom: 'src/cleanroom/index.ts', 'cleanroom-vitest': 'src/cleanroom/vitest.ts', mcp: 'src/mcp/index.ts', 'sparql-worker': 'src/graph/endpoint/sync-worker.ts', 'graph-hash-worker': 'src/graph/hash-worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: false,
  legalComments: 'none',
  define: { __GGEN_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS (commander, semver) calls require() for Node built-ins.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __ggenCreateRequire } from 'node:module';\nconst require = __ggenCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
await chmod(new URL('../dist/ggen.mjs', import.meta.url), 0o755);
await import('./build-registry.mjs');
