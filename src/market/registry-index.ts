// The registry `index.json` (1.x format plus tarball, integrity, dependencies, signature): types, parsing, validation.
import { GgenError } from '../errors.js';
import { packIdProblem } from './ids.js';
import { parseJsonText } from './json-text.js';

export interface PackSignature {
  algorithm: 'ml-dsa-65';
  /** Fingerprint of the signing public key (first 16 hex digits of its SHA-256). */
  key: string;
  /** Base64 ML-DSA-65 signature over `<id>:<version>:<integrity>`. */
  value: string;
}

export interface IndexVersion {
  version: string;
  /** Tarball URL, relative to the index URL (or absolute). */
  tarball?: string;
  /** SRI sha512 of the tarball. */
  integrity?: string;
  /** 1.x field: sha256 (hex) of the content; kept for compatibility, not trusted without `integrity`. */
  sha256?: string;
  git_url?: string;
  git_rev?: string;
  dependencies: Record<string, string>;
  signature?: PackSignature;
  ggen_compat?: string;
  size?: number;
  unpacked_size?: number;
  file_count?: number;
  templates?: string[];
  yanked?: boolean;
}

export interface IndexPack {
  id: string;
  name: string;
  description: string;
  tags: string[];
  keywords: string[];
  category?: string;
  author?: string;
  latest_version: string;
  versions: Record<string, IndexVersion>;
  downloads?: number;
  updated?: string;
  license?: string;
  homepage?: string;
  repository?: string;
  documentation?: string;
}

export interface RegistryIndex {
  updated: string;
  packs: Record<string, IndexPack>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  constructor(readonly file: string) {}
  fail(path: string, message: string): never {
    throw new GgenError('E_REGISTRY', `registry index: ${path}: ${message}`, { at: { file: this.file }, hint: 'fix or regenerate the index (ggen market publish writes it)' });
  }
  str(obj: Json, key: string, path: string, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required) this.fail(`${path}.${key}`, 'missing (required string)');
      return undefined;
    }
    if (typeof v !== 'string') this.fail(`${path}.${key}`, `expected a string, found ${JSON.stringify(v).slice(0, 40)}`);
    return v;
  }
  strList(obj: Json, key: string, path: string): string[] {
    const v = obj[key];
    // 1.x required tags/keywords; we tolerate their absence.
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail(`${path}.${key}`, 'expected an array of strings');
    return v as string[];
  }
  num(obj: Json, key: string, path: string): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail(`${path}.${key}`, 'expected a non-negative number');
    return v;
  }
}

function parseVersion(c: Checker, raw: unknown, path: string, key: string): IndexVersion {
  if (!isObject(raw)) c.fail(path, 'expected an object');
  const version = c.str(raw, 'version', path, false) ?? key;
  const deps: Record<string, string> = {};
  const rawDeps = raw.dependencies;
  if (rawDeps !== undefined && rawDeps !== null) {
    if (!isObject(rawDeps)) c.fail(`${path}.dependencies`, 'expected an object { id: range }');
    for (const [id, range] of Object.entries(rawDeps)) {
      const problem = packIdProblem(id);
      if (problem) c.fail(`${path}.dependencies`, `${JSON.stringify(id)}: ${problem}`);
      if (typeof range !== 'string') c.fail(`${path}.dependencies.${id}`, 'expected a semver range string');
      deps[id] = range;
    }
  }
  const out: IndexVersion = { version, dependencies: deps };
  for (const k of ['tarball', 'integrity', 'sha256', 'git_url', 'git_rev', 'ggen_compat'] as const) {
    const v = c.str(raw, k, path, false);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['size', 'unpacked_size', 'file_count'] as const) {
    const v = c.num(raw, k, path);
    if (v !== undefined) out[k] = v;
  }
  if (raw.templates !== undefined) out.templates = c.strList(raw, 'templates', path);
  if (raw.yanked === true) out.yanked = true;
  if (out.integrity !== undefined && !/^sha(256|384|512)-[A-Za-z0-9+/]+=*$/.test(out.integrity)) c.fail(`${path}.integrity`, 'expected an SRI string like "sha512-<base64>"');
  const sig = raw.signature;
  if (sig !== undefined && sig !== null) {
    if (!isObject(sig)) c.fail(`${path}.signature`, 'expected an object { algorithm, key, value }');
    const algorithm = c.str(sig, 'algorithm', `${path}.signature`, true);
    if (algorithm !== 'ml-dsa-65') c.fail(`${path}.signature.algorithm`, `unsupported algorithm "${algorithm}" (expected "ml-dsa-65")`);
    out.signature = { algorithm: 'ml-dsa-65', key: c.str(sig, 'key', `${path}.signature`, true)!, value: c.str(sig, 'value', `${path}.signature`, true)! };
  }
  return out;
}

function parsePack(c: Checker, key: string, raw: unknown): IndexPack {
  const path = `packs.${key}`;
  if (!isObject(raw)) c.fail(path, 'expected an object');
  const problem = packIdProblem(key);
  if (problem) c.fail(path, problem);
  const id = c.str(raw, 'id', path, false) ?? key;
  if (id !== key) c.fail(`${path}.id`, `"${id}" differs from its key "${key}"`);
  const versionsRaw = raw.versions;
  if (!isObject(versionsRaw)) c.fail(`${path}.versions`, 'missing (required object { version: {...} })');
  const versions: Record<string, IndexVersion> = {};
  for (const [v, entry] of Object.entries(versionsRaw)) versions[v] = parseVersion(c, entry, `${path}.versions.${v}`, v);
  const latest = c.str(raw, 'latest_version', path, false) ?? Object.keys(versions).sort().pop();
  if (latest === undefined) c.fail(`${path}.versions`, 'has no versions');
  const pack: IndexPack = {
    id,
    name: c.str(raw, 'name', path, false) ?? id,
    description: c.str(raw, 'description', path, false) ?? '',
    tags: c.strList(raw, 'tags', path),
    keywords: c.strList(raw, 'keywords', path),
    latest_version: latest,
    versions,
  };
  for (const k of ['category', 'author', 'updated', 'license', 'homepage', 'repository', 'documentation'] as const) {
    const v = c.str(raw, k, path, false);
    if (v !== undefined) pack[k] = v;
  }
  const downloads = c.num(raw, 'downloads', path);
  if (downloads !== undefined) pack.downloads = downloads;
  return pack;
}

/** Parses and validates an index.json text; errors name the file and the line:col or JSON path. */
export function parseRegistryIndex(text: string, file: string): RegistryIndex {
  const raw = parseJsonText(text, file, 'E_REGISTRY', 'registry index');
  const c: Checker = new Checker(file);
  if (!isObject(raw)) c.fail('(root)', 'expected an object { updated, packs }');
  const packsRaw = raw.packs;
  if (!isObject(packsRaw)) c.fail('packs', 'missing (required object { id: pack })');
  const packs: Record<string, IndexPack> = {};
  for (const key of Object.keys(packsRaw).sort()) packs[key] = parsePack(c, key, packsRaw[key]);
  return { updated: c.str(raw, 'updated', '(root)', false) ?? '1970-01-01T00:00:00Z', packs };
}

/** Serialises an index with sorted keys and 2-space indentation (stable bytes for the same content). */
export function stringifyRegistryIndex(index: RegistryIndex): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (isObject(v)) {
      const out: Json = {};
      for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
      return out;
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(index), null, 2)}\n`;
}

export function emptyRegistryIndex(updated: string): RegistryIndex {
  return { updated, packs: {} };
}

