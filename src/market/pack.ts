// `market pack` and `market publish`: a deterministic tarball of a pack directory, its index entry, and directory registries.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { writeFileAtomic } from '../util/fs.js';
import { withFileLock } from '../util/file-lock.js';
import { matchFiles, walkFiles } from '../util/glob.js';
import { DEFAULT_TEMPLATE_PATTERNS, parseGpackManifest, type GpackManifest } from './manifest.js';
import { emptyRegistryIndex, parseRegistryIndex, stringifyRegistryIndex, type IndexPack, type IndexVersion, type RegistryIndex } from './registry-index.js';
import { signPack } from './signing.js';
import { computeIntegrity } from './store.js';
import { writeTarGz } from './tar.js';

// Never packed: VCS data, installed dependencies, OS litter.
const EXCLUDED = [/^\.git\//, /^\.ggen\//, /(^|\/)node_modules\//, /(^|\/)\.DS_Store$/, /(^|\/)Thumbs\.db$/];

export interface BuiltPack {
  manifest: GpackManifest;
  tarball: Buffer;
  /** File name for the tarball: <id>-<version>.tgz */
  fileName: string;
  integrity: string;
  files: string[];
  templates: string[];
  unpackedSize: number;
}

/** Reads and validates `<dir>/gpack.toml`. */
export function readPackManifest(dir: string): GpackManifest {
  const file = join(dir, 'gpack.toml');
  if (!existsSync(file)) throw new GgenError('E_PACK', 'no gpack.toml in the pack directory', { at: { file }, hint: 'a pack directory holds gpack.toml ([gpack] id, name, version, …) and templates/' });
  return parseGpackManifest(readFileSync(file, 'utf8'), file);
}

/** Builds the deterministic tarball: sorted entries under `package/`, fixed mtime, uid/gid 0, modes 644/755. */
export async function buildPack(dir: string): Promise<BuiltPack> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GgenError('E_USAGE', 'pack directory not found', { at: { file: dir } });
  const manifest = readPackManifest(dir);
  const files = walkFiles(dir, { symlinks: false }).filter((f) => !EXCLUDED.some((re) => re.test(f)));
  const templates = matchFiles(dir, manifest.templates.patterns.length ? manifest.templates.patterns : DEFAULT_TEMPLATE_PATTERNS, files);
  if (templates.length === 0) throw new GgenError('E_PACK', 'the pack has no templates', { at: { file: join(dir, 'gpack.toml') }, hint: 'put templates under templates/ (*.tmpl) or list [templates] patterns' });
  let unpackedSize = 0;
  const entries = [];
  for (const f of files) {
    const path = join(dir, ...f.split('/'));
    const data = await readFile(path);
    unpackedSize += data.length;
    entries.push({ path: `package/${f}`, data, mode: statSync(path).mode & 0o111 ? 0o755 : 0o644 });
  }
  const tarball = writeTarGz(entries);
  return { manifest, tarball, fileName: `${manifest.id}-${manifest.version}.tgz`, integrity: computeIntegrity(tarball), files, templates, unpackedSize };
}

/** The index entry of one built pack version. */
export function versionEntry(built: BuiltPack, tarballPath: string): IndexVersion {
  const m = built.manifest;
  const entry: IndexVersion = {
    version: m.version,
    tarball: tarballPath,
    integrity: built.integrity,
    sha256: sha256Hex(built.tarball),
    dependencies: { ...m.dependencies },
    ggen_compat: m.ggen_compat,
    size: built.tarball.length,
    unpacked_size: built.unpackedSize,
    file_count: built.files.length,
    templates: built.templates,
  };
  return entry;
}

/** Pack metadata for the index, merged over an existing entry (downloads are kept). */
export function packEntry(built: BuiltPack, version: IndexVersion, existing: IndexPack | undefined, updated: string): IndexPack {
  const m = built.manifest;
  const versions = { ...(existing?.versions ?? {}), [m.version]: version };
  const stable = Object.keys(versions).filter((v) => semver.valid(v) && !semver.prerelease(v));
  const latest = semver.rsort(stable.length ? stable : Object.keys(versions).filter((v) => semver.valid(v)))[0] ?? m.version;
  const pack: IndexPack = { id: m.id, name: m.name, description: m.description, tags: m.tags, keywords: m.keywords, latest_version: latest, versions, license: m.license, updated };
  if (m.category) pack.category = m.category;
  if (m.author) pack.author = m.author;
  if (m.homepage) pack.homepage = m.homepage;
  if (m.repository) pack.repository = m.repository;
  if (existing?.downloads !== undefined) pack.downloads = existing.downloads;
  return pack;
}

export interface PackResult {
  id: string;
  version: string;
  tarballFile: string;
  integrity: string;
  entry: IndexVersion;
}

/** `market pack DIR [--out DIR] [--sign KEY]`: writes <id>-<version>.tgz and prints its index entry. */
export async function packDirectory(dir: string, opts: { outDir: string; signKey?: string }): Promise<PackResult> {
  const built = await buildPack(dir);
  const tarballFile = join(opts.outDir, built.fileName);
  await writeFileAtomic(tarballFile, built.tarball);
  const entry = versionEntry(built, built.fileName);
  if (opts.signKey) entry.signature = await signPack(built.manifest.id, built.manifest.version, built.integrity, opts.signKey);
  return { id: built.manifest.id, version: built.manifest.version, tarballFile, integrity: built.integrity, entry };
}

export interface PublishResult extends PackResult {
  registryDir: string;
  /** False when the same version with identical content was already published. */
  changed: boolean;
}

function registryDirFrom(registry: string): string {
  if (registry.startsWith('file:')) return fileURLToPath(registry);
  if (/^https?:/i.test(registry)) throw new GgenError('E_USAGE', 'publish writes to a directory registry (file://…); HTTP registries are read-only', { hint: 'publish into the directory that `ggen market serve` serves' });
  return registry;
}

/** `market publish DIR --registry file://…`: adds the pack to a directory registry (index.json + packs/<id>/<file>.tgz). */
export async function publishPack(dir: string, opts: { registry: string; signKey?: string; updated?: string; force?: boolean }): Promise<PublishResult> {
  const registryDir = registryDirFrom(opts.registry);
  const built = await buildPack(dir);
  const m = built.manifest;
  const rel = `packs/${m.id}/${built.fileName}`;
  const entry = versionEntry(built, rel);
  if (opts.signKey) entry.signature = await signPack(m.id, m.version, built.integrity, opts.signKey);
  return withFileLock(join(registryDir, '.index.json.lock'), async () => {
    const indexFile = join(registryDir, 'index.json');
    const index: RegistryIndex = existsSync(indexFile) ? parseRegistryIndex(readFileSync(indexFile, 'utf8'), indexFile) : emptyRegistryIndex(opts.updated ?? new Date().toISOString());
    const existing = index.packs[m.id];
    const already = existing?.versions[m.version];
    if (already && !opts.force) {
      if (already.integrity === built.integrity && (opts.signKey === undefined || already.signature !== undefined)) {
        return { id: m.id, version: m.version, tarballFile: join(registryDir, ...rel.split('/')), integrity: built.integrity, entry: already, registryDir, changed: false };
      }
      throw new GgenError('E_PACK', `${m.id}@${m.version} already exists in the registry with different content`, { at: { file: indexFile }, hint: 'bump [gpack] version in gpack.toml (published versions are immutable), or pass --force' });
    }
    const updated = opts.updated ?? new Date().toISOString();
    await writeFileAtomic(join(registryDir, ...rel.split('/')), built.tarball);
    index.packs[m.id] = packEntry(built, entry, existing, updated);
    index.updated = updated;
    await writeFileAtomic(indexFile, stringifyRegistryIndex(index));
    return { id: m.id, version: m.version, tarballFile: join(registryDir, ...rel.split('/')), integrity: built.integrity, entry, registryDir, changed: true };
  });
}
