// The running ggen version: injected by esbuild into the bundle, read from package.json when running from source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ggenPackageDir } from './package-dir.js';

let cachedVersion: string | undefined;

export function ggenVersion(): string {
  if (cachedVersion) return cachedVersion;
  if (typeof __GGEN_VERSION__ === 'string') return (cachedVersion = __GGEN_VERSION__);
  const dir = ggenPackageDir();
  const version = dir === undefined ? undefined : (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  return (cachedVersion = version ?? '0.0.0');
}
