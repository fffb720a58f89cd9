// `market search`, `info` and `categories` over the configured registries.
import semver from 'semver';
import { GgenError } from '../errors.js';
import { suggestPack } from './suggest.js';
import { loadMarketConfig } from './config.js';
import { assertPackId } from './ids.js';
import { readGgenLock } from './lockfile.js';
import type { IndexPack, IndexVersion } from './registry-index.js';
import { countCategories, PackSearchIndex, type SearchOptions } from './search.js';
import { loadCatalog, type Catalog } from './sources.js';

export interface CatalogOptions {
  projectRoot: string;
  registries?: string[];
  offline?: boolean;
  cacheRoot?: string;
}

export async function openCatalog(opts: CatalogOptions): Promise<Catalog> {
  const config = loadMarketConfig({ projectRoot: opts.projectRoot, registries: opts.registries });
  return loadCatalog(config.sources, { offline: opts.offline, cacheRoot: opts.cacheRoot });
}

export interface SearchResult {
  id: string;
  name: string;
  description: string;
  latest_version: string;
  category?: string;
  author?: string;
  license?: string;
  tags: string[];
  keywords: string[];
  downloads?: number;
  registry: string;
  score: number;
}

export async function searchPacks(query: string, opts: CatalogOptions & SearchOptions): Promise<SearchResult[]> {
  const catalog = await openCatalog(opts);
  const index = new PackSearchIndex(catalog.entries.map((e) => e.pack));
  return index.search(query, opts).map(({ pack, score }) => {
    const r: SearchResult = { id: pack.id, name: pack.name, description: pack.description, latest_version: pack.latest_version, tags: pack.tags, keywords: pack.keywords, registry: catalog.get(pack.id)!.registry.source.url, score };
    if (pack.category) r.category = pack.category;
    if (pack.author) r.author = pack.author;
    if (pack.license) r.license = pack.license;
    if (pack.downloads !== undefined) r.downloads = pack.downloads;
    return r;
  });
}

export interface PackInfo {
  pack: IndexPack;
  registry: string;
  versions: IndexVersion[];
  latest: IndexVersion | undefined;
  installed?: string;
}

export async function packInfo(id: string, opts: CatalogOptions): Promise<PackInfo> {
  assertPackId(id);
  const catalog = await openCatalog(opts);
  const entry = catalog.get(id);
  if (!entry) throw new GgenError('E_REGISTRY', `pack "${id}" not found in the registry`, { hint: suggestPack(id, catalog.ids()) ?? 'search with `ggen market search QUERY`' });
  const versions = Object.values(entry.pack.versions).filter((v) => semver.valid(v.version)).sort((a, b) => semver.rcompare(a.version, b.version));
  const lock = await readGgenLock(opts.projectRoot).catch(() => undefined);
  const info: PackInfo = { pack: entry.pack, registry: entry.registry.source.url, versions, latest: entry.pack.versions[entry.pack.latest_version] };
  const installed = lock?.packs.find((p) => p.id === id)?.version;
  if (installed) info.installed = installed;
  return info;
}

export async function listCategories(opts: CatalogOptions): Promise<Array<{ category: string; count: number }>> {
  const catalog = await openCatalog(opts);
  return countCategories(catalog.entries.map((e) => e.pack));
}
