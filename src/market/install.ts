// add / remove / update / install: resolve, download, verify (integrity, signatures), store, and write ggen.lock under a file lock.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GgenError } from '../errors.js';
import { cacheLayout, marketCacheRoot, type CacheLayout } from './cache-dir.js';
import { BUNDLED_REGISTRY, loadMarketConfig } from './config.js';
import { withFileLock } from '../util/file-lock.js';
import { httpGet } from './http.js';
import { parsePackSpec } from './ids.js';
import { readGgenLock, stringifyGgenLock, writeGgenLock, type GgenLock, type LockedPack } from './lockfile.js';
import { resolvePacks, type ResolvedPack } from './resolve.js';
import { verifyPackSignature } from './signing.js';
import { bundledRegistryDir, loadCatalog, type Catalog } from './sources.js';
import { findStoredPack, readStoredTarball, storePack } from './store.js';

export interface MarketOptions {
  projectRoot: string;
  /** `--registry` values, in order (override GGEN_REGISTRY_URL and ggen.toml). */
  registries?: string[];
  /** Use only cached indexes and tarballs. */
  offline?: boolean;
  /** Cache root; defaults to $GGEN_CACHE_DIR or the XDG cache dir. */
  cacheRoot?: string;
  /** Progress reports (downloads), for a CLI progress display. */
  onEvent?: (event: MarketEvent) => void;
}

export type MarketEvent =
  | { type: 'plan'; fetches: number }
  | { type: 'fetch'; id: string; version: string; url: string }
  | { type: 'stored'; id: string; version: string; dir: string };

export interface PackChange {
  id: string;
  from?: string;
  to?: string;
}

export interface InstallResult {
  /** Packs whose locked version changed (added, upgraded, removed). */
  changes: PackChange[];
  /** Requested packs that were already installed at a fitting version. */
  unchanged: Array<{ id: string; version: string }>;
  lock: GgenLock;
  lockfileWritten: boolean;
}

const projectLockFile = (projectRoot: string) => join(projectRoot, '.ggen', 'ggen.lock.lock');

function layoutFor(opts: MarketOptions): CacheLayout {
  return cacheLayout(opts.cacheRoot ?? marketCacheRoot());
}

/** The tarball URL of a release: relative entries resolve against the registry's index URL. */
function tarballUrl(source: string, indexUrl: string | undefined, tarball: string): string {
  const base = indexUrl ?? (source === BUNDLED_REGISTRY ? pathToFileURL(join(bundledRegistryDir(), 'index.json')).href : new URL('index.json', source).href);
  return new URL(tarball, base).href;
}

/** A remote registry may only point at http(s) tarballs; `file:` is for file (and the bundled) registries only. */
function assertTarballScheme(url: string, registry: string, label: string): void {
  const scheme = new URL(url).protocol;
  const local = registry === BUNDLED_REGISTRY || registry.startsWith('file:');
  if (scheme === 'http:' || scheme === 'https:' || (scheme === 'file:' && local)) return;
  throw new GgenError('E_REGISTRY', `the registry ${registry} points the tarball of ${label} at ${url}; ${local ? 'only file: and http(s) URLs are allowed' : 'a remote registry may only reference http(s) URLs'}`, {
    hint: 'refusing to read it; the registry index must be fixed',
  });
}

async function fetchTarball(url: string, label: string, integrity: string, opts: MarketOptions, layout: CacheLayout, registry: string): Promise<Buffer> {
  assertTarballScheme(url, registry, label);
  const cached = await readStoredTarball(integrity, layout);
  if (cached) return cached;
  if (url.startsWith('file:')) {
    const file = fileURLToPath(url);
    try {
      return await readFile(file);
    } catch (err) {
      throw new GgenError('E_REGISTRY', `tarball of ${label} not found: ${(err as NodeJS.ErrnoException).code}`, { at: { file }, hint: 'the registry index points at a missing file; republish the pack' });
    }
  }
  if (opts.offline) throw new GgenError('E_NETWORK', `${label} is not in the cache (offline)`, { hint: 'run without --offline to download it' });
  return (await httpGet(url, { what: `tarball of ${label}`, maxBytes: 512 * 1024 * 1024 })).body;
}

/** Downloads (or reuses), verifies and stores one resolved pack; returns its lock entry. */
async function materialise(pack: ResolvedPack, previous: LockedPack | undefined, opts: MarketOptions, layout: CacheLayout): Promise<LockedPack> {
  const label = `${pack.id}@${pack.version}`;
  const { release, entry } = pack;
  if (!release.integrity || !release.tarball) {
    throw new GgenError('E_PACK', `${label} has no tarball/integrity in the registry index (a 1.x git-based entry)`, { hint: 'republish it with `ggen market publish DIR --registry …`' });
  }
  // A 1.x entry (sha256 of a git checkout) cannot be compared; it is simply replaced.
  if (previous && previous.version === pack.version && previous.integrity !== release.integrity && !previous.integrity.startsWith('sha256-hex:')) {
    throw new GgenError('E_INTEGRITY', `the registry now serves different content for ${label} than ggen.lock records`, {
      hint: 'a published version must never change; if this is expected, `ggen market remove` and add it again',
    });
  }
  let signedBy: string | undefined;
  const keys = entry.registry.source.trustedKeys;
  if (keys.length > 0) signedBy = verifyPackSignature(pack.id, pack.version, release.integrity, release.signature, keys);
  if (!(await findStoredPack(release.integrity, layout))) {
    const url = tarballUrl(entry.registry.source.url, entry.registry.indexUrl, release.tarball);
    opts.onEvent?.({ type: 'fetch', id: pack.id, version: pack.version, url });
    const data = await fetchTarball(url, label, release.integrity, opts, layout, entry.registry.source.url);
    const dir = await storePack(data, { id: pack.id, version: pack.version, integrity: release.integrity }, layout);
    opts.onEvent?.({ type: 'stored', id: pack.id, version: pack.version, dir });
  }
  const locked: LockedPack = {
    id: pack.id,
    version: pack.version,
    integrity: release.integrity,
    source: entry.registry.source.url,
    resolved: release.tarball,
    dependencies: Object.entries(release.dependencies).map(([d, r]) => `${d}@${r}`).sort(),
  };
  if (pack.requested !== undefined) locked.requested = pack.requested;
  if (signedBy !== undefined) locked.signed_by = signedBy;
  return locked;
}

function diffLocks(before: GgenLock, after: GgenLock): PackChange[] {
  const old = new Map(before.packs.map((p) => [p.id, p.version]));
  const now = new Map(after.packs.map((p) => [p.id, p.version]));
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort();
  return ids.filter((id) => old.get(id) !== now.get(id)).map((id) => {
    const change: PackChange = { id };
    if (old.has(id)) change.from = old.get(id)!;
    if (now.has(id)) change.to = now.get(id)!;
    return change;
  });
}

async function applyResolution(resolved: ResolvedPack[], kept: LockedPack[], before: GgenLock, opts: MarketOptions, dryRun: boolean): Promise<{ lock: GgenLock; written: boolean }> {
  const layout = layoutFor(opts);
  const previous = new Map(before.packs.map((p) => [p.id, p]));
  const packs: LockedPack[] = [...kept];
  if (dryRun) {
    for (const r of resolved) packs.push({ id: r.id, version: r.version, integrity: r.release.integrity ?? '', source: r.entry.registry.source.url, dependencies: [] });
    return { lock: { version: before.version, packs }, written: false };
  }
  let fetches = 0;
  for (const r of resolved) if (!r.release.integrity || !(await findStoredPack(r.release.integrity, layout))) fetches++;
  opts.onEvent?.({ type: 'plan', fetches });
  // Verify and store everything first; the lockfile changes only when every pack is in place.
  for (const r of resolved) packs.push(await materialise(r, previous.get(r.id), opts, layout));
  const lock: GgenLock = { version: before.version, packs };
  const changed = stringifyGgenLock(lock) !== stringifyGgenLock(before);
  if (changed) await writeGgenLock(opts.projectRoot, lock);
  return { lock, written: changed };
}

async function catalogFor(opts: MarketOptions): Promise<Catalog> {
  const config = loadMarketConfig({ projectRoot: opts.projectRoot, registries: opts.registries });
  return loadCatalog(config.sources, { offline: opts.offline, cacheRoot: opts.cacheRoot });
}

function directRequests(lock: GgenLock): Map<string, string> {
  return new Map(lock.packs.filter((p) => p.requested !== undefined).map((p) => [p.id, p.requested!]));
}

/**
 * Installed packs whose registry is not among the current sources (e.g. added with another --registry)
 * are kept exactly as locked, with their dependencies, instead of failing the resolution.
 */
function splitUnavailable(lock: GgenLock, direct: Map<string, string>, catalog: Catalog, asked: Set<string>): LockedPack[] {
  const gone = [...direct.keys()].filter((id) => !asked.has(id) && catalog.get(id) === undefined);
  for (const id of gone) direct.delete(id);
  const keep = reachable(lock, gone);
  return lock.packs.filter((p) => keep.has(p.id));
}

/** `ggen market add ID[@RANGE]...`: idempotent; resolves transitively; writes ggen.lock only when something changed. */
export async function addPacks(specs: string[], opts: MarketOptions): Promise<InstallResult> {
  if (specs.length === 0) throw new GgenError('E_USAGE', 'nothing to add', { hint: 'ggen market add ID[@RANGE]...' });
  const parsed = specs.map(parsePackSpec);
  return withFileLock(projectLockFile(opts.projectRoot), async () => {
    const before = await readGgenLock(opts.projectRoot);
    const catalog = await catalogFor(opts);
    const direct = directRequests(before);
    for (const spec of parsed) {
      // Re-adding without a range keeps the range recorded earlier.
      if (spec.range !== undefined || !direct.has(spec.id)) direct.set(spec.id, spec.range ?? '*');
    }
    const kept = splitUnavailable(before, direct, catalog, new Set(parsed.map((p) => p.id)));
    const preferred = new Map(before.packs.map((p) => [p.id, p.version]));
    const resolved = resolvePacks(catalog, { direct, preferred }).filter((r) => !kept.some((k) => k.id === r.id));
    const { lock, written } = await applyResolution(resolved, kept, before, opts, false);
    const changes = diffLocks(before, lock);
    const changedIds = new Set(changes.map((c) => c.id));
    const unchanged = parsed.filter((s) => !changedIds.has(s.id)).map((s) => ({ id: s.id, version: lock.packs.find((p) => p.id === s.id)!.version }));
    return { changes, unchanged, lock, lockfileWritten: written };
  });
}

function reachable(lock: GgenLock, roots: string[]): Set<string> {
  const byId = new Map(lock.packs.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) stack.push(dep.slice(0, dep.lastIndexOf('@')));
  }
  return seen;
}

/** `ggen market remove ID`: drops a directly added pack and the dependencies nothing else needs. */
export async function removePack(id: string, opts: MarketOptions): Promise<InstallResult> {
  parsePackSpec(id);
  return withFileLock(projectLockFile(opts.projectRoot), async () => {
    const before = await readGgenLock(opts.projectRoot);
    const entry = before.packs.find((p) => p.id === id);
    if (!entry) throw new GgenError('E_PACK', `gpack "${id}" is not installed`, { hint: before.packs.length ? `installed: ${before.packs.map((p) => p.id).join(', ')}` : 'nothing is installed in this project (no packs in ggen.lock)' });
    const roots = before.packs.filter((p) => p.requested !== undefined && p.id !== id).map((p) => p.id);
    const keep = reachable(before, roots);
    if (entry.requested === undefined && keep.has(id)) {
      const users = before.packs.filter((p) => p.dependencies.some((d) => d.startsWith(`${id}@`))).map((p) => p.id);
      throw new GgenError('E_PACK', `gpack "${id}" is a dependency of ${users.join(', ')}`, { hint: `remove ${users[0]} instead` });
    }
    const packs = before.packs.filter((p) => keep.has(p.id)).map((p) => (p.id === id ? (({ requested: _r, ...rest }) => rest)(p) : p));
    const lock: GgenLock = { version: before.version, packs };
    await writeGgenLock(opts.projectRoot, lock);
    return { changes: diffLocks(before, lock), unchanged: keep.has(id) ? [{ id, version: entry.version }] : [], lock, lockfileWritten: true };
  });
}

/** `ggen market update [ID] [--dry-run]`: newest versions within the requested ranges. */
export async function updatePacks(id: string | undefined, opts: MarketOptions & { dryRun?: boolean }): Promise<InstallResult> {
  return withFileLock(projectLockFile(opts.projectRoot), async () => {
    const before = await readGgenLock(opts.projectRoot);
    if (id !== undefined && !before.packs.some((p) => p.id === id)) throw new GgenError('E_PACK', `gpack "${id}" is not installed`, { hint: 'see `ggen market list`' });
    if (before.packs.length === 0) return { changes: [], unchanged: [], lock: before, lockfileWritten: false };
    const catalog = await catalogFor(opts);
    const direct = directRequests(before);
    const kept = splitUnavailable(before, direct, catalog, new Set(id === undefined ? [] : [id]));
    // Packs that are not being updated keep their versions when they still fit.
    const preferred = new Map(id === undefined ? [] : before.packs.filter((p) => p.id !== id).map((p) => [p.id, p.version]));
    const resolved = resolvePacks(catalog, { direct, preferred }).filter((r) => !kept.some((k) => k.id === r.id));
    const { lock, written } = await applyResolution(resolved, kept, before, opts, opts.dryRun === true);
    const changes = diffLocks(before, lock);
    const changed = new Set(changes.map((c) => c.id));
    return { changes, unchanged: before.packs.filter((p) => !changed.has(p.id)).map((p) => ({ id: p.id, version: p.version })), lock: opts.dryRun ? before : lock, lockfileWritten: written };
  });
}

/** `ggen market install`: puts every pack of ggen.lock into the cache, verified against the lock's integrity. */
export async function installFromLock(opts: MarketOptions): Promise<{ fetched: string[]; present: string[] }> {
  const lock = await readGgenLock(opts.projectRoot);
  const layout = layoutFor(opts);
  const fetched: string[] = [];
  const present: string[] = [];
  let fetches = 0;
  for (const p of lock.packs) if (!p.integrity.startsWith('sha256-hex:') && !(await findStoredPack(p.integrity, layout))) fetches++;
  opts.onEvent?.({ type: 'plan', fetches });
  for (const p of lock.packs) {
    const label = `${p.id}@${p.version}`;
    if (p.integrity.startsWith('sha256-hex:')) {
      throw new GgenError('E_LOCKFILE', `${label} is a ggen 1.x entry (git checkout, no tarball integrity)`, { at: { file: join(opts.projectRoot, 'ggen.lock') }, hint: `run \`ggen market add ${p.id}\` to install it from a registry` });
    }
    if (await findStoredPack(p.integrity, layout)) {
      present.push(label);
      continue;
    }
    if (!p.resolved) throw new GgenError('E_LOCKFILE', `${label} has no "resolved" tarball location`, { at: { file: join(opts.projectRoot, 'ggen.lock') }, hint: 'run `ggen market add` again' });
    const url = tarballUrl(p.source, undefined, p.resolved);
    opts.onEvent?.({ type: 'fetch', id: p.id, version: p.version, url });
    const dir = await storePack(await fetchTarball(url, label, p.integrity, opts, layout, p.source), p, layout);
    opts.onEvent?.({ type: 'stored', id: p.id, version: p.version, dir });
    fetched.push(label);
  }
  return { fetched, present };
}

export interface InstalledPack extends LockedPack {
  direct: boolean;
}

/** `ggen market list`: the packs of ggen.lock. */
export async function listInstalledPacks(projectRoot: string): Promise<InstalledPack[]> {
  const lock = await readGgenLock(projectRoot);
  return lock.packs.map((p) => ({ ...p, direct: p.requested !== undefined }));
}
