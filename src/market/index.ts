// Public surface of src/market: registries, search, install, lockfile, packing, signatures, serving, pack references.
export { resolvePackReference, installedPackDir, installedPack, type ResolvedPackReference, type PackReferenceOptions, type InstalledPackInfo } from './reference.js';
export { addPacks, removePack, updatePacks, installFromLock, listInstalledPacks, type MarketOptions, type MarketEvent, type InstallResult, type PackChange, type InstalledPack } from './install.js';
export { searchPacks, packInfo, listCategories, openCatalog, type SearchResult, type PackInfo, type CatalogOptions } from './info.js';
export { PackSearchIndex, countCategories, SEARCH_SORTS, type SearchSort, type SearchOptions, type SearchHit } from './search.js';
export { packDirectory, publishPack, buildPack, readPackManifest, type PackResult, type PublishResult, type BuiltPack } from './pack.js';
export { serveRegistry, type ServeOptions, type RunningServer } from './serve.js';
export { generateSigningKey, signPack, verifyPackSignature, keyFingerprint, type GeneratedKey, type TrustedKey } from './signing.js';
export { cacheStats, cleanCache, verifyCache, computeIntegrity, type CacheStats, type CacheProblem } from './store.js';
export { marketCacheRoot, cacheLayout } from './cache-dir.js';
export { parseGgenLock, readGgenLock, stringifyGgenLock, type GgenLock, type LockedPack } from './lockfile.js';
export { parseRegistryIndex, stringifyRegistryIndex, type RegistryIndex, type IndexPack, type IndexVersion, type PackSignature } from './registry-index.js';
export { parseGpackManifest, type GpackManifest } from './manifest.js';
export { parsePackSpec, parseTemplateRef, looksLikePackReference, packIdProblem } from './ids.js';
export { loadMarketConfig, normaliseRegistryUrl, BUNDLED_REGISTRY, type MarketConfig, type RegistrySource } from './config.js';
export { bundledRegistryDir } from './sources.js';
export { readPackTarball, writeTarGz } from './tar.js';
export { planPackTests, type PackTestPlan } from './pack-tests.js';
