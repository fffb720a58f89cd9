// The directory of the installed ggen package (holding package.json, dist/, docs/), from src/, dist/ or dist/chunks/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Walks up from this module to the package.json named "ggen"; undefined when there is none (a broken install). */
export function ggenPackageDir(): string | undefined {
  if (cached !== undefined) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ggen') return (cached = dir);
      } catch {
        // an unreadable package.json of some other package: keep walking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
