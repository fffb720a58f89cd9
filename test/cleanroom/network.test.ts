// Network isolation: "loopback" is a private network namespace with only lo (up), "none" has nothing;
// both per env, shared by all its processes, through the launcher's unshare/setns. Unavailable → a clear error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomEnv } from './api.js';
import { envProcesses } from './helpers/procs.js';

const CONNECT = 'const s = require("net").connect(Number(process.argv[1]), "127.0.0.1"); s.on("connect", () => { console.log("connected"); s.destroy(); }); s.on("error", (e) => console.log(e.code));';
const child = join(repoRoot, 'test/cleanroom/fixtures/isolation-child.mjs');
const dist = join(repoRoot, 'dist/cleanroom.mjs');

async function connectFrom(env: CleanroomEnv, port: number): Promise<string> {
  const r = await env.run(process.execPath, ['-e', CONNECT, String(port)]);
  expect(r.exitCode).toBe(0);
  return r.stdout.trim();
}

function runChild(opts: object, wrap: string[] = [], env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out = execFileSync(wrap[0] ?? process.execPath, [...wrap.slice(1), ...(wrap.length ? [process.execPath] : []), child, dist, JSON.stringify(opts)], { encoding: 'utf8', env, timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

/**
 * A perl wrapper that runs its arguments in a user namespace (uids 0..65535 mapped) where the sysctl `max` (e.g.
 * max_user_namespaces) is 0: as uid 65534 inside, or as uid 0 inside (root there, so the cleanroom takes the root paths).
 */
function limitedNamespaces(max: 'max_user_namespaces' | 'max_net_namespaces', uid: 0 | 65534): string {
  const [unshare, setresgid, setresuid] = process.arch === 'arm64' ? [97, 149, 147] : [272, 119, 117];
  // The child makes the namespace; the parent (still root outside it) writes its id maps.
  return `pipe(my $r1, my $w1); pipe(my $r2, my $w2);
    my $pid = fork;
    if ($pid) {
      close $w1; <$r1>;
      for (["uid_map", "0 0 65536"], ["gid_map", "0 0 65536"]) { open(my $h, ">", "/proc/$pid/$_->[0]") or die "$_->[0]: $!"; print $h $_->[1]; close($h) or die "$_->[0]: $!" }
      close $w2; waitpid($pid, 0); exit($? >> 8);
    }
    close $r1; syscall(${unshare}, 0x10000000) == 0 or die "unshare: $!"; close $w1; close $w2; <$r2>;
    open(my $h, ">", "/proc/sys/user/${max}") or die "sysctl: $!"; print $h "0"; close($h) or die "sysctl: $!";
    syscall(${setresgid}, ${uid}, ${uid}, ${uid}) == 0 or die "setgid: $!"; syscall(${setresuid}, ${uid}, ${uid}, ${uid}) == 0 or die "setuid: $!";
    exec @ARGV or die "exec: $!";`;
}

describe('network isolation', () => {
  let hostServer: Server;
  let hostPort: number;
  beforeAll(async () => {
    hostServer = createServer((c) => { c.on('error', () => undefined); c.end('host'); });
    await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    hostPort = (hostServer.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => hostServer.close(() => resolve())));

  it('host (the default): a server on the host’s 127.0.0.1 is reachable', async () => {
    await using env = await CleanroomEnv.create();
    expect(env.config.network).toBe('host');
    expect(await connectFrom(env, hostPort)).toBe('connected');
  });

  it('loopback: the host’s 127.0.0.1 server cannot be reached from inside', async () => {
    await using env = await CleanroomEnv.create({ network: 'loopback' });
    expect(await connectFrom(env, hostPort)).toBe('ECONNREFUSED');
    // Only lo in the namespace, and it is up.
    const dev = await env.run('cat', ['/proc/net/dev']);
    expect(dev.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0])).toEqual(['lo']);
  });

  it('none: nothing is reachable, not even loopback', async () => {
    await using env = await CleanroomEnv.create({ network: 'none' });
    expect(await connectFrom(env, hostPort)).toBe('ENETUNREACH');
    await expect(env.service('db', { command: 'true' })).rejects.toThrow('service "db" needs a network: this env has network "none"');
  });

  it('loopback: a server started inside is reachable from inside, not from the host, not from another env', async () => {
    await using env = await CleanroomEnv.create({ network: 'loopback' });
    await using other = await CleanroomEnv.create({ network: 'loopback' });
    await env.writeFile('server.js', 'const s = require("net").createServer((c) => { c.on("error", () => {}); c.end("inside"); }).listen(0, "127.0.0.1", () => console.log("port " + s.address().port));');
    const server = await env.start(process.execPath, ['server.js']);
    const port = Number((await server.waitForOutput(/port (\d+)/))[1]);
    expect(await connectFrom(env, port)).toBe('connected');
    const r = await env.run(process.execPath, ['-e', `require("net").connect(${port}, "127.0.0.1").on("data", (d) => process.stdout.write(d))`]);
    expect(r.stdout).toBe('inside');
    expect(await connectFrom(other, port)).toBe('ECONNREFUSED');
    const fromHost = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve('connected'); });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(fromHost).toBe('ECONNREFUSED');
  });

  it('one network namespace per env, shared by all its processes, neither the host’s nor another env’s', async () => {
    const ns = async (env: CleanroomEnv) => (await env.run('readlink', ['/proc/self/ns/net'])).stdout.trim();
    const host = readlinkSync('/proc/self/ns/net');
    await using a = await CleanroomEnv.create({ network: 'loopback' });
    await using b = await CleanroomEnv.create({ network: 'none', pidNamespace: true });
    await using plain = await CleanroomEnv.create();
    const [a1, a2, b1] = [await ns(a), await ns(a), await ns(b)];
    expect(a1).toMatch(/^net:\[\d+\]$/);
    expect(a1).not.toBe(host);
    expect(a2).toBe(a1);
    expect(b1).not.toBe(host);
    expect(b1).not.toBe(a1);
    expect(await ns(plain)).toBe(host);
  });

  it('the modes mean what util-linux unshare and bubblewrap mean: none = `unshare --net` (lo down), loopback = `bwrap --unshare-net` (lo up)', async () => {
    const probe = [process.execPath, '-e', CONNECT, String(hostPort)];
    const viaUnshare = execFileSync('unshare', ['--user', '--map-current-user', '--net', ...probe], { encoding: 'utf8' }).trim();
    const viaBwrap = execFileSync('bwrap', ['--unshare-user', '--unshare-net', '--dev-bind', '/', '/', ...probe], { encoding: 'utf8' }).trim();
    expect([viaUnshare, viaBwrap]).toEqual(['ENETUNREACH', 'ECONNREFUSED']);
    await using none = await CleanroomEnv.create({ network: 'none' });
    await using loopback = await CleanroomEnv.create({ network: 'loopback' });
    expect(await connectFrom(none, hostPort)).toBe(viaUnshare);
    expect(await connectFrom(loopback, hostPort)).toBe(viaBwrap);
  });

  it('the namespace lives as long as the env: its holder is gone after dispose', async () => {
    const env = await CleanroomEnv.create({ network: 'loopback', pidNamespace: true });
    const holder = env.networkNamespacePid!;
    expect(holder).toBeGreaterThan(1);
    expect(await connectFrom(env, hostPort)).toBe('ECONNREFUSED');
    await env.dispose();
    await new Promise((r) => setTimeout(r, 100));
    expect(envProcesses(env.id)).toEqual([]);
    let alive = true;
    try { process.kill(holder, 0); } catch { alive = false; }
    expect(alive).toBe(false);
  });

  it('works unprivileged: as uid 65534 through a user namespace (the uid stays the same inside)', () => {
    const out = runChild({ network: 'loopback', pidNamespace: true, hostPort }, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    expect(out).toMatchObject({ uid: 65534, created: true, outside: 'ECONNREFUSED', inside: 'connected', idInside: '65534' });
  });

  it('fails with a clear error where user namespaces are unavailable, never running unisolated', () => {
    const out = runChild({ network: 'loopback', hostPort }, ['perl', '-e', limitedNamespaces('max_user_namespaces', 65534)]);
    expect(out.created).toBe(false);
    expect(out.error).toBe('network "loopback" needs unprivileged user and network namespaces, and they are not available here: creating the network namespace (unshare) failed: ENOSPC');
    expect(out.outside).toBeUndefined();
  });

  it('fails with a clear error as root where network namespaces are unavailable', () => {
    const out = runChild({ network: 'none', hostPort }, ['perl', '-e', limitedNamespaces('max_net_namespaces', 0)]);
    expect(out).toMatchObject({ uid: 0, created: false });
    expect(out.error).toBe('network "none" needs a network namespace, and it is not available here: creating the network namespace (unshare) failed: ENOSPC');
    expect(out.outside).toBeUndefined();
  });

  it('a PID namespace where user namespaces are unavailable: the run fails with a clear error, nothing runs', () => {
    const out = runChild({ network: 'host', pidNamespace: true, hostPort }, ['perl', '-e', limitedNamespaces('max_user_namespaces', 65534)]);
    expect(out.created).toBe(true);
    expect(out.runError).toBe('cannot run "' + process.execPath + '": creating a user namespace (unshare) failed: ENOSPC');
    expect(out.outside).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)('root without a writable pids cgroup: limits.processes fails with a clear error, never unlimited', () => {
    // A private mount namespace in which every cgroup mount is read-only.
    const readOnly = 'for m in $(awk \'$3 == "cgroup" || $3 == "cgroup2" { print $2 }\' /proc/mounts); do mount -o remount,bind,ro "$m" || exit 9; done; exec "$@"';
    const out = runChild({ network: 'host', limits: { processes: 20 }, hostPort }, ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', readOnly, 'sh']);
    expect(out.created).toBe(true);
    expect(out.runError).toMatch(/^limit processes cannot be enforced: running as root ignores RLIMIT_NPROC, and there is no writable pids cgroup \(.*(not writable|does not delegate).*\)$/);
    expect(out.outside).toBeUndefined();
  });

  it('fails with a clear error without perl (the launcher), for network, PID namespace and limits alike', () => {
    const bin = mkdtempSync(join(tmpdir(), 'ggen-noperl-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      for (const tool of ['id', 'sh', 'cat']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
      const env = { PATH: bin, HOME: process.env.HOME ?? '/root' };
      for (const opts of [{ network: 'loopback' }, { network: 'none' }, { network: 'host', pidNamespace: true }]) {
        const out = runChild({ ...opts, hostPort }, [], env);
        expect(out.created).toBe(false);
        expect(out.error).toMatch(/^cleanroom isolation \((network "(loopback|none)"|pidNamespace)\) is not available: perl is not on PATH/);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
    expect(dirname(process.execPath)).not.toBe('');
  });
});
