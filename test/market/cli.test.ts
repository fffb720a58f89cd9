// End to end through the built CLI: publish, serve over HTTP, search, add (with a dependency), list, update, remove,
// tampering, signatures, concurrency, corrupted lockfiles, registry down / --offline.
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/cli.js';
import { ggen, serveDir, writePack, type Served } from './helpers.js';

let root: string;
let cleanup: () => void;
let cache: string;
let registry: string;
let served: Served;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('ggen-market-e2e-'));
  cache = join(root, 'cache');
  registry = join(root, 'registry');
  const packs = join(root, 'src');
  for (const [id, version, deps] of [['io.t.base', '1.0.0', {}], ['io.t.app', '1.0.0', { 'io.t.base': '^1.0' }], ['io.t.solo', '2.0.0', {}]] as const) {
    const dir = writePack(packs, { id, version, deps, tags: id === 'io.t.app' ? ['application'] : [] });
    const r = await ggen(['market', 'publish', dir, '--registry', `file://${registry}/`], root, cache);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`published ${id}@${version} to ${registry}/\n`);
  }
  symlinkSync('/etc/hostname', join(registry, 'outside-link'));
  served = await serveDir(registry);
  stops.push(served.stop);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  cleanup();
});

function project(name: string): string {
  const dir = join(root, name);
  cpSync(join(root, 'src', 'io.t.base-1.0.0', 'gpack.toml'), join(dir, '.keep'), { recursive: true });
  return dir;
}

describe('market through a served registry', () => {
  it('searches over HTTP', async () => {
    const r = await ggen(['market', 'search', 'aplication', '--registry', served.url, '--json'], root, cache);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id)).toEqual(['io.t.app']);
    const none = await ggen(['market', 'search', 'nothing-like-this', '--registry', served.url], root, cache);
    expect(none.stdout).toBe('No gpacks found matching "nothing-like-this"\n');
    expect((await ggen(['market', 'search', 'x', '--registry', served.url, '--json', '--category', 'none'], root, cache)).stdout).toBe('[]\n');
  });

  it('adds with a dependency, idempotently, then lists, updates and removes', async () => {
    const proj = project('p1');
    const reg = ['--registry', served.url];
    const add = await ggen(['market', 'add', 'io.t.app', ...reg], proj, cache);
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('added io.t.app@1.0.0\nadded io.t.base@1.0.0\n');
    const lock = readFileSync(join(proj, 'ggen.lock'), 'utf8');
    expect(lock).toContain('[[packs]]\nid = "io.t.app"\nversion = "1.0.0"\n');
    expect(lock).toContain('requested = "*"\ndependencies = ["io.t.base@^1.0"]\n');

    const again = await ggen(['market', 'add', 'io.t.app', ...reg], proj, cache);
    expect(again.stdout).toBe('gpack "io.t.app" is already installed (1.0.0)\n');
    expect(readFileSync(join(proj, 'ggen.lock'), 'utf8')).toBe(lock);

    const list = await ggen(['market', 'list', '--json'], proj, cache);
    expect(JSON.parse(list.stdout).map((p: { id: string; version: string; direct: boolean }) => [p.id, p.version, p.direct])).toEqual([['io.t.app', '1.0.0', true], ['io.t.base', '1.0.0', false]]);

    // A new base version: dry run changes nothing, update moves within ^1.0.
    const newer = writePack(join(root, 'src2'), { id: 'io.t.base', version: '1.1.0' });
    await ggen(['market', 'publish', newer, '--registry', registry], root, cache);
    const dry = await ggen(['market', 'update', '--dry-run', ...reg], proj, cache);
    expect(dry.stdout).toBe('would update io.t.base 1.0.0 -> 1.1.0\n');
    expect(readFileSync(join(proj, 'ggen.lock'), 'utf8')).toBe(lock);
    const up = await ggen(['market', 'update', ...reg], proj, cache);
    expect(up.stdout).toBe('update io.t.base 1.0.0 -> 1.1.0\n');
    expect((await ggen(['market', 'update', ...reg], proj, cache)).stdout).toBe('All gpacks are up to date\n');

    const info = await ggen(['market', 'info', 'io.t.base', ...reg], proj, cache);
    expect(info.stdout).toContain('  Latest:       1.1.0  (installed: 1.1.0)\n  Versions:     1.1.0, 1.0.0\n');

    const dep = await ggen(['market', 'remove', 'io.t.base'], proj, cache);
    expect(dep.code).toBe(1);
    expect(dep.stderr).toBe('error: gpack "io.t.base" is a dependency of io.t.app\n  hint: remove io.t.app instead\n');
    const rm = await ggen(['market', 'remove', 'io.t.app'], proj, cache);
    expect(rm.stdout).toBe('removed io.t.app@1.0.0\nremoved io.t.base@1.1.0\n');
    expect((await ggen(['market', 'list'], proj, cache)).stdout).toBe('No gpacks installed\n');
    const gone = await ggen(['market', 'remove', 'io.t.app'], proj, cache);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('error: gpack "io.t.app" is not installed\n');
  });

  it('keeps an explicit range on update and refuses unknown packs with a suggestion', async () => {
    const proj = project('p2');
    const add = await ggen(['market', 'add', 'io.t.base@~1.0.0', '--registry', served.url], proj, cache);
    expect(add.stdout).toBe('added io.t.base@1.0.0\n');
    expect((await ggen(['market', 'update', '--registry', served.url], proj, cache)).stdout).toBe('All gpacks are up to date\n');
    const unknown = await ggen(['market', 'add', 'io.t.ap', '--registry', served.url], proj, cache);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: pack "io.t.ap" not found in the registry\n  hint: did you mean "io.t.app"?\n');
    const bad = await ggen(['market', 'add', '../../etc/passwd'], proj, cache);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid pack id "../../etc/passwd": pack id contains a path separator');
  });

  it('refuses a tampered tarball and leaves nothing behind', async () => {
    const evil = join(root, 'evil-registry');
    cpSync(registry, evil, { recursive: true });
    const tgz = join(evil, 'packs', 'io.t.solo', 'io.t.solo-2.0.0.tgz');
    const bytes = readFileSync(tgz);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(tgz, bytes);
    const evilServed = await serveDir(evil);
    stops.push(evilServed.stop);
    const proj = project('p3');
    const evilCache = join(root, 'evil-cache');
    const r = await ggen(['market', 'add', 'io.t.solo', '--registry', evilServed.url], proj, evilCache);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fetching io\.t\.solo@2\.0\.0\nerror: integrity mismatch for io\.t\.solo@2\.0\.0: expected sha512-.{23}…, got sha512-.{23}…\n {2}hint: the tarball differs from what the registry index promises; it was not installed\n$/);
    expect(existsSync(join(proj, 'ggen.lock'))).toBe(false);
    expect(existsSync(join(evilCache, 'packs')) ? readdirSync(join(evilCache, 'packs')) : []).toEqual([]);
  });

  it('verifies ML-DSA-65 signatures against trusted keys', async () => {
    const keys = join(root, 'keys');
    const k1 = await ggen(['market', 'keygen', '--out', join(keys, 'one.key')], root, cache);
    expect(k1.stdout).toMatch(/^secret key: {2}.*one\.key \(keep it private\)\npublic key: {2}.*one\.key\.pub\nfingerprint: [0-9a-f]{16}\n/);
    await ggen(['market', 'keygen', '--out', join(keys, 'two.key')], root, cache);
    const signedReg = join(root, 'signed-registry');
    const signedPack = writePack(join(root, 'src3'), { id: 'io.t.signed', version: '1.0.0' });
    const unsignedPack = writePack(join(root, 'src3'), { id: 'io.t.unsigned', version: '1.0.0' });
    await ggen(['market', 'publish', signedPack, '--registry', signedReg, '--sign', join(keys, 'one.key')], root, cache);
    await ggen(['market', 'publish', unsignedPack, '--registry', signedReg], root, cache);
    const reg = ['--registry', signedReg];
    const fp1 = /fingerprint: ([0-9a-f]{16})/.exec(k1.stdout)![1]!;

    const proj = project('p4');
    writeFileSync(join(proj, 'ggen.toml'), `[market]\ntrusted_keys = ["${join(keys, 'two.key.pub')}"]\n`);
    const wrong = await ggen(['market', 'add', 'io.t.signed', ...reg], proj, cache);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`error: io.t.signed@1.0.0 is signed by key ${fp1}, which is not trusted\n`);
    expect(existsSync(join(proj, 'ggen.lock'))).toBe(false);

    writeFileSync(join(proj, 'ggen.toml'), `[market]\ntrusted_keys = ["${join(keys, 'one.key.pub')}"]\n`);
    const unsigned = await ggen(['market', 'add', 'io.t.unsigned', ...reg], proj, cache);
    expect(unsigned.stderr).toContain('error: io.t.unsigned@1.0.0 is not signed, but trusted keys are configured\n');
    const ok = await ggen(['market', 'add', 'io.t.signed', ...reg], proj, cache);
    expect(ok.stdout).toBe('added io.t.signed@1.0.0\n');
    expect(readFileSync(join(proj, 'ggen.lock'), 'utf8')).toContain(`signed_by = "${fp1}"`);

    // A signature altered in the index no longer verifies.
    const indexFile = join(signedReg, 'index.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    const sig = index.packs['io.t.signed'].versions['1.0.0'].signature;
    sig.value = `${sig.value[0] === 'A' ? 'B' : 'A'}${sig.value.slice(1)}`;
    writeFileSync(indexFile, JSON.stringify(index));
    const proj2 = project('p5');
    writeFileSync(join(proj2, 'ggen.toml'), `[market]\ntrusted_keys = ["${join(keys, 'one.key.pub')}"]\n`);
    const forged = await ggen(['market', 'add', 'io.t.signed', ...reg], proj2, cache);
    expect(forged.stderr).toContain(`error: signature of io.t.signed@1.0.0 does not verify with trusted key ${fp1}\n`);
  });

  it('two concurrent adds leave a valid lockfile with both packs', async () => {
    const proj = project('p6');
    const [a, b] = await Promise.all([
      ggen(['market', 'add', 'io.t.solo', '--registry', served.url], proj, cache),
      ggen(['market', 'add', 'io.t.app', '--registry', served.url], proj, cache),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const list = JSON.parse((await ggen(['market', 'list', '--json'], proj, cache)).stdout);
    expect(list.map((p: { id: string }) => p.id)).toEqual(['io.t.app', 'io.t.base', 'io.t.solo']);
    expect(existsSync(join(proj, '.ggen', 'ggen.lock.lock'))).toBe(false);
  });

  it('names the file and position of a corrupted ggen.lock', async () => {
    const proj = project('p7');
    writeFileSync(join(proj, 'ggen.lock'), 'version = "2"\n\n[[packs]]\nid = "io.t.app"\nversion = 1.0.0\n');
    const r = await ggen(['market', 'list'], proj, cache);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${join(proj, 'ggen.lock').replace(/[.]/g, '\\.')}:5:\\d+: ggen\\.lock is corrupted: `));
  });

  it('a registry that is down gives a clear error; --offline uses the cache', async () => {
    const other = join(root, 'other-registry');
    cpSync(registry, other, { recursive: true });
    const s = await serveDir(other);
    const proj = project('p8');
    expect((await ggen(['market', 'add', 'io.t.solo', '--registry', s.url], proj, cache)).code).toBe(0);
    await s.stop();
    const down = await ggen(['market', 'search', 'solo', '--registry', s.url], proj, cache, { env: { GGEN_HTTP_RETRIES: '1' } });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: http:\/\/127\.0\.0\.1:\d+\/index\.json: cannot fetch registry index: connection refused \(after 2 attempts\)\n {2}hint: the registry looks down; `--offline` uses the index cached at \S+\n$/);
    const offline = await ggen(['market', 'search', 'solo', '--registry', s.url, '--offline', '--json'], proj, cache);
    expect(JSON.parse(offline.stdout).map((x: { id: string }) => x.id)).toEqual(['io.t.solo']);
    // The pack is cached too: a fresh project can add it offline.
    const proj2 = project('p9');
    const add = await ggen(['market', 'add', 'io.t.solo', '--registry', s.url, '--offline'], proj2, cache);
    expect(add.stdout).toBe('added io.t.solo@2.0.0\n');
  });

  it('serves with ETag, conditional requests and byte ranges, and refuses traversal', async () => {
    const url = `${served.url}packs/io.t.solo/io.t.solo-2.0.0.tgz`;
    const full = await fetch(url);
    const body = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get('etag')!;
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(10, 20))).toBe(true);
    const suffix = await fetch(url, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(body.subarray(body.length - 5))).toBe(true);
    const tooFar = await fetch(url, { headers: { range: `bytes=${body.length}-` } });
    expect(tooFar.status).toBe(416);
    expect(tooFar.headers.get('content-range')).toBe(`bytes */${body.length}`);
    const stale = await fetch(url, { headers: { range: 'bytes=0-0', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect((await fetch(`${served.url}..%2f..%2fetc/passwd`)).status).toBe(404);
    expect((await fetch(`${served.url}outside-link`)).status).toBe(404);
    expect((await fetch(`${served.url}.index.json.lock`)).status).toBe(404);
    expect((await fetch(served.url, { method: 'POST' })).status).toBe(405);
  });
});
