// Finds the built CLI (dist/ggen.mjs) of the ggen package this module belongs to.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GgenError } from '../errors.js';

let cached: string | undefined;

/**
 * The path of `dist/ggen.mjs` in the same installed package as the running module (from src/, dist/
 * or dist/chunks/ alike): walk up to the package.json named "ggen". GGEN_BIN overrides it.
 */
export function ggenBinPath(): string {
  const override = process.env.GGEN_BIN;
  if (override !== undefined && override !== '') return override;
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ggen') {
          const bin = join(dir, 'dist', 'ggen.mjs');
          if (!existsSync(bin)) throw new GgenError('E_CLEANROOM', 'the ggen CLI is not built', { at: { file: bin }, hint: 'run `npm run build`' });
          cached = bin;
          return bin;
        }
      } catch (err) {
        if (err instanceof GgenError) throw err;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new GgenError('E_CLEANROOM', 'cannot find the ggen package that contains the cleanroom module', { hint: 'set GGEN_BIN to the path of dist/ggen.mjs' });
}
