// The marketplace end to end, in cleanrooms: publish a pack into a registry, serve it with `ggen market serve`,
// then search, add (lockfile), generate from the installed pack, reinstall from the lockfile elsewhere,
// and refuse a tampered tarball. ggen's cache lands in each cleanroom's private GGEN_CACHE_DIR.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggenBinPath, runScenarioFiles, type BackgroundProcess } from '../../src/cleanroom/index.js';
import { CleanroomEnv, assertTreeMatchesGolden, fixtures, golden } from './helpers.js';

let env: CleanroomEnv;
let server: BackgroundProcess;
let url = '';

async function serve(room: CleanroomEnv, dir: string): Promise<{ server: BackgroundProcess; url: string }> {
  const proc = await room.start(process.execPath, [ggenBinPath(), 'market', 'serve', dir, '--port', '0']);
  const [, served] = await proc.waitForOutput(/at (http:\/\/127\.0\.0\.1:\d+\/)/, { timeoutMs: 20_000 });
  return { server: proc, url: served! };
}

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await env.copyIn(join(fixtures, 'market-pack'), 'src');
  const pub = await env.ggen(['market', 'publish', 'src/io.e2e.people', '--registry', `file://${env.path}/registry/`]);
  expect(pub.stdout).toBe(`published io.e2e.people@1.2.0 to ${env.path}/registry/\n`);
  ({ server, url } = await serve(env, 'registry'));
  await env.createDir('proj');
  await env.copyIn(join(fixtures, 'market-pack', 'model.ttl'), 'proj/model.ttl');
});
afterAll(async () => {
  await server.stop();
  await env.dispose();
});

describe('market against a served registry', () => {
  it('searches the served registry', async () => {
    const r = await env.ggen(['market', 'search', 'peple', '--registry', url], { cwd: 'proj' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('ID             VERSION  DESCRIPTION\nio.e2e.people  1.2.0    TypeScript interfaces for every foaf:Person class\n');
  });

  it('adds the pack, writes ggen.lock and caches it inside the cleanroom', async () => {
    const r = await env.ggen(['market', 'add', 'io.e2e.people', '--registry', url], { cwd: 'proj' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('added io.e2e.people@1.2.0\n');
    const lock = await env.readFile('proj/ggen.lock');
    expect(lock).toMatch(/\[\[packs\]\]\nid = "io\.e2e\.people"\nversion = "1\.2\.0"\nintegrity = "sha512-[A-Za-z0-9+/]{86}=="\nsource = "http:\/\/127\.0\.0\.1:\d+\/"\n/);
    const cached = await import('node:fs/promises').then((fs) => fs.readdir(join(env.root, 'cache', 'ggen'), { recursive: true }));
    expect(cached.some((p) => /^tarballs\/[0-9a-f]{128}\.tgz$/.test(String(p)))).toBe(true);
    expect(cached.some((p) => /^packs\/[0-9a-f]{128}\/templates\/person\.tmpl$/.test(String(p)))).toBe(true);
  });

  it('generates from the installed pack (golden tree)', async () => {
    const r = await env.ggen(['gen', 'io.e2e.people:templates/person.tmpl', '--graph', 'model.ttl'], { cwd: 'proj' });
    expect(r.exitCode).toBe(0);
    await assertTreeMatchesGolden(env, join(golden, 'market-people'), { under: 'proj/people' });
  });

  it('reinstalls exactly the locked pack in another cleanroom', async () => {
    await using other = await CleanroomEnv.create();
    await other.writeFile('ggen.lock', await env.readFile('proj/ggen.lock'));
    const r = await other.ggen(['market', 'install', '--registry', url]);
    expect(r.exitCode).toBe(0);
    expect(await other.readFile('ggen.lock')).toBe(await env.readFile('proj/ggen.lock'));
    expect((await other.ggen(['market', 'list'])).stdout).toContain('io.e2e.people');
  });

  it('runs the pack’s own scenarios (tests/*.toml) in cleanrooms with the pack installed', async () => {
    const report = await runScenarioFiles([join(fixtures, 'market-pack', 'io.e2e.people', 'tests')], {
      setup: async (room) => {
        const add = await room.ggen(['market', 'add', 'io.e2e.people', '--registry', url]);
        if (add.exitCode !== 0) throw new Error(`installing the pack failed: ${add.stderr}`);
      },
    });
    expect(report.scenarios.map((x) => [x.name, x.status, x.failures])).toEqual([['io.e2e.people generates compilable TypeScript', 'passed', []]]);
  });

  it('`ggen market test` runs the installed pack’s scenarios in cleanrooms', async () => {
    const r = await env.ggen(['market', 'test', 'io.e2e.people'], { cwd: 'proj' });
    expect(r.stdout).toMatch(/^PASS {2}io\.e2e\.people generates compilable TypeScript \(.*people\.toml, [\d.]+ m?s\)\n\n1 scenario: 1 passed, 0 failed\n$/);
    expect(r.exitCode).toBe(0);
    const json = await env.ggen(['market', 'test', 'io.e2e.people', '--json'], { cwd: 'proj' });
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: true, total: 1, scenarios: [{ status: 'passed', steps: [{ kind: 'write' }, { kind: 'ggen', exitCode: 0 }] }] });
  });

  it('refuses a tampered tarball and writes no lockfile', async () => {
    await using evil = await CleanroomEnv.create();
    await evil.copyIn(join(env.path, 'registry'), 'registry');
    const tgz = join(evil.path, 'registry/packs/io.e2e.people/io.e2e.people-1.2.0.tgz');
    const bytes = readFileSync(tgz);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(tgz, bytes);
    const served = await serve(evil, 'registry');
    try {
      const r = await evil.ggen(['market', 'add', 'io.e2e.people', '--registry', served.url]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/error: integrity mismatch for io\.e2e\.people@1\.2\.0: expected sha512-.+, got sha512-.+\n {2}hint: the tarball differs from what the registry index promises; it was not installed\n$/);
      expect(await evil.exists('ggen.lock')).toBe(false);
    } finally {
      await served.server.stop();
    }
  });
});
