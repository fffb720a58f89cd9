// The pack manifest `gpack.toml`: parse (with line:col), normalise defaults, validate.
import semver from 'semver';
import { GgenError } from '../errors.js';
import { isTable, parseTomlText, type TomlTable as Table } from '../util/toml/index.js';
import { packIdProblem } from './ids.js';

export interface GpackManifest {
  id: string;
  name: string;
  version: string;
  description: string;
  license: string;
  ggen_compat: string;
  author?: string;
  category?: string;
  tags: string[];
  keywords: string[];
  homepage?: string;
  repository?: string;
  dependencies: Record<string, string>;
  templates: { patterns: string[]; includes: string[] };
  rdf: { base?: string; prefixes: Record<string, string>; patterns: string[]; inline: string[] };
  queries: { patterns: string[]; aliases: Record<string, string> };
  shapes: { patterns: string[] };
  preset: { vars: Record<string, string>; graphs: string[] };
}

// 1.x conventions when a pattern list is empty.
export const DEFAULT_TEMPLATE_PATTERNS = ['templates/**/*.tmpl', 'templates/**/*.tera'];
export const DEFAULT_RDF_PATTERNS = ['templates/**/graphs/*.ttl', 'templates/**/graphs/*.rdf', 'templates/**/graphs/*.jsonld'];

export function parseGpackManifest(text: string, file: string): GpackManifest {
  const parsed = parseTomlText(text, file, { code: 'E_PACK', message: 'gpack.toml is not valid TOML', hint: 'see docs/market.md, "gpack.toml"' });
  const doc = parsed.value;
  /** `key` is shown as written ("[gpack].id"); the error points at that key in the file. */
  const fail = (key: string, message: string): never => {
    const path = key.replace(/^\[([^\]]+)\]\.?/, '$1.').split('.').map((p) => p.replace(/^"|"$/g, '')).filter((p) => p !== '');
    throw new GgenError('E_PACK', `gpack.toml: ${key}: ${message}`, { at: parsed.at(path), hint: 'see docs/market.md, "gpack.toml"' });
  };
  const table = (key: string): Table => {
    const v = doc[key];
    if (v === undefined) return {};
    if (!isTable(v)) fail(key, 'expected a table');
    return v as Table;
  };
  const str = (t: Table, section: string, key: string, required: boolean): string | undefined => {
    const v = t[key];
    if (v === undefined) return required ? fail(`[${section}].${key}`, 'missing (required string)') : undefined;
    if (typeof v !== 'string') fail(`[${section}].${key}`, 'expected a string');
    return v as string;
  };
  const list = (t: Table, section: string, key: string): string[] => {
    const v = t[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`[${section}].${key}`, 'expected an array of strings');
    const items = v as string[];
    for (const p of items) if ((p.startsWith('/') || p.split('/').includes('..'))) fail(`[${section}].${key}`, `pattern "${p}" must stay inside the pack (no "/" prefix, no "..")`);
    return items;
  };
  const map = (t: Table, section: string, key: string | undefined): Record<string, string> => {
    const v = key === undefined ? t : t[key];
    if (v === undefined) return {};
    if (!isTable(v)) fail(`[${section}]${key ? `.${key}` : ''}`, 'expected a table of strings');
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v as Table)) {
      if (typeof val !== 'string') fail(`[${section}]${key ? `.${key}` : ''}.${k}`, 'expected a string');
      out[k] = val as string;
    }
    return out;
  };

  const g = table('gpack');
  if (doc.gpack === undefined) fail('[gpack]', 'missing table');
  const id = str(g, 'gpack', 'id', true)!;
  const idProblem = packIdProblem(id);
  if (idProblem) fail('[gpack].id', idProblem);
  const version = str(g, 'gpack', 'version', true)!;
  if (semver.valid(version) === null) fail('[gpack].version', `"${version}" is not a semver version like 1.2.3`);
  const ggenCompat = str(g, 'gpack', 'ggen_compat', false) ?? '*';
  if (semver.validRange(ggenCompat) === null) fail('[gpack].ggen_compat', `"${ggenCompat}" is not a semver range`);

  const dependencies = map(doc, 'dependencies', 'dependencies');
  for (const [dep, range] of Object.entries(dependencies)) {
    const p = packIdProblem(dep);
    if (p) fail(`[dependencies]."${dep}"`, p);
    if (semver.validRange(range) === null) fail(`[dependencies]."${dep}"`, `"${range}" is not a semver range`);
    if (dep === id) fail(`[dependencies]."${dep}"`, 'a pack cannot depend on itself');
  }
  const templates = table('templates');
  const rdf = table('rdf');
  const queries = table('queries');
  const shapes = table('shapes');
  const preset = table('preset');
  const manifest: GpackManifest = {
    id,
    name: str(g, 'gpack', 'name', true)!,
    version,
    description: str(g, 'gpack', 'description', true)!,
    license: str(g, 'gpack', 'license', true)!,
    ggen_compat: ggenCompat,
    tags: list(g, 'gpack', 'tags'),
    keywords: list(g, 'gpack', 'keywords'),
    dependencies,
    templates: { patterns: list(templates, 'templates', 'patterns'), includes: list(templates, 'templates', 'includes') },
    rdf: { prefixes: map(rdf, 'rdf', 'prefixes'), patterns: list(rdf, 'rdf', 'patterns'), inline: list(rdf, 'rdf', 'inline') },
    queries: { patterns: list(queries, 'queries', 'patterns'), aliases: map(queries, 'queries', 'aliases') },
    shapes: { patterns: list(shapes, 'shapes', 'patterns') },
    preset: { vars: map(preset, 'preset', 'vars'), graphs: list(preset, 'preset', 'graphs') },
  };
  for (const k of ['author', 'category', 'homepage', 'repository'] as const) {
    const v = str(g, 'gpack', k, false);
    if (v !== undefined) manifest[k] = v;
  }
  const base = str(rdf, 'rdf', 'base', false);
  if (base !== undefined) manifest.rdf.base = base;
  return manifest;
}
