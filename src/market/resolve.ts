// Transitive semver resolution over the catalog: highest satisfying version, keeping locked versions when they still fit.
import semver from 'semver';
import { ggenVersion } from '../util/version.js';
import { GgenError } from '../errors.js';
import { suggestPack } from './suggest.js';
import type { IndexVersion } from './registry-index.js';
import type { Catalog, CatalogEntry } from './sources.js';

export interface ResolvedPack {
  id: string;
  version: string;
  entry: CatalogEntry;
  release: IndexVersion;
  /** Range asked for directly by the user, if this pack was requested. */
  requested?: string;
}

export interface ResolveRequest {
  /** Directly requested packs: id -> range ("*" for any). */
  direct: Map<string, string>;
  /** Versions to keep when they still satisfy every constraint (the current lockfile). */
  preferred: Map<string, string>;
}

/** The running ggen version, for `ggen_compat` checks. */
export const runningGgenVersion = ggenVersion;

interface Constraint {
  range: string;
  from: string;
}

function compatible(release: IndexVersion): boolean {
  return release.ggen_compat === undefined || semver.satisfies(runningGgenVersion(), release.ggen_compat, { includePrerelease: true });
}

function pick(catalog: Catalog, id: string, constraints: Constraint[], preferred: string | undefined): string {
  const entry = catalog.get(id);
  if (!entry) {
    const from = constraints.find((c) => c.from !== 'requested');
    throw new GgenError('E_REGISTRY', `pack "${id}" not found in the registry${from ? ` (needed by ${from.from})` : ''}`, {
      hint: suggestPack(id, catalog.ids()) ?? 'search with `ggen market search QUERY`; check --registry / GGEN_REGISTRY_URL',
    });
  }
  const all = Object.keys(entry.pack.versions).filter((v) => semver.valid(v) !== null);
  const fits = (v: string) => constraints.every((c) => c.range === '*' ? true : semver.satisfies(v, c.range));
  const usable = all.filter((v) => (v === preferred || !entry.pack.versions[v]!.yanked) && fits(v));
  const compatibleVersions = usable.filter((v) => compatible(entry.pack.versions[v]!));
  if (preferred !== undefined && compatibleVersions.includes(preferred)) return preferred;
  // With no explicit range, prereleases only win when nothing stable exists.
  const stable = compatibleVersions.filter((v) => semver.prerelease(v) === null);
  const pool = constraints.every((c) => c.range === '*') && stable.length > 0 ? stable : compatibleVersions;
  const best = semver.rsort([...pool])[0];
  if (best !== undefined) return best;
  const wanted = constraints.map((c) => `${c.range} (${c.from === 'requested' ? 'requested' : `from ${c.from}`})`).join(', ');
  if (usable.length > 0) {
    const v = semver.rsort([...usable])[0]!;
    throw new GgenError('E_PACK', `${id}@${v} needs ggen ${entry.pack.versions[v]!.ggen_compat}, but this is ggen ${runningGgenVersion()}`, { hint: 'upgrade ggen, or ask for an older version of the pack' });
  }
  throw new GgenError('E_PACK', `no version of "${id}" satisfies ${wanted}`, { hint: `available versions: ${semver.sort([...all]).join(', ') || 'none'}` });
}

/** Resolves the direct requests and their dependencies, transitively, to one version per pack. */
export function resolvePacks(catalog: Catalog, request: ResolveRequest): ResolvedPack[] {
  let chosen = new Map<string, string>();
  const depsOf = (id: string, version: string): Record<string, string> => catalog.get(id)?.pack.versions[version]?.dependencies ?? {};
  for (let round = 0; round < 50; round++) {
    const constraints = new Map<string, Constraint[]>();
    const add = (id: string, c: Constraint) => constraints.set(id, [...(constraints.get(id) ?? []), c]);
    for (const [id, range] of request.direct) add(id, { range, from: 'requested' });
    // Constraints found late in the previous round apply from the start of this one.
    for (const [id, version] of chosen) for (const [dep, range] of Object.entries(depsOf(id, version))) add(dep, { range, from: `${id}@${version}` });
    const next = new Map<string, string>();
    const queue = [...request.direct.keys()].sort();
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (next.has(id)) continue;
      const version = pick(catalog, id, constraints.get(id) ?? [], request.preferred.get(id) ?? chosen.get(id));
      next.set(id, version);
      for (const [dep, range] of Object.entries(depsOf(id, version)).sort()) {
        if (dep === id) continue;
        if (!chosen.has(id) || chosen.get(id) !== version) add(dep, { range, from: `${id}@${version}` });
        queue.push(dep);
      }
    }
    const stable = next.size === chosen.size && [...next].every(([id, v]) => chosen.get(id) === v);
    chosen = next;
    if (stable) break;
  }
  // The greedy rounds settle in practice; still, never hand out a set that breaks a range.
  for (const [id, version] of chosen) {
    for (const [dep, range] of Object.entries(depsOf(id, version))) {
      const got = chosen.get(dep);
      if (got !== undefined && range !== '*' && !semver.satisfies(got, range)) {
        throw new GgenError('E_PACK', `cannot satisfy ${id}@${version}, which needs ${dep} ${range} (resolution settled on ${got})`, { hint: 'ask for other versions explicitly, e.g. ggen market add ID@RANGE' });
      }
    }
  }
  return [...chosen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, version]) => {
    const entry = catalog.get(id)!;
    const resolved: ResolvedPack = { id, version, entry, release: entry.pack.versions[version]! };
    const requested = request.direct.get(id);
    if (requested !== undefined) resolved.requested = requested;
    return resolved;
  });
}
