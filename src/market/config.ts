// Market settings: registries (flag > GGEN_REGISTRY_URL > ggen.toml [market] > bundled) and trusted keys.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GgenError, type SourceLocation } from '../errors.js';
import { readTomlFile, type TomlDocument } from '../util/toml/index.js';
import { parsePublicKey, type TrustedKey } from './signing.js';

/** The name used for the registry bundled inside the ggen package. */
export const BUNDLED_REGISTRY = 'bundled';

export interface RegistrySource {
  /** Normalised base URL ending in "/", or "bundled". */
  url: string;
  /** Keys trusted for packs from this registry (project-wide keys included). */
  trustedKeys: TrustedKey[];
}

export interface MarketConfigOptions {
  projectRoot: string;
  /** `--registry` values, in order. */
  registries?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface MarketConfig {
  sources: RegistrySource[];
  /** Where the registries came from: "flag", "env", "ggen.toml" or "default". */
  origin: 'flag' | 'env' | 'ggen.toml' | 'default';
}

type Table = Record<string, unknown>;

/** Turns a user-given registry location (URL, "bundled", or a directory path) into a base URL with a trailing "/". */
export function normaliseRegistryUrl(raw: string, baseDir: string): string {
  const value = raw.trim();
  if (value === BUNDLED_REGISTRY || value === 'default') return BUNDLED_REGISTRY;
  let url: URL;
  if (/^(https?|file):/i.test(value)) {
    try {
      url = new URL(value);
    } catch {
      throw new GgenError('E_USAGE', `invalid registry URL "${raw}"`, { hint: 'use http(s)://host/path/, file:///dir/ or a directory path' });
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new GgenError('E_USAGE', `unsupported registry URL scheme in "${raw}"`, { hint: 'registries are http://, https:// or file:// URLs (or directory paths)' });
  } else {
    url = pathToFileURL(isAbsolute(value) ? value : resolve(baseDir, value));
  }
  // 1.x resolved index.json against the URL, so a missing "/" silently pointed at the parent; we normalise.
  if (url.pathname.endsWith('/index.json')) url.pathname = url.pathname.slice(0, -'index.json'.length);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}

function readProjectToml(projectRoot: string): { file: string; market: Table; at: TomlDocument['at'] } | undefined {
  const file = join(projectRoot, 'ggen.toml');
  if (!existsSync(file)) return undefined;
  const doc = readTomlFile(file, 'ggen.toml', { message: 'ggen.toml is not valid TOML' });
  const market = doc.value.market;
  if (market === undefined) return { file, market: {}, at: doc.at };
  if (typeof market !== 'object' || market === null || Array.isArray(market)) throw new GgenError('E_CONFIG', 'ggen.toml: [market] must be a table', { at: doc.at(['market']) });
  return { file, market: market as Table, at: doc.at };
}

function readKeys(list: unknown, file: string, where: string, at: SourceLocation): TrustedKey[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.some((k) => typeof k !== 'string')) throw new GgenError('E_CONFIG', `ggen.toml: ${where} must be an array of strings (public keys or .pub file paths)`, { at });
  return (list as string[]).map((entry) => {
    if (entry.startsWith('ml-dsa-65:')) return parsePublicKey(entry, `${file} (${where})`);
    const path = isAbsolute(entry) ? entry : join(dirname(file), entry);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new GgenError('E_CONFIG', `trusted key file not found: ${entry}`, { at, hint: `listed in ${where}; paths are relative to ggen.toml` });
    }
    return parsePublicKey(text, path);
  });
}

/** Works out the registries to use, in order, and the keys trusted for each. */
export function loadMarketConfig(opts: MarketConfigOptions): MarketConfig {
  const env = opts.env ?? process.env;
  const project = readProjectToml(opts.projectRoot);
  const market = project?.market ?? {};
  const file = project?.file ?? join(opts.projectRoot, 'ggen.toml');
  const at = (path: string[]): SourceLocation => project?.at(path) ?? { file };
  const projectKeys = readKeys(market.trusted_keys, file, '[market] trusted_keys', at(['market', 'trusted_keys']));

  // Registries declared in ggen.toml may carry their own trusted keys.
  const declared: Array<{ url: string; keys: TrustedKey[] }> = [];
  const regs = market.registries;
  if (regs !== undefined) {
    if (!Array.isArray(regs)) throw new GgenError('E_CONFIG', 'ggen.toml: [market] registries must be an array', { at: at(['market', 'registries']) });
    regs.forEach((r, i) => {
      if (typeof r === 'string') declared.push({ url: normaliseRegistryUrl(r, opts.projectRoot), keys: [] });
      else if (typeof r === 'object' && r !== null && typeof (r as Table).url === 'string') {
        declared.push({ url: normaliseRegistryUrl((r as Table).url as string, opts.projectRoot), keys: readKeys((r as Table).trusted_keys, file, `[market] registries[${i}].trusted_keys`, at(['market', 'registries'])) });
      } else throw new GgenError('E_CONFIG', `ggen.toml: [market] registries[${i}] must be a URL string or { url = "...", trusted_keys = [...] }`, { at: at(['market', 'registries']) });
    });
  }

  let urls: string[];
  let origin: MarketConfig['origin'];
  const envList = (env.GGEN_REGISTRY_URL ?? '').split(/[\s,]+/).filter((s) => s !== '');
  if (opts.registries && opts.registries.length > 0) {
    urls = opts.registries.flatMap((r) => r.split(',')).filter((s) => s.trim() !== '').map((r) => normaliseRegistryUrl(r, process.cwd()));
    origin = 'flag';
  } else if (envList.length > 0) {
    urls = envList.map((r) => normaliseRegistryUrl(r, process.cwd()));
    origin = 'env';
  } else if (declared.length > 0) {
    urls = declared.map((d) => d.url);
    origin = 'ggen.toml';
  } else {
    urls = [BUNDLED_REGISTRY];
    origin = 'default';
  }
  const seen = new Set<string>();
  const sources: RegistrySource[] = [];
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    const own = declared.filter((d) => d.url === url).flatMap((d) => d.keys);
    sources.push({ url, trustedKeys: [...projectKeys, ...own] });
  }
  return { sources, origin };
}
