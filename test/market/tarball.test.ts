// Deterministic packing and safe extraction: bad archives are refused and leave nothing in the cache.
import { chmodSync, existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cli.js';
import { cacheLayout } from '../../src/market/cache-dir.js';
import { buildPack } from '../../src/market/pack.js';
import { computeIntegrity, storePack, verifyCache } from '../../src/market/store.js';
import { readPackTarball, writeTarGz, type TarInput } from '../../src/market/tar.js';
import { writePack } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => { while (cleanups.length) cleanups.pop()!(); });
function temp(): string {
  const t = makeTempDir('ggen-market-tar-');
  cleanups.push(t.cleanup);
  return t.dir;
}

const manifest: TarInput = { path: 'package/gpack.toml', data: Buffer.from('[gpack]\nid="io.evil"\n') };

describe('market pack', () => {
  it('gives identical bytes regardless of mtimes and file creation order', async () => {
    const root = temp();
    const a = writePack(join(root, 'a'), { id: 'io.t.det', version: '1.0.0', files: { 'templates/z.tmpl': 'z', 'templates/a/b.tmpl': 'b' } });
    const first = await buildPack(a);
    utimesSync(join(a, 'templates/z.tmpl'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const b = join(root, 'b', 'io.t.det-1.0.0');
    mkdirSync(join(b, 'templates', 'a'), { recursive: true });
    for (const f of ['templates/a/b.tmpl', 'templates/z.tmpl', 'templates/hello.tmpl', 'gpack.toml']) {
      writeFileSync(join(b, f), readPackTarball(first.tarball).find((x) => x.path === f)!.data);
    }
    const second = await buildPack(a);
    const third = await buildPack(b);
    expect(second.tarball.equals(first.tarball)).toBe(true);
    expect(third.integrity).toBe(first.integrity);
    expect(first.files).toEqual(['gpack.toml', 'templates/a/b.tmpl', 'templates/hello.tmpl', 'templates/z.tmpl']);
    // gzip header: no timestamp; tar entries: fixed mtime, uid/gid 0.
    expect(first.tarball.readUInt32LE(4)).toBe(0);
    const entries = readPackTarball(first.tarball).map((f) => [f.path, f.mode]);
    expect(entries).toEqual([['gpack.toml', 0o644], ['templates/a/b.tmpl', 0o644], ['templates/hello.tmpl', 0o644], ['templates/z.tmpl', 0o644]]);
  });
});

describe('tarball extraction', () => {
  const evil: Array<[string, TarInput[], string]> = [
    ['absolute path', [manifest, { path: '/etc/evil', data: Buffer.from('x') }], 'unsafe tarball: entry "/etc/evil" is an absolute path'],
    ['dot-dot', [manifest, { path: 'package/../../evil', data: Buffer.from('x') }], 'unsafe tarball: entry "package/../../evil" contains ".."'],
    ['symlink outside', [manifest, { path: 'package/link', type: 'symlink', linkpath: '../../../etc/passwd' }], 'unsafe tarball: link "package/link" points outside the pack ("../../../etc/passwd")'],
    ['absolute symlink', [manifest, { path: 'package/link', type: 'symlink', linkpath: '/etc/passwd' }], 'unsafe tarball: link "package/link" points outside the pack (absolute target "/etc/passwd")'],
    ['hardlink outside', [manifest, { path: 'package/hl', type: 'hardlink', linkpath: '../outside' }], 'unsafe tarball: link "package/hl" points outside the pack ("../outside")'],
    ['backslash', [manifest, { path: 'package\\..\\evil', data: Buffer.from('x') }], 'contains a backslash'],
  ];
  it.each(evil)('refuses %s and stores nothing', async (_name, entries, message) => {
    const cache = cacheLayout(temp());
    const tgz = writeTarGz(entries);
    await expect(storePack(tgz, { id: 'io.evil', version: '1.0.0', integrity: computeIntegrity(tgz) }, cache)).rejects.toThrow(message);
    expect(existsSync(cache.packs) ? readdirSync(cache.packs) : []).toEqual([]);
    expect(existsSync(cache.tarballs) ? readdirSync(cache.tarballs) : []).toEqual([]);
  });
  it('materialises links inside the pack as copies', () => {
    const tgz = writeTarGz([manifest, { path: 'package/a.txt', data: Buffer.from('A') }, { path: 'package/sub/l', type: 'symlink', linkpath: '../a.txt' }]);
    expect(readPackTarball(tgz).map((f) => [f.path, f.data.toString()])).toEqual([['a.txt', 'A'], ['gpack.toml', '[gpack]\nid="io.evil"\n'], ['sub/l', 'A']]);
  });
  it('refuses an integrity mismatch before writing anything', async () => {
    const cache = cacheLayout(join(temp(), 'cache'));
    const tgz = writeTarGz([manifest]);
    const other = computeIntegrity(Buffer.from('something else'));
    await expect(storePack(tgz, { id: 'io.x', version: '1.0.0', integrity: other }, cache)).rejects.toThrow(/^integrity mismatch for io\.x@1\.0\.0/);
    expect(existsSync(cache.root)).toBe(false);
  });
  it('cache verify finds modified, missing and added files', async () => {
    const cache = cacheLayout(temp());
    const valid: TarInput = { path: 'package/gpack.toml', data: Buffer.from('[gpack]\nid = "io.x"\nname = "x"\nversion = "1.0.0"\ndescription = "x"\nlicense = "MIT"\n') };
    const tgz = writeTarGz([valid, { path: 'package/t.tmpl', data: Buffer.from('t') }]);
    const dir = await storePack(tgz, { id: 'io.x', version: '1.0.0', integrity: computeIntegrity(tgz) }, cache);
    expect((await verifyCache(cache)).problems).toEqual([]);
    chmodSync(join(dir, 't.tmpl'), 0o644); // the cache is extracted read-only
    writeFileSync(join(dir, 't.tmpl'), 'changed');
    writeFileSync(join(dir, 'new.txt'), 'n');
    expect((await verifyCache(cache)).problems.map((p) => p.problem)).toEqual(['t.tmpl was modified', 'new.txt was added']);
    await verifyCache(cache, { fix: true });
    expect(existsSync(dir)).toBe(false);
  });
});
