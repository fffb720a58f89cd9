// The running ggen version: injected by esbuild into the bundle, read from package.json when running from source.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;

export function ggenVersion(): string {
  if (cachedVersion) return cachedVersion;
  if (typeof __GGEN_VERSION__ === 'string') return (cachedVersion = __GGEN_VERSION__);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ggen' && pkg.version) return (cachedVersion = pkg.version);
    }
  }
  return (cachedVersion = '0.0.0');
}
