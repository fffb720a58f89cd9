// The content-addressed pack cache: tarballs and extracted packs keyed by their sha512, verified before anything is written.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { writeFileAtomic } from '../util/fs.js';
import { cacheLayout, type CacheLayout } from './cache-dir.js';
import { parseGpackManifest } from './manifest.js';
import { readPackTarball } from './tar.js';

export interface StoredPackRecord {
  id: string;
  version: string;
  integrity: string;
  /** Relative path -> sha256 hex of each extracted file. */
  files: Record<string, string>;
}

/** Computes the SRI string of some bytes with the same algorithm as `expected` (sha512 by default). */
export function computeIntegrity(data: Uint8Array, algorithm: 'sha256' | 'sha384' | 'sha512' = 'sha512'): string {
  return `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;
}

/** The cache key of an integrity: hex of its digest, prefixed by the algorithm when not sha512. */
export function integrityKey(integrity: string): string {
  const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+=*)$/.exec(integrity);
  if (!m) throw new GgenError('E_INTEGRITY', `unsupported integrity "${integrity}"`, { hint: 'expected an SRI string like "sha512-<base64>"' });
  const hex = Buffer.from(m[2]!, 'base64').toString('hex');
  return m[1] === 'sha512' ? hex : `${m[1]}-${hex}`;
}

/** Throws E_INTEGRITY unless `data` matches `expected` (an SRI string). */
export function assertIntegrity(data: Uint8Array, expected: string, label: string): void {
  const algorithm = (/^(sha256|sha384|sha512)-/.exec(expected)?.[1] ?? 'sha512') as 'sha256' | 'sha384' | 'sha512';
  const actual = computeIntegrity(data, algorithm);
  if (actual !== expected) {
    throw new GgenError('E_INTEGRITY', `integrity mismatch for ${label}: expected ${expected.slice(0, 30)}…, got ${actual.slice(0, 30)}…`, {
      hint: 'the tarball differs from what the registry index promises; it was not installed',
    });
  }
}

export function packDirFor(integrity: string, layout: CacheLayout = cacheLayout()): string {
  return join(layout.packs, integrityKey(integrity));
}

/** An extracted pack already in the cache, or undefined. */
export async function findStoredPack(integrity: string, layout: CacheLayout = cacheLayout()): Promise<{ dir: string; record: StoredPackRecord } | undefined> {
  const dir = packDirFor(integrity, layout);
  const recordFile = `${dir}.json`;
  if (!existsSync(dir) || !existsSync(recordFile)) return undefined;
  try {
    return { dir, record: JSON.parse(await readFile(recordFile, 'utf8')) as StoredPackRecord };
  } catch {
    return undefined;
  }
}

/** A tarball already in the cache (bytes verified against its integrity), or undefined. */
export async function readStoredTarball(integrity: string, layout: CacheLayout = cacheLayout()): Promise<Buffer | undefined> {
  const file = join(layout.tarballs, `${integrityKey(integrity)}.tgz`);
  if (!existsSync(file)) return undefined;
  const data = await readFile(file);
  try {
    assertIntegrity(data, integrity, file);
    return data;
  } catch {
    return undefined;
  }
}

/**
 * The tarball's own gpack.toml must be valid and name the pack the index entry promised (same id, same
 * version) before anything is cached or locked.
 */
function assertManifestMatches(files: ReadonlyArray<{ path: string; data: Uint8Array }>, meta: { id: string; version: string }): void {
  const label = `${meta.id}@${meta.version}`;
  const file = files.find((f) => f.path === 'gpack.toml');
  if (file === undefined) {
    throw new GgenError('E_PACK', `${label}: the tarball has no gpack.toml at its root`, { hint: 'packs are built with `ggen market pack DIR`' });
  }
  const manifest = parseGpackManifest(Buffer.from(file.data).toString('utf8'), `${label}:gpack.toml`);
  const hint = 'the registry index and the pack disagree; the registry must republish the pack';
  if (manifest.id !== meta.id) throw new GgenError('E_PACK', `${label}: its gpack.toml declares id "${manifest.id}", but the registry index lists it as "${meta.id}"`, { hint });
  if (manifest.version !== meta.version) throw new GgenError('E_PACK', `${label}: its gpack.toml declares version ${manifest.version}, but the registry index lists ${meta.version}`, { hint });
}

/**
 * Re-hashes an extracted pack against its record before it is used: an edited, added or missing file is
 * refused, so generation only ever sees verified content.
 */
export async function verifyStoredPack(stored: { dir: string; record: StoredPackRecord }): Promise<void> {
  const { dir, record } = stored;
  const label = `${record.id}@${record.version}`;
  const hint = 'run `ggen market cache verify --fix`, then `ggen market install` to fetch it again';
  const seen = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const rel = join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/');
    if (!entry.isFile() || !(rel in record.files)) throw new GgenError('E_INTEGRITY', `the cached copy of ${label} was modified: ${rel} was added`, { at: { file: dir }, hint });
    seen.add(rel);
  }
  for (const [rel, hash] of Object.entries(record.files)) {
    if (!seen.has(rel)) throw new GgenError('E_INTEGRITY', `the cached copy of ${label} was modified: ${rel} is missing`, { at: { file: dir }, hint });
    if (sha256Hex(await readFile(join(dir, ...rel.split('/')))) !== hash) throw new GgenError('E_INTEGRITY', `the cached copy of ${label} was modified: ${rel} was edited`, { at: { file: join(dir, ...rel.split('/')) }, hint });
  }
}

/**
 * Verifies `tarball` against `integrity`, then extracts it into the cache (atomically: temp dir + rename).
 * Nothing is written when the integrity or the archive is bad. Returns the pack directory.
 */
export async function storePack(tarball: Buffer, meta: { id: string; version: string; integrity: string }, layout: CacheLayout = cacheLayout()): Promise<string> {
  assertIntegrity(tarball, meta.integrity, `${meta.id}@${meta.version}`);
  const existing = await findStoredPack(meta.integrity, layout);
  if (existing) return existing.dir;
  const files = readPackTarball(tarball);
  assertManifestMatches(files, meta);
  const dir = packDirFor(meta.integrity, layout);
  const tmp = join(layout.packs, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const record: StoredPackRecord = { id: meta.id, version: meta.version, integrity: meta.integrity, files: {} };
  try {
    for (const f of files) {
      const target = join(tmp, ...f.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      // Read-only: the cache is content-addressed and verified on use; nobody should edit it in place.
      await writeFile(target, f.data, { mode: f.mode & ~0o222 });
      record.files[f.path] = sha256Hex(f.data);
    }
    await writeFileAtomic(join(layout.tarballs, `${integrityKey(meta.integrity)}.tgz`), tarball);
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another process extracted the same content first: theirs is identical.
      if (!existsSync(dir)) throw err;
      await rm(tmp, { recursive: true, force: true });
    }
    await writeFileAtomic(`${dir}.json`, `${JSON.stringify(record, null, 2)}\n`);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof GgenError) throw err;
    throw new GgenError('E_IO', `cannot write the pack cache: ${(err as Error).message}`, { at: { file: layout.root }, cause: err });
  }
  return dir;
}

async function dirSize(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  if (!existsSync(dir)) return { bytes, files };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      files++;
      bytes += (await stat(join(entry.parentPath, entry.name))).size;
    }
  }
  return { bytes, files };
}

export interface CacheStats {
  root: string;
  indexes: number;
  tarballs: number;
  packs: number;
  bytes: number;
}

export async function cacheStats(layout: CacheLayout = cacheLayout()): Promise<CacheStats> {
  const count = async (dir: string, pred: (n: string) => boolean) => (existsSync(dir) ? (await readdir(dir)).filter(pred).length : 0);
  return {
    root: layout.root,
    indexes: await count(layout.indexes, (n) => n.endsWith('.json') && !n.endsWith('.meta.json')),
    tarballs: await count(layout.tarballs, (n) => n.endsWith('.tgz')),
    packs: await count(layout.packs, (n) => n.endsWith('.json')),
    bytes: (await dirSize(layout.root)).bytes,
  };
}

/** Removes the whole cache (indexes, tarballs, packs). Returns the bytes freed. */
export async function cleanCache(layout: CacheLayout = cacheLayout()): Promise<number> {
  const { bytes } = await dirSize(layout.root);
  for (const dir of [layout.indexes, layout.tarballs, layout.packs]) await rm(dir, { recursive: true, force: true });
  return bytes;
}

export interface CacheProblem {
  path: string;
  problem: string;
}

/** Re-hashes every cached tarball and extracted file; with `fix`, removes broken entries. */
export async function verifyCache(layout: CacheLayout = cacheLayout(), opts: { fix?: boolean } = {}): Promise<{ checked: number; problems: CacheProblem[] }> {
  const problems: CacheProblem[] = [];
  let checked = 0;
  if (existsSync(layout.tarballs)) {
    for (const name of (await readdir(layout.tarballs)).sort()) {
      if (!name.endsWith('.tgz')) continue;
      checked++;
      const file = join(layout.tarballs, name);
      const hex = name.slice(0, -4);
      const actual = createHash('sha512').update(await readFile(file)).digest('hex');
      if (!hex.includes('-') && actual !== hex) {
        problems.push({ path: file, problem: 'tarball content does not match its sha512 name' });
        if (opts.fix) await rm(file, { force: true });
      }
    }
  }
  if (existsSync(layout.packs)) {
    for (const name of (await readdir(layout.packs)).sort()) {
      if (!name.endsWith('.json')) continue;
      checked++;
      const dir = join(layout.packs, name.slice(0, -5));
      const bad = (problem: string) => problems.push({ path: dir, problem });
      let record: StoredPackRecord;
      try {
        record = JSON.parse(await readFile(join(layout.packs, name), 'utf8')) as StoredPackRecord;
      } catch {
        bad('pack record is unreadable');
        continue;
      }
      const before = problems.length;
      for (const [rel, hash] of Object.entries(record.files)) {
        const file = join(dir, ...rel.split('/'));
        if (!existsSync(file)) { bad(`${rel} is missing`); continue; }
        if (sha256Hex(await readFile(file)) !== hash) bad(`${rel} was modified`);
      }
      if (existsSync(dir)) {
        for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
          if (!entry.isFile()) continue;
          const rel = join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/');
          if (!(rel in record.files)) bad(`${rel} was added`);
        }
      }
      if (opts.fix && problems.length > before) {
        await rm(dir, { recursive: true, force: true });
        await rm(join(layout.packs, name), { force: true });
      }
    }
  }
  return { checked, problems };
}
