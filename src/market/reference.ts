// Pack templates for generation: `PACK_ID` and `PACK_ID:path` resolved through ggen.lock to the extracted pack in the cache.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { cacheLayout, marketCacheRoot } from './cache-dir.js';
import { matchFiles, walkFiles } from '../util/glob.js';
import { parseTemplateRef } from './ids.js';
import { readGgenLock } from './lockfile.js';
import { DEFAULT_RDF_PATTERNS, DEFAULT_TEMPLATE_PATTERNS, parseGpackManifest, type GpackManifest } from './manifest.js';
import { findStoredPack, verifyStoredPack } from './store.js';

export interface PackReferenceOptions {
  projectRoot: string;
  cacheRoot?: string;
}

export interface ResolvedPackReference {
  packId: string;
  version: string;
  dir: string;
  /** Absolute template paths, sorted. */
  templates: string[];
  preset: { vars: Record<string, string>; graphFiles: string[] };
}

export interface InstalledPackInfo {
  packId: string;
  version: string;
  dir: string;
  manifest: GpackManifest;
}

/** The extracted directory of a pack installed in the project (via ggen.lock), with its manifest. */
export async function installedPack(packId: string, opts: PackReferenceOptions): Promise<InstalledPackInfo> {
  const lock = await readGgenLock(opts.projectRoot);
  const entry = lock.packs.find((p) => p.id === packId);
  if (!entry) {
    throw new GgenError('E_PACK', `gpack "${packId}" is not installed in this project`, {
      at: { file: join(opts.projectRoot, 'ggen.lock') },
      hint: didYouMean(packId, lock.packs.map((p) => p.id)) ?? `run \`ggen market add ${packId}\``,
    });
  }
  const layout = cacheLayout(opts.cacheRoot ?? marketCacheRoot());
  if (entry.integrity.startsWith('sha256-hex:')) {
    throw new GgenError('E_PACK', `gpack "${packId}" is locked by a ggen 1.x lockfile entry (git checkout, no tarball integrity)`, { at: { file: join(opts.projectRoot, 'ggen.lock') }, hint: `run \`ggen market add ${packId}\` to install it from a registry and upgrade the entry` });
  }
  const stored = await findStoredPack(entry.integrity, layout);
  if (!stored) {
    throw new GgenError('E_PACK', `gpack "${packId}@${entry.version}" is in ggen.lock but not in the cache (${layout.root})`, { hint: 'run `ggen market install` to fetch the locked packs' });
  }
  await verifyStoredPack(stored);
  const manifestFile = join(stored.dir, 'gpack.toml');
  return { packId, version: entry.version, dir: stored.dir, manifest: parseGpackManifest(readFileSync(manifestFile, 'utf8'), manifestFile) };
}

/** The directory of an installed pack (for `ggen market test PACK_ID`). */
export async function installedPackDir(packId: string, opts: PackReferenceOptions): Promise<string> {
  return (await installedPack(packId, opts)).dir;
}

/** Template files of an installed pack, relative to its root. */
export function packTemplatePaths(dir: string, manifest: GpackManifest): string[] {
  return matchFiles(dir, manifest.templates.patterns.length ? manifest.templates.patterns : DEFAULT_TEMPLATE_PATTERNS, walkFiles(dir, { symlinks: false }));
}

/**
 * Resolves `PACK_ID` (all its templates) or `PACK_ID:path/in/pack.tmpl` (one template; looked up under
 * templates/ first, as in 1.x, then from the pack root), with the pack's preset vars and graph files.
 */
export async function resolvePackReference(ref: string, opts: PackReferenceOptions): Promise<ResolvedPackReference> {
  const parsed = parseTemplateRef(ref);
  const pack = await installedPack(parsed.packId, opts);
  const files = walkFiles(pack.dir, { symlinks: false });
  const all = packTemplatePaths(pack.dir, pack.manifest);
  let templates: string[];
  if (parsed.path === undefined) {
    if (all.length === 0) throw new GgenError('E_PACK', `gpack "${parsed.packId}" has no templates`, { at: { file: join(pack.dir, 'gpack.toml') } });
    templates = all;
  } else {
    const candidates = [`templates/${parsed.path}`, parsed.path];
    const hit = candidates.find((c) => files.includes(c));
    if (hit === undefined) {
      const isDir = candidates.find((c) => existsSync(join(pack.dir, c)) && statSync(join(pack.dir, c)).isDirectory());
      if (isDir !== undefined) templates = all.filter((t) => t.startsWith(`${isDir}/`));
      else throw new GgenError('E_PACK', `template "${parsed.path}" not found in gpack "${parsed.packId}@${pack.version}"`, { hint: didYouMean(parsed.path, all.map((t) => t.replace(/^templates\//, ''))) ?? `templates: ${all.map((t) => t.replace(/^templates\//, '')).join(', ')}` });
    } else templates = [hit];
  }
  const graphs = matchFiles(pack.dir, [...pack.manifest.preset.graphs, ...(pack.manifest.rdf.patterns.length ? pack.manifest.rdf.patterns : DEFAULT_RDF_PATTERNS)], files);
  return {
    packId: parsed.packId,
    version: pack.version,
    dir: pack.dir,
    templates: templates.map((t) => join(pack.dir, ...t.split('/'))),
    preset: { vars: { ...pack.manifest.preset.vars }, graphFiles: graphs.map((g) => join(pack.dir, ...g.split('/'))) },
  };
}
