import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeLifecycleCacheKey } from '../../src/lifecycle/index.js';
import { FileIndex, globToRegExp } from '../../src/util/glob.js';
import { StateStore } from '../../src/lifecycle/state.js';
import { parseDuration } from '../../src/lifecycle/make-toml/duration.js';
import { project } from './helpers.js';

describe('cache key', () => {
  it('keeps the 1.x byte layout when there are no inputs or variables', () => {
    // The value stored by 1.x in examples/rust-cli-lifecycle/.ggen/state.json for `format`.
    expect(computeLifecycleCacheKey({ phase: 'format', commands: ['cargo fmt'], env: {}, inputs: [] })).toBe('979c06fbe301ca800643fd058003756997120c9f782d5d1e7052903b6355932c');
  });

  it('changes with commands, variables and input contents, but not with GGEN_ROOT', () => {
    const base = { phase: 'build', commands: ['make'], env: { GGEN_ENV: 'development' }, inputs: [{ path: 'a', hash: '1' }] };
    const key = computeLifecycleCacheKey(base);
    expect(computeLifecycleCacheKey({ ...base, env: { ...base.env, GGEN_ROOT: '/elsewhere' } })).toBe(key);
    expect(computeLifecycleCacheKey({ ...base, commands: ['make all'] })).not.toBe(key);
    expect(computeLifecycleCacheKey({ ...base, env: { GGEN_ENV: 'production' } })).not.toBe(key);
    expect(computeLifecycleCacheKey({ ...base, inputs: [{ path: 'a', hash: '2' }] })).not.toBe(key);
  });
});

describe('globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/**', 'src/a/b.ts', true],
    ['src/**/*.ts', 'src/x.ts', true],
    ['src/**/*.ts', 'src/a/b/x.ts', true],
    ['src/*.ts', 'src/a/x.ts', false],
    ['*.{yml,yaml}', 'ci.yaml', true],
    ['file?.txt', 'file1.txt', true],
    ['[ab].md', 'c.md', false],
  ];
  it.each(cases)('%s ~ %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('matches files under a root, sorted, skipping .git, .ggen and node_modules', () => {
    const dir = project({ 'src/b.ts': '', 'src/a/c.ts': '', 'node_modules/x/src/d.ts': '', '.ggen/state.json': '{}', 'README.md': '' });
    const index = new FileIndex(dir);
    expect(index.matchAll(['src/**', 'README.md', 'missing.txt'])).toEqual(['README.md', 'src/a/c.ts', 'src/b.ts']);
    expect(index.match('**/*.ts')).toEqual(['src/a/c.ts', 'src/b.ts']);
    expect(index.match('src')).toEqual(['src/a/c.ts', 'src/b.ts']);
  });
});

describe('durations', () => {
  it.each([[30, 30_000], [0.5, 500], ['500ms', 500], ['90s', 90_000], ['10m', 600_000], ['1h', 3_600_000]] as const)('%j → %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });
  it.each([0, -1, 'soon', '10 minutes', ''] as const)('rejects %j', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });
});

describe('state file', () => {
  it('writes the 1.x layout without a trailing newline and keeps one cache key per phase', () => {
    const dir = project({});
    const store = new StateStore(dir);
    store.record({ phase: 'build', started_ms: 1, duration_ms: 2, success: true, exit_code: 0, workspace: null, cache_key: 'k1' });
    store.record({ phase: 'build', started_ms: 3, duration_ms: 4, success: true, exit_code: 0, workspace: null, cache_key: 'k2' });
    store.flush();
    const text = readFileSync(join(dir, '.ggen/state.json'), 'utf8');
    expect(text.endsWith('}')).toBe(true);
    const state = JSON.parse(text);
    expect(Object.keys(state)).toEqual(['last_phase', 'phase_history', 'generated', 'cache_keys']);
    expect(state.cache_keys).toEqual([{ phase: 'build', key: 'k2' }]);
    store.record({ phase: 'build', started_ms: 5, duration_ms: 1, success: false, exit_code: 1, workspace: null, cache_key: 'k3' });
    const after = JSON.parse(readFileSync(join(dir, '.ggen/state.json'), 'utf8'));
    expect(after.cache_keys).toEqual([]);
    expect(after.last_phase).toBe('build');
    expect(after.phase_history.map((h: { success: boolean }) => h.success)).toEqual([true, true, false]);
  });
});
