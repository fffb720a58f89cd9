// Where ggen caches registry indexes, tarballs and extracted packs (XDG; GGEN_CACHE_DIR overrides).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The cache root: $GGEN_CACHE_DIR, else the platform cache dir + "/ggen". */
export function marketCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GGEN_CACHE_DIR) return resolve(env.GGEN_CACHE_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'ggen');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'ggen', 'cache');
  // XDG says relative values must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ggen');
}

export interface CacheLayout {
  root: string;
  /** Registry indexes: <key>.json (raw) and <key>.meta.json (url, etag, last-modified). */
  indexes: string;
  /** Tarballs named by the hex of their sha512. */
  tarballs: string;
  /** Extracted packs: <hex>/ plus <hex>.json (id, version, per-file sha256). */
  packs: string;
}

export function cacheLayout(root = marketCacheRoot()): CacheLayout {
  return { root, indexes: join(root, 'index'), tarballs: join(root, 'tarballs'), packs: join(root, 'packs') };
}
