// More of the CLI: reproducible `market pack`, cache stats/verify/clean (XDG location), `market install` from
// ggen.lock after a clean cache, stale-lock recovery, detailed search, 1.x lockfiles.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cli.js';
import { ggen, writePack } from './helpers.js';

let root: string;
let cleanup: () => void;
let registry: string;

beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('ggen-market-extra-'));
  registry = join(root, 'registry');
  const dir = writePack(join(root, 'src'), { id: 'io.x.one', version: '1.0.0', description: 'the first pack', tags: ['alpha'] });
  expect((await ggen(['market', 'publish', dir, '--registry', registry], root, join(root, 'c0'))).code).toBe(0);
});
afterAll(() => cleanup());

function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('market CLI, more', () => {
  it('packs reproducibly and prints the index entry', async () => {
    const pack = join(root, 'src', 'io.x.one-1.0.0');
    const a = await ggen(['market', 'pack', pack, '--out', join(root, 'a'), '--json'], root, join(root, 'c1'));
    const b = await ggen(['market', 'pack', pack, '--out', join(root, 'b'), '--json'], root, join(root, 'c1'));
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    expect(ja.entry.integrity).toMatch(/^sha512-/);
    expect(ja.entry.integrity).toBe(jb.entry.integrity);
    expect(readFileSync(join(root, 'a', 'io.x.one-1.0.0.tgz')).equals(readFileSync(join(root, 'b', 'io.x.one-1.0.0.tgz')))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'a', 'io.x.one-1.0.0.json'), 'utf8'))).toEqual(ja.entry);
    expect(ja.entry).toMatchObject({ version: '1.0.0', tarball: 'io.x.one-1.0.0.tgz', file_count: 2, templates: ['templates/hello.tmpl'], ggen_compat: '>=2.0.0-0' });
    const bad = await ggen(['market', 'pack', join(root, 'nowhere')], root, join(root, 'c1'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`error: ${join(root, 'nowhere')}: pack directory not found\n`);
  });

  it('refuses to publish a changed pack under the same version', async () => {
    const dir = join(root, 'src', 'io.x.one-1.0.0');
    writeFileSync(join(dir, 'templates', 'extra.tmpl'), 'x');
    const r = await ggen(['market', 'publish', dir, '--registry', registry], root, join(root, 'c0'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('io.x.one@1.0.0 already exists in the registry with different content');
  });

  it('reports cache stats in the XDG cache dir, verifies and cleans it, and `install` refills it from ggen.lock', async () => {
    const xdg = join(root, 'xdg');
    const env = { GGEN_CACHE_DIR: undefined, XDG_CACHE_HOME: xdg };
    const proj = project('p-cache');
    expect((await ggen(['market', 'add', 'io.x.one', '--registry', registry], proj, '', { env })).code).toBe(0);
    const stats = await ggen(['market', 'cache', 'stats', '--json'], proj, '', { env });
    expect(JSON.parse(stats.stdout)).toMatchObject({ root: join(xdg, 'ggen'), tarballs: 1, packs: 1 });
    const verify = await ggen(['market', 'cache', 'verify'], proj, '', { env });
    expect(verify.stdout).toBe('2 cache entries verified, all intact\n');

    const gen1 = await ggen(['gen', 'io.x.one:hello.tmpl', '--out', join(proj, 'out'), '--no-receipt'], proj, '', { env });
    expect(gen1.code).toBe(0);
    expect(readFileSync(join(proj, 'out', 'hello-io.x.one.txt'), 'utf8')).toBe('hello from io.x.one 1.0.0\n');

    const clean = await ggen(['market', 'cache', 'clean'], proj, '', { env });
    expect(clean.stdout).toMatch(new RegExp(`^Cleaned ${join(xdg, 'ggen').replace(/[.]/g, '\\.')} \\(.* freed\\)\\n$`));
    const missing = await ggen(['gen', 'io.x.one:hello.tmpl', '--out', join(proj, 'out2')], proj, '', { env });
    expect(missing.stderr).toContain('hint: run `ggen market install` to fetch the locked packs');
    const install = await ggen(['market', 'install'], proj, '', { env });
    expect(install.stdout).toBe('1 fetched, 0 already in the cache\n');
    expect((await ggen(['gen', 'io.x.one:hello.tmpl', '--out', join(proj, 'out3'), '--no-receipt'], proj, '', { env })).code).toBe(0);
  });

  it('two projects installing the same pack at once share one cache entry', async () => {
    const cache = join(root, 'c-shared');
    const runs = await Promise.all(['p-s1', 'p-s2', 'p-s3'].map((p) => ggen(['market', 'add', 'io.x.one', '--registry', registry], project(p), cache)));
    expect(runs.map((r) => [r.code, r.stdout])).toEqual(Array(3).fill([0, 'added io.x.one@1.0.0\n']));
    expect((await ggen(['market', 'cache', 'verify'], root, cache)).stdout).toBe('2 cache entries verified, all intact\n');
  });

  it('accepts the 1.x spellings: `market install ID`, `cache clear|status|validate`', async () => {
    const cache = join(root, 'c-alias');
    const proj = project('p-alias');
    expect((await ggen(['market', 'install', 'io.x.one', '--registry', registry], proj, cache)).stdout).toBe('added io.x.one@1.0.0\n');
    expect((await ggen(['market', 'cache', 'validate'], proj, cache)).stdout).toBe('2 cache entries verified, all intact\n');
    expect((await ggen(['market', 'list', '--detailed'], proj, cache)).stdout).toMatch(/^io\.x\.one@1\.0\.0 {2}\(requested \*\)\n {2}Integrity: {4}sha512-\S+\n {2}Source: {7}file:\/\/\S+\/registry\/\n {2}Tarball: {6}packs\/io\.x\.one\/io\.x\.one-1\.0\.0\.tgz\n {2}Dependencies: none\n$/);
    expect(JSON.parse((await ggen(['market', 'cache', 'status', '--json'], proj, cache)).stdout)).toMatchObject({ packs: 1 });
    expect((await ggen(['market', 'cache', 'clear'], proj, cache)).code).toBe(0);
    expect(JSON.parse((await ggen(['market', 'cache', 'stats', '--json'], proj, cache)).stdout)).toMatchObject({ packs: 0, tarballs: 0 });
  });

  it('breaks a stale lock left by a dead process', async () => {
    const proj = project('p-stale');
    mkdirSync(join(proj, '.ggen'), { recursive: true });
    writeFileSync(join(proj, '.ggen', 'ggen.lock.lock'), '999999\n2020-01-01T00:00:00Z\n');
    const r = await ggen(['market', 'add', 'io.x.one', '--registry', registry], proj, join(root, 'c2'));
    expect(r.stdout).toBe('added io.x.one@1.0.0\n');
  });

  it('shows detailed search results', async () => {
    const r = await ggen(['market', 'search', 'alpha', '--registry', registry, '--detailed'], root, join(root, 'c3'));
    expect(r.stdout).toBe([
      'io.x.one',
      '  Name:        io.x.one pack',
      '  Description: the first pack',
      '  Version:     1.0.0',
      '  Category:    test',
      '  License:     MIT',
      '  Tags:        alpha',
      '  Install:     ggen market add io.x.one',
      '',
    ].join('\n'));
    const bad = await ggen(['market', 'search', 'x', '--registry', registry, '--sort', 'stars'], root, join(root, 'c3'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: invalid --sort "stars"\n  hint: one of: relevance, downloads, name, updated\n');
    expect((await ggen(['market', 'search', 'x', '--limit', '101', '--registry', registry], root, join(root, 'c3'))).stderr).toBe('error: result limit too high (max 100)\n  hint: use --limit 100 or less\n');
  });

  it('keeps packs from another registry when adding from a second one', async () => {
    const other = join(root, 'registry-two');
    const dir = writePack(join(root, 'src-two'), { id: 'io.y.two', version: '1.0.0' });
    expect((await ggen(['market', 'publish', dir, '--registry', other], root, join(root, 'c5'))).code).toBe(0);
    const proj = project('p-two');
    expect((await ggen(['market', 'add', 'io.x.one', '--registry', registry], proj, join(root, 'c5'))).code).toBe(0);
    const r = await ggen(['market', 'add', 'io.y.two', '--registry', other], proj, join(root, 'c5'));
    expect(r.stdout).toBe('added io.y.two@1.0.0\n');
    expect(JSON.parse((await ggen(['market', 'list', '--json'], proj, join(root, 'c5'))).stdout).map((p: { id: string }) => p.id)).toEqual(['io.x.one', 'io.y.two']);
    expect((await ggen(['market', 'update', '--registry', other], proj, join(root, 'c5'))).stdout).toBe('All gpacks are up to date\n');
    expect((await ggen(['market', 'update'], project('p-empty'), join(root, 'c5'))).stdout).toBe('No gpacks to update (none installed)\n');
  });

  it('runs a pack\'s own scenarios in cleanrooms with `market test`', async () => {
    const dir = writePack(join(root, 'src-tested'), {
      id: 'io.x.tested',
      version: '1.0.0',
      files: {
        'tests/hello.toml': 'name = "hello renders"\n\n[[steps]]\nggen = ["gen", "io.x.tested:hello.tmpl", "--no-receipt"]\n\n[expect]\nfiles_exist = ["hello-io.x.tested.txt"]\n',
        'tests/wrong.toml': 'name = "expects a file that is not generated"\n\n[[steps]]\nggen = ["gen", "io.x.tested:hello.tmpl", "--no-receipt"]\n\n[expect]\nfiles_exist = ["nope.txt"]\n',
      },
    });
    expect((await ggen(['market', 'publish', dir, '--registry', registry], root, join(root, 'c6'))).code).toBe(0);
    const proj = project('p-tested');
    expect((await ggen(['market', 'add', 'io.x.tested', '--registry', registry], proj, join(root, 'c6'))).code).toBe(0);
    const r = await ggen(['market', 'test', 'io.x.tested', '--json'], proj, join(root, 'c6'));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { scenarios: Array<{ name: string; status: string }> };
    expect(report.scenarios.map((x) => [x.name, x.status])).toEqual([['hello renders', 'passed'], ['expects a file that is not generated', 'failed']]);
    const none = await ggen(['market', 'test', 'io.x.one'], project('p-two'), join(root, 'c5'));
    expect(none.stderr).toBe('error: gpack "io.x.one" has no tests/ directory\n  hint: a pack tests itself with cleanroom scenarios in tests/*.toml (see docs/cleanroom.md)\n');
  });

  it('upgrades a 1.x lockfile entry on add', async () => {
    const proj = project('p-v1');
    writeFileSync(join(proj, 'ggen.lock'), 'version = "1.0"\ngenerated = "2025-10-09T19:34:56Z"\n\n[[packs]]\nid = "io.x.one"\nversion = "1.0.0"\nsha256 = "abc"\nsource = "https://x/r.git"\n');
    const gen = await ggen(['gen', 'io.x.one:hello.tmpl'], proj, join(root, 'c4'));
    expect(gen.stderr).toContain('is locked by a ggen 1.x lockfile entry');
    const r = await ggen(['market', 'add', 'io.x.one', '--registry', registry], proj, join(root, 'c4'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(proj, 'ggen.lock'), 'utf8')).toMatch(/^# ggen\.lock: .*\nversion = "2"\n\n\[\[packs\]\]\nid = "io\.x\.one"\nversion = "1\.0\.0"\nintegrity = "sha512-/);
  });
});
