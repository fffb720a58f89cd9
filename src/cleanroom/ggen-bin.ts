// Finds the built CLI (dist/ggen.mjs) of the ggen package this module belongs to.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { ggenPackageDir } from '../util/package-dir.js';

/**
 * The path of `dist/ggen.mjs` in the same installed package as the running module (from src/, dist/
 * or dist/chunks/ alike). GGEN_BIN overrides it.
 */
export function ggenBinPath(): string {
  const override = process.env.GGEN_BIN;
  if (override !== undefined && override !== '') return override;
  const dir = ggenPackageDir();
  if (dir === undefined) throw new GgenError('E_CLEANROOM', 'cannot find the ggen package that contains the cleanroom module', { hint: 'set GGEN_BIN to the path of dist/ggen.mjs' });
  const bin = join(dir, 'dist', 'ggen.mjs');
  if (!existsSync(bin)) throw new GgenError('E_CLEANROOM', 'the ggen CLI is not built', { at: { file: bin }, hint: 'run `npm run build`' });
  return bin;
}
