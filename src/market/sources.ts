// Loads registry indexes from file://, http(s):// or the bundled registry, with an on-disk cache (ETag / If-Modified-Since).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { writeFileAtomic } from '../util/fs.js';
import { cacheLayout } from './cache-dir.js';
import { BUNDLED_REGISTRY, type RegistrySource } from './config.js';
import { httpGet } from './http.js';
import { parseRegistryIndex, type IndexPack, type RegistryIndex } from './registry-index.js';

export interface LoadedRegistry {
  source: RegistrySource;
  /** Absolute URL of the index (tarball URLs resolve against it). */
  indexUrl: string;
  index: RegistryIndex;
  /** True when the index came from the on-disk cache (offline, or 304 Not Modified). */
  fromCache: boolean;
}

export interface LoadOptions {
  offline?: boolean;
  cacheRoot?: string;
}

/** The directory holding the registry bundled with ggen (registry-bundled/ next to dist/). */
export function bundledRegistryDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'registry-bundled');
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new GgenError('E_REGISTRY', 'the bundled default registry is missing from this ggen installation', { hint: 'reinstall ggen, or pass --registry URL' });
}

interface CacheMeta {
  url: string;
  etag?: string;
  last_modified?: string;
  fetched_at: string;
}

function indexCachePaths(url: string, cacheRoot?: string) {
  const key = sha256Hex(url).slice(0, 24);
  const dir = cacheLayout(cacheRoot).indexes;
  return { body: join(dir, `${key}.json`), meta: join(dir, `${key}.meta.json`) };
}

async function readCached(url: string, cacheRoot?: string): Promise<{ text: string; meta: CacheMeta; file: string } | undefined> {
  const paths = indexCachePaths(url, cacheRoot);
  if (!existsSync(paths.body) || !existsSync(paths.meta)) return undefined;
  try {
    const meta = JSON.parse(await readFile(paths.meta, 'utf8')) as CacheMeta;
    return { text: await readFile(paths.body, 'utf8'), meta, file: paths.body };
  } catch {
    return undefined;
  }
}

async function loadHttpIndex(source: RegistrySource, opts: LoadOptions): Promise<LoadedRegistry> {
  const indexUrl = new URL('index.json', source.url).href;
  const cached = await readCached(indexUrl, opts.cacheRoot);
  if (opts.offline) {
    if (!cached) throw new GgenError('E_REGISTRY', `no cached index for ${source.url} (offline)`, { hint: 'run once without --offline to fill the cache' });
    return { source, indexUrl, index: parseRegistryIndex(cached.text, cached.file), fromCache: true };
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cached?.meta.etag) headers['if-none-match'] = cached.meta.etag;
  if (cached?.meta.last_modified) headers['if-modified-since'] = cached.meta.last_modified;
  let res;
  try {
    res = await httpGet(indexUrl, { headers, what: 'registry index', maxBytes: 256 * 1024 * 1024 });
  } catch (err) {
    if (err instanceof GgenError && err.code === 'E_NETWORK' && cached) {
      throw new GgenError('E_NETWORK', err.message, { at: err.at, hint: `the registry looks down; \`--offline\` uses the index cached at ${cached.meta.fetched_at}`, cause: err });
    }
    throw err;
  }
  if (res.status === 304 && cached) return { source, indexUrl, index: parseRegistryIndex(cached.text, cached.file), fromCache: true };
  const text = res.body.toString('utf8');
  // Validate before caching, so a broken index never replaces a good cached one.
  const index = parseRegistryIndex(text, indexUrl);
  const paths = indexCachePaths(indexUrl, opts.cacheRoot);
  const meta: CacheMeta = { url: indexUrl, fetched_at: new Date().toISOString() };
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) meta.etag = etag;
  if (lastModified) meta.last_modified = lastModified;
  await writeFileAtomic(paths.body, text);
  await writeFileAtomic(paths.meta, `${JSON.stringify(meta, null, 2)}\n`);
  return { source, indexUrl, index, fromCache: false };
}

async function loadFileIndex(source: RegistrySource, dir: string): Promise<LoadedRegistry> {
  const file = join(dir, 'index.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GgenError('E_REGISTRY', code === 'ENOENT' ? 'registry index not found' : `cannot read registry index: ${code}`, { at: { file }, hint: 'a directory registry holds index.json; create one with `ggen market publish DIR --registry file://…`' });
  }
  return { source, indexUrl: pathToFileURL(file).href, index: parseRegistryIndex(text, file), fromCache: false };
}

/** Loads one registry's index. */
export async function loadRegistry(source: RegistrySource, opts: LoadOptions = {}): Promise<LoadedRegistry> {
  if (source.url === BUNDLED_REGISTRY) return loadFileIndex(source, bundledRegistryDir());
  if (source.url.startsWith('file:')) return loadFileIndex(source, fileURLToPath(source.url));
  return loadHttpIndex(source, opts);
}

export interface CatalogEntry {
  pack: IndexPack;
  registry: LoadedRegistry;
}

/** Packs of several registries: for one id the first registry that has it wins (no mixing across registries). */
export class Catalog {
  readonly entries: CatalogEntry[];
  private readonly byId = new Map<string, CatalogEntry>();

  constructor(readonly registries: LoadedRegistry[]) {
    for (const registry of registries) {
      for (const pack of Object.values(registry.index.packs)) {
        if (!this.byId.has(pack.id)) this.byId.set(pack.id, { pack, registry });
      }
    }
    this.entries = [...this.byId.values()].sort((a, b) => (a.pack.id < b.pack.id ? -1 : a.pack.id > b.pack.id ? 1 : 0));
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return this.entries.map((e) => e.pack.id);
  }
}

/** Loads every configured registry, in order. */
export async function loadCatalog(sources: RegistrySource[], opts: LoadOptions = {}): Promise<Catalog> {
  const loaded: LoadedRegistry[] = [];
  for (const source of sources) loaded.push(await loadRegistry(source, opts));
  return new Catalog(loaded);
}

/** A stable label for a registry in the lockfile ("bundled" stays machine-independent). */
export function registryLabel(registry: LoadedRegistry): string {
  return registry.source.url;
}
