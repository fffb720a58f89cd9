// Dependency resolution: highest satisfying versions, transitive constraints, locked versions kept, conflicts named.
import { describe, expect, it } from 'vitest';
import { resolvePacks } from '../../src/market/resolve.js';
import { Catalog, type LoadedRegistry } from '../../src/market/sources.js';
import type { IndexPack } from '../../src/market/registry-index.js';

function pack(id: string, versions: Record<string, { deps?: Record<string, string>; yanked?: boolean; compat?: string }>): IndexPack {
  const out: IndexPack = { id, name: id, description: '', tags: [], keywords: [], latest_version: Object.keys(versions).pop()!, versions: {} };
  for (const [v, o] of Object.entries(versions)) {
    out.versions[v] = { version: v, dependencies: o.deps ?? {}, ...(o.yanked ? { yanked: true } : {}), ...(o.compat ? { ggen_compat: o.compat } : {}) };
  }
  return out;
}

function catalog(...packs: IndexPack[]): Catalog {
  const registry: LoadedRegistry = { source: { url: 'file:///r/', trustedKeys: [] }, indexUrl: 'file:///r/index.json', fromCache: false, index: { updated: 'x', packs: Object.fromEntries(packs.map((p) => [p.id, p])) } };
  return new Catalog([registry]);
}

const resolve = (c: Catalog, direct: Record<string, string>, preferred: Record<string, string> = {}) =>
  resolvePacks(c, { direct: new Map(Object.entries(direct)), preferred: new Map(Object.entries(preferred)) }).map((r) => `${r.id}@${r.version}`);

const c = catalog(
  pack('app', { '1.0.0': { deps: { lib: '^1.0.0' } }, '2.0.0': { deps: { lib: '^2.0.0' } } }),
  pack('lib', { '1.0.0': {}, '1.4.0': {}, '2.0.0': {}, '2.1.0-beta.1': {}, '2.2.0': { yanked: true } }),
  pack('pin', { '1.0.0': { deps: { lib: '~1.0.0' } } }),
  pack('future', { '1.0.0': { compat: '>=99' } }),
);

describe('resolvePacks', () => {
  it('takes the highest stable version and resolves transitively', () => {
    expect(resolve(c, { app: '*' })).toEqual(['app@2.0.0', 'lib@2.0.0']);
    expect(resolve(c, { app: '^1' })).toEqual(['app@1.0.0', 'lib@1.4.0']);
  });
  it('honours every range on a shared dependency', () => {
    expect(resolve(c, { app: '^1', pin: '*' })).toEqual(['app@1.0.0', 'lib@1.0.0', 'pin@1.0.0']);
  });
  it('keeps a locked version while it still fits', () => {
    expect(resolve(c, { app: '^1' }, { lib: '1.0.0' })).toEqual(['app@1.0.0', 'lib@1.0.0']);
    expect(resolve(c, { app: '*' }, { lib: '1.0.0' })).toEqual(['app@2.0.0', 'lib@2.0.0']);
  });
  it('takes prereleases only when asked and skips yanked versions', () => {
    expect(resolve(c, { lib: '^2.1.0-beta.0' })).toEqual(['lib@2.1.0-beta.1']);
    expect(() => resolve(c, { lib: '>=2.1.0' })).toThrow('no version of "lib" satisfies >=2.1.0 (requested)');
    // A yanked version stays usable for projects that already locked it.
    expect(resolve(c, { lib: '>=2.1.0' }, { lib: '2.2.0' })).toEqual(['lib@2.2.0']);
  });
  it('names conflicting ranges and where they come from', () => {
    expect(() => resolve(c, { app: '^2', pin: '*' })).toThrow('no version of "lib" satisfies ^2.0.0 (from app@2.0.0), ~1.0.0 (from pin@1.0.0)');
    expect(() => resolve(c, { lib: '^9' })).toThrow('no version of "lib" satisfies ^9 (requested)');
  });
  it('refuses versions made for another ggen, and unknown packs with a suggestion', () => {
    expect(() => resolve(c, { future: '*' })).toThrow(/^future@1\.0\.0 needs ggen >=99, but this is ggen /);
    expect(() => resolve(c, { ap: '*' })).toThrow(expect.objectContaining({ message: 'pack "ap" not found in the registry', hint: 'did you mean "app"?' }));
  });
});
