// The marketplace cannot be used to smuggle files: remote registries reference only http(s) tarballs, a
// tarball's own gpack.toml must match its index entry before anything is cached or locked, generation uses
// only verified pack content, and a failed add leaves no trace.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIntegrity } from '../../src/market/store.js';
import { writeTarGz } from '../../src/market/tar.js';
import { makeTempDir } from '../helpers/cli.js';
import { ggen, serveDir, writePack, type Served } from '../market/helpers.js';
import { expectOneLineError, snapshot } from './helpers.js';

let root: string;
let cleanup: () => void;
let registry: string;
const stops: Array<() => Promise<void>> = [];
let counter = 0;

const ID = 'io.t.good';
const TGZ = `packs/${ID}/${ID}-1.0.0.tgz`;

beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('ggen-security-market-'));
  registry = join(root, 'registry');
  const dir = writePack(join(root, 'src'), { id: ID, version: '1.0.0' });
  const r = await ggen(['market', 'publish', dir, '--registry', `file://${registry}/`], root, join(root, 'publish-cache'));
  expect(r.code).toBe(0);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  cleanup();
});

/** A fresh project, cache and copy of the registry (with its index editable). */
function fresh(): { project: string; cache: string; reg: string; index: any; saveIndex(): void } {
  const n = counter++;
  const project = join(root, `p${n}`);
  mkdirSync(project);
  const reg = join(root, `reg${n}`);
  cpSync(registry, reg, { recursive: true });
  const index = JSON.parse(readFileSync(join(reg, 'index.json'), 'utf8'));
  return { project, cache: join(root, `cache${n}`), reg, index, saveIndex: () => writeFileSync(join(reg, 'index.json'), JSON.stringify(index)) };
}

const manifest = (id: string, version: string) => `[gpack]\nid = "${id}"\nname = "x"\nversion = "${version}"\ndescription = "x"\nlicense = "MIT"\n`;

/** Replaces the registry's tarball with one holding these files, and fixes the index's integrity to match. */
function swapTarball(f: ReturnType<typeof fresh>, files: Record<string, string>): void {
  const tgz = writeTarGz(Object.entries(files).map(([path, text]) => ({ path: `package/${path}`, data: Buffer.from(text) })));
  writeFileSync(join(f.reg, TGZ), tgz);
  const entry = f.index.packs[ID].versions['1.0.0'];
  entry.integrity = computeIntegrity(tgz);
  delete entry.sha256;
  f.saveIndex();
}

/** Nothing was cached, locked or left in the project. */
function expectNoTrace(f: ReturnType<typeof fresh>): void {
  expect(readdirSync(f.project)).toEqual([]);
  const packs = join(f.cache, 'packs');
  expect(existsSync(packs) ? readdirSync(packs).filter((n) => !n.startsWith('.')) : []).toEqual([]);
}

describe('registries and tarballs', () => {
  it('an HTTP registry whose index points a tarball at file:// is refused', async () => {
    const f = fresh();
    f.index.packs[ID].versions['1.0.0'].tarball = `file://${join(f.reg, TGZ)}`;
    f.saveIndex();
    const served: Served = await serveDir(f.reg);
    stops.push(served.stop);
    const r = await ggen(['market', 'add', ID, '--registry', served.url], f.project, f.cache);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.slice(r.stderr.indexOf('error: '))).toBe(`error: the registry ${served.url} points the tarball of ${ID}@1.0.0 at file://${join(f.reg, TGZ)}; a remote registry may only reference http(s) URLs\n  hint: refusing to read it; the registry index must be fixed\n`);
    expectNoTrace(f);
  });

  it('a file registry may use file: tarballs but not other schemes', async () => {
    const f = fresh();
    f.index.packs[ID].versions['1.0.0'].tarball = 'data:application/gzip;base64,AAAA';
    f.saveIndex();
    const r = await ggen(['market', 'add', ID, '--registry', `file://${f.reg}/`], f.project, f.cache);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('only file: and http(s) URLs are allowed');
    expectNoTrace(f);
  });

  const mismatches: Array<[string, Record<string, string>, string]> = [
    ['a gpack.toml id that climbs out (../../etc)', { 'gpack.toml': manifest('../../etc', '1.0.0') }, 'pack id contains a path separator'],
    ['a gpack.toml id other than the index entry', { 'gpack.toml': manifest('io.t.other', '1.0.0') }, `${ID}@1.0.0: its gpack.toml declares id "io.t.other", but the registry index lists it as "${ID}"`],
    ['a gpack.toml version other than the index entry', { 'gpack.toml': manifest(ID, '6.6.6') }, `${ID}@1.0.0: its gpack.toml declares version 6.6.6, but the registry index lists 1.0.0`],
    ['a gpack.toml that is not valid TOML', { 'gpack.toml': '[gpack\nid = 1' }, 'gpack.toml'],
    ['a gpack.toml without required fields', { 'gpack.toml': `[gpack]\nid = "${ID}"\n` }, '[gpack].version: missing'],
    ['no gpack.toml at all', { 'templates/x.tmpl': '---\nto: x\n---\n' }, 'the tarball has no gpack.toml at its root'],
  ];
  it.each(mismatches)('%s is refused before anything is cached or locked', async (_name, files, message) => {
    const f = fresh();
    swapTarball(f, files);
    const r = await ggen(['market', 'add', ID, '--registry', `file://${f.reg}/`], f.project, f.cache);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.slice(r.stderr.indexOf('error: ')).split('\n')[0]).toContain(message);
    expectNoTrace(f);
  });

  it('a failed add (unknown pack, registry down) leaves no .ggen/ behind', async () => {
    const f = fresh();
    for (const args of [['market', 'add', 'io.t.missing', '--registry', `file://${f.reg}/`], ['market', 'add', ID, '--registry', 'http://127.0.0.1:9/']]) {
      const r = await ggen(args, f.project, f.cache);
      expect(r.code).toBe(1);
      expectOneLineError(r.stderr);
      expect(readdirSync(f.project)).toEqual([]);
    }
  });
});

describe('generation uses only verified pack content', () => {
  it('a file edited, added or removed in the extracted cache is refused by gen', async () => {
    const f = fresh();
    expect((await ggen(['market', 'add', ID, '--registry', `file://${f.reg}/`], f.project, f.cache)).code).toBe(0);
    const ok = await ggen(['gen', ID, '--out', 'out'], f.project, f.cache);
    expect([ok.code, ok.stdout]).toEqual([0, `create    out/hello-${ID}.txt\n`]);
    const packs = join(f.cache, 'packs');
    const dir = join(packs, readdirSync(packs).find((n) => !n.endsWith('.json') && !n.startsWith('.'))!);
    const template = join(dir, 'templates/hello.tmpl');
    expect(() => writeFileSync(template, 'x')).not.toThrow(); // root may write; the mode still says read-only:
    expect((readFileSync(template).length, (await import('node:fs')).statSync(template).mode & 0o222)).toBe(0);
    chmodSync(template, 0o644);
    writeFileSync(template, '---\nto: ../../pwned.txt\n---\nowned\n');
    const before = snapshot(f.project);
    const r = await ggen(['gen', ID, '--out', 'out'], f.project, f.cache);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.split('\n')[0]).toBe(`error: ${template}: the cached copy of ${ID}@1.0.0 was modified: templates/hello.tmpl was edited`);
    expect(r.stderr).toContain('hint: run `ggen market cache verify --fix`, then `ggen market install` to fetch it again');
    expect(snapshot(f.project)).toEqual(before);
    // Repair, then an added file is refused too.
    expect((await ggen(['market', 'cache', 'verify', '--fix'], f.project, f.cache)).code).toBe(1);
    expect((await ggen(['market', 'install'], f.project, f.cache)).code).toBe(0);
    expect((await ggen(['gen', ID, '--out', 'out'], f.project, f.cache)).code).toBe(0);
    writeFileSync(join(dir, 'templates/extra.tmpl'), '---\nto: extra.txt\n---\nx\n');
    const added = await ggen(['project', 'gen', ID, '--out', 'out'], f.project, f.cache);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`the cached copy of ${ID}@1.0.0 was modified: templates/extra.tmpl was added`);
  });
});
