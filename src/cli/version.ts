// The package version: injected by esbuild, read from package.json when running from source.
import { readFileSync } from 'node:fs';

export function ggenVersion(): string {
  if (typeof __GGEN_VERSION__ === 'string') return __GGEN_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
