// Limits and measured usage: a memory hog, a CPU spinner, a fork bomb, a big file, a descriptor leak and a
// sleeper are each stopped by their limit and reported as such; usage agrees with GNU time within 10%.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidsCgroupBase } from '../../src/cleanroom/cgroup.js';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomEnv } from './api.js';
import { envProcesses } from './helpers/procs.js';

const isRoot = process.getuid?.() === 0;
const child = join(repoRoot, 'test/cleanroom/fixtures/isolation-child.mjs');
const dist = join(repoRoot, 'dist/cleanroom.mjs');

const HOG = 'a = []\nwhile True: a.append(bytearray(4 * 1024 * 1024))';

describe('limits', () => {
  it('memoryMb stops a memory hog, and the result says memory', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('python3', ['-c', HOG], { limits: { memoryMb: 100 } });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('MemoryError');
    expect(r.limit).toBe('memory');
    expect(r.usage!.peakRssKb).toBeLessThan(110 * 1024);
    // The same program under a limit it fits in is not reported as limited.
    const ok = await env.run('python3', ['-c', 'a = bytearray(20 * 1024 * 1024); print(len(a))'], { limits: { memoryMb: 100 } });
    expect(ok).toMatchObject({ exitCode: 0, limit: null });
  });

  it('cpuSeconds stops a CPU spinner with SIGXCPU after about that much CPU time', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'while :; do :; done'], { limits: { cpuSeconds: 1 } });
    expect(r).toMatchObject({ signal: 'SIGXCPU', exitCode: 152, limit: 'cpu', timedOut: false });
    const cpu = r.usage!.userMs + r.usage!.sysMs;
    expect(cpu).toBeGreaterThan(800);   // the kernel charges CPU by ticks: SIGXCPU comes at ~0.9-1.0 s of accounted time
    expect(cpu).toBeLessThan(2100);
  });

  it('processes stops a fork bomb: forks are refused, the run ends, nothing is left', async () => {
    await using env = await CleanroomEnv.create();
    const bomb = 'bomb() { bomb | bomb & }; bomb; sleep 1; echo survived';
    const r = await env.run('sh', ['-c', bomb], { limits: { processes: 30 }, timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.limit).toBe('processes');
    // Root ignores RLIMIT_NPROC: there it must be the pids cgroup, counted by the kernel.
    expect(r.limitReason).toMatch(isRoot ? /^the pids cgroup refused \d+ fork\(s\)$/ : /^fork failed/);
    expect(envProcesses(env.id, env.root)).toEqual([]);
    if (isRoot) {
      // The run's cgroup is removed once its processes are gone.
      const base = pidsCgroupBase().dir!;
      expect(readdirSync(base).filter((d) => d.startsWith(`ggen-cleanroom-${env.id}`))).toEqual([]);
    }
    // A run that stays under the limit is not reported.
    const ok = await env.run('sh', ['-c', 'for i in 1 2 3 4 5; do sleep 0.1 & done; wait; echo ok'], { limits: { processes: 30 } });
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'ok\n', limit: null });
  });

  it('processes, unprivileged (uid 65534): RLIMIT_NPROC in a user namespace of its own stops the same fork bomb', () => {
    const out = JSON.parse(execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, child, dist, JSON.stringify({ network: 'host', bomb: 30 })], { encoding: 'utf8', timeout: 60_000 }).trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out).toMatchObject({ uid: 65534, created: true, timedOut: false, limit: 'processes', limitReason: 'fork failed with EAGAIN (RLIMIT_NPROC)' });
  });

  it('fileSizeMb stops a writer with SIGXFSZ at the limit', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'head -c 5000000 /dev/zero > big.bin'], { limits: { fileSizeMb: 1 } });
    expect(r.limit).toBe('fileSize');
    expect((await env.readBytes('big.bin')).length).toBe(1024 * 1024);
  });

  it('openFiles stops a descriptor leak', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('python3', ['-c', 'fs = [open("f%d" % i, "w") for i in range(200)]'], { limits: { openFiles: 32 } });
    expect(r.exitCode).toBe(1);
    expect(r.limit).toBe('openFiles');
  });

  it('wallMs kills the run and everything it started', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'sleep 30 & sleep 30'], { limits: { wallMs: 300 } });
    expect(r).toMatchObject({ timedOut: true, limit: 'wall', exitCode: 137 });
    expect(r.durationMs).toBeLessThan(3000);
    expect(envProcesses(env.id)).toEqual([]);
  });

  it('env limits apply to every run; a run’s own limits override them key by key', async () => {
    await using env = await CleanroomEnv.create({ limits: { cpuSeconds: 1, memoryMb: 100 } });
    expect((await env.run('sh', ['-c', 'while :; do :; done'])).limit).toBe('cpu');
    expect((await env.run('python3', ['-c', HOG])).limit).toBe('memory');
    const bigger = await env.run('python3', ['-c', 'a = bytearray(150 * 1024 * 1024); print("fits")'], { limits: { memoryMb: 400 } });
    expect(bigger).toMatchObject({ exitCode: 0, stdout: 'fits\n', limit: null });
    expect(env.metrics).toMatchObject({ runs_limited_cpu: 1, runs_limited_memory: 1 });
  });

  it('rejects limits that are not positive integers', async () => {
    await using env = await CleanroomEnv.create();
    await expect(env.run('true', [], { limits: { memoryMb: -1 } })).rejects.toThrow('run limits: limit memoryMb must be a positive integer, got -1');
  });
});

describe('usage', () => {
  it('every run reports the kernel’s usage; metrics sum and max it', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('python3', ['-c', 'a = bytearray(60 * 1024 * 1024)\nfor i in range(0, len(a), 4096): a[i] = 1']);
    expect(r.usage!.peakRssKb).toBeGreaterThan(60 * 1024);
    expect(r.usage!.peakRssKb).toBeLessThan(100 * 1024);
    expect(r.usage!.wallMs).toBeGreaterThan(0);
    expect(r.usage!.wallMs).toBeLessThanOrEqual(r.durationMs);
    const t = await env.run('true');
    expect(t.usage!.peakRssKb).toBeLessThan(10 * 1024);
    expect(env.metrics.usage_peak_rss_kb_max).toBe(r.usage!.peakRssKb);
    expect(env.metrics.usage_user_ms_total).toBeCloseTo(r.usage!.userMs + t.usage!.userMs, 5);
  });

  it('children and orphans are counted: CPU of a background child is in the run’s usage', async () => {
    await using env = await CleanroomEnv.create();
    const spin = 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done';
    const r = await env.run('sh', ['-c', `(${spin}) & (${spin}) & wait`]);
    const cpu = (x: typeof r) => x.usage!.userMs + x.usage!.sysMs;
    // The same work costs more CPU on a busy machine: the cheaper of two lone runs is the yardstick. Uncounted
    // children would leave the run near zero (the shell only waits).
    const one = Math.min(cpu(await env.run('sh', ['-c', spin])), cpu(await env.run('sh', ['-c', spin])));
    expect(cpu(r)).toBeGreaterThan(one * 1.3);
  });

  it('agrees with GNU time within 10% (wall, CPU, peak RSS) on the same execution', async () => {
    expect(existsSync('/usr/bin/time'), 'GNU time (/usr/bin/time, Debian package "time") is needed').toBe(true);
    await using env = await CleanroomEnv.create();
    const work = 'a = bytearray(120 * 1024 * 1024)\nfor i in range(0, len(a), 4096): a[i] = 1\ns = 0\nfor i in range(3_000_000): s += i * i\nprint(s)';
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const r = await env.run('/usr/bin/time', ['-f', '%e %U %S %M', '-o', 'time.txt', 'python3', '-c', work]);
      expect(r.exitCode).toBe(0);
      const [e, u, s, m] = (await env.readFile('time.txt')).trim().split(' ').map(Number) as [number, number, number, number];
      const ours = r.usage!;
      rows.push({ wall: [ours.wallMs, e * 1000], cpu: [ours.userMs + ours.sysMs, (u + s) * 1000], rss: [ours.peakRssKb, m] });
    }
    for (const row of rows) {
      for (const [name, [ours, gnu]] of Object.entries(row) as Array<[string, [number, number]]>) {
        // GNU time prints centiseconds: allow 10% or 20 ms, whichever is larger, for the time figures.
        const tolerance = name === 'rss' ? 0.1 * gnu : Math.max(0.1 * gnu, 20);
        expect(Math.abs(ours - gnu), `${name}: cleanroom ${ours.toFixed(1)} vs GNU time ${gnu}`).toBeLessThanOrEqual(tolerance);
      }
    }
  });
});
