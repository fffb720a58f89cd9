// CleanroomConfig and its builder: defaults, checks, and the effect of every option.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomConfig, CleanroomEnv, ValidationSuite, defaultCleanroomConfig } from './api.js';

describe('CleanroomConfig', () => {
  it('has the 1.x defaults, except logging (off: tests stay quiet)', () => {
    expect(CleanroomConfig.defaults()).toEqual({
      timeoutMs: 300_000, benchmarking: true, logging: false, concurrency: 4, scalability: { enabled: false, iterations: 100 },
      errorValidation: true, autoCleanup: true, keepOnFailure: false, env: {}, network: 'host', pidNamespace: false, limits: {},
    });
    expect(Object.isFrozen(defaultCleanroomConfig)).toBe(true);
  });

  it('builds every field fluently', () => {
    const logger = () => undefined;
    const config = CleanroomConfig.builder().timeout(5000).benchmarking(false).logging(true, logger).concurrency(2)
      .scalability(true, 7).errorValidation(false).autoCleanup(false).keepOnFailure(true).baseDir('/tmp').env({ A: '1' }).env({ B: '2' })
      .network('loopback').pidNamespace(true).limits({ memoryMb: 100 }).limits({ wallMs: 5 }).build();
    expect(config).toEqual({ timeoutMs: 5000, benchmarking: false, logging: true, logger, concurrency: 2, scalability: { enabled: true, iterations: 7 },
      errorValidation: false, autoCleanup: false, keepOnFailure: true, baseDir: '/tmp', env: { A: '1', B: '2' },
      network: 'loopback', pidNamespace: true, limits: { memoryMb: 100, wallMs: 5 } });
  });

  it('rejects values that cannot work', () => {
    expect(() => CleanroomConfig.builder().concurrency(0).build()).toThrow('cleanroom config: concurrency must be a positive integer, got 0');
    expect(() => CleanroomConfig.builder().timeout(-5).build()).toThrow('timeoutMs must be a positive integer');
    expect(() => CleanroomConfig.builder().scalability(true, 1.5).build()).toThrow('scalability.iterations must be a positive integer');
    expect(() => CleanroomConfig.builder().network('lan' as never).build()).toThrow('cleanroom config: network must be "host", "loopback", "none", got "lan"');
    expect(() => CleanroomConfig.builder().limits({ memoryMb: 0 }).build()).toThrow('cleanroom config: limit memoryMb must be a positive integer, got 0');
    expect(() => CleanroomConfig.builder().limits({ ramMb: 1 } as never).build()).toThrow('cleanroom config: unknown limit "ramMb"');
  });
});

describe('every option has an effect', () => {
  it('timeout: runTest reports a slow test as timeout and kills its processes; run uses it as its default limit', async () => {
    await using env = await CleanroomEnv.create(CleanroomConfig.builder().timeout(300).build());
    let aborted = false;
    const result = await env.runTest(async (e, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      await e.run('sleep', ['30'], { timeoutMs: 60_000 });
    });
    expect(result).toMatchObject({ status: 'timeout', error: 'Test timeout after 300ms', errors: ['Test timeout after 300ms'] });
    expect(aborted).toBe(true);
    const r = await env.run('sleep', ['30']);
    expect(r.timedOut).toBe(true);
  });

  it('benchmarking: on records run metrics, off records nothing and TestResult.metrics is null', async () => {
    await using on = await CleanroomEnv.create();
    await on.run('true');
    expect(Object.keys(on.metrics)).toEqual(['run_ms_total', 'runs', 'usage_peak_rss_kb_max', 'usage_sys_ms_total', 'usage_user_ms_total', 'usage_wall_ms_total']);
    await using off = await CleanroomEnv.create({ benchmarking: false });
    await off.run('true');
    off.recordMetric('x', 1);
    expect(off.metrics).toEqual({});
    expect((await off.runTest(() => undefined)).metrics).toBeNull();
    expect((await on.runTest(() => undefined)).metrics).toMatchObject({ runs: 1 });
  });

  it('logging: on sends create/run/dispose lines to the logger, off sends none', async () => {
    const lines: string[] = [];
    const env = await CleanroomEnv.create(CleanroomConfig.builder().logging(true, (l) => lines.push(l)).build());
    await env.run('true');
    await env.dispose();
    expect(lines.map((l) => l.replace(/[0-9a-f-]{36}/g, 'ID').replace(/\/\S+/g, 'PATH').replace(/[\d.]+ ms/g, 'N ms'))).toEqual([
      '[cleanroom] created cleanroom ID at PATH',
      '[cleanroom] ran true → exit 0 in N ms',
      '[cleanroom] disposed cleanroom ID after N ms',
    ]);
    const quiet: string[] = [];
    const env2 = await CleanroomEnv.create({ logger: (l) => quiet.push(l) });
    await env2.run('true');
    await env2.dispose();
    expect(quiet).toEqual([]);
  });

  it('concurrency: 1 runs processes one at a time; 3 lets three overlap', async () => {
    // Each run logs "start", waits (up to ~3 s) until three starts are logged, then logs "end".
    const script = 'echo start >> log; i=0; while [ "$(grep -c start log)" -lt 3 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; echo end >> log';
    await using serial = await CleanroomEnv.create({ concurrency: 1 });
    await Promise.all([1, 2, 3].map(() => serial.run('sh', ['-c', 'echo start >> log; sleep 0.05; echo end >> log'])));
    expect((await serial.readFile('log')).trim().split('\n')).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
    await using parallel = await CleanroomEnv.create({ concurrency: 3 });
    await Promise.all([1, 2, 3].map(() => parallel.run('sh', ['-c', script])));
    expect((await parallel.readFile('log')).trim().split('\n')).toEqual(['start', 'start', 'start', 'end', 'end', 'end']);
  });

  it('scalability: runs the test `iterations` times and records a benchmark', async () => {
    await using env = await CleanroomEnv.create(CleanroomConfig.builder().scalability(true, 5).build());
    const seen: number[] = [];
    const result = await env.runTest((_e, ctx) => { seen.push(ctx.iteration); });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(result.benchmark).toMatchObject({ name: 'scalability', iterations: 5 });
    expect(result.benchmark!.minMs).not.toBeNull();
    expect(env.metrics.scalability_iterations).toBe(5);
    await using once = await CleanroomEnv.create();
    let calls = 0;
    expect((await once.runTest(() => { calls++; })).benchmark).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('errorValidation: on turns a throwing validator into a failed result; off lets it abort the suite', async () => {
    const suite = new ValidationSuite('s', [{ name: 'throws', validate: () => { throw new Error('validator bug'); } }, { name: 'ok', validate: () => ({ passed: true }) }]);
    await using on = await CleanroomEnv.create();
    expect(await suite.run(on)).toEqual({
      suite: 's', passed: false, score: 0.5,
      results: [{ validator: 'throws', passed: false, messages: ['validator threw: validator bug'], score: 0 }, { validator: 'ok', passed: true, messages: [], score: 1 }],
    });
    await using off = await CleanroomEnv.create({ errorValidation: false });
    await expect(suite.run(off)).rejects.toThrow('validator bug');
  });

  it('autoCleanup: off keeps the directory after dispose and says so', async () => {
    const lines: string[] = [];
    const env = await CleanroomEnv.create({ autoCleanup: false, logger: (l) => lines.push(l) });
    await env.dispose();
    try {
      expect(existsSync(env.path)).toBe(true);
      expect(env.keptPath).toBe(env.path);
      expect(lines).toEqual([`[cleanroom] cleanroom ${env.id} autoCleanup is off; left at ${env.path}`]);
    } finally {
      rmSync(env.root, { recursive: true, force: true });
    }
  });

  it('autoCleanup: on removes envs a process never disposed when it exits; off leaves them', () => {
    const script = (auto: boolean) => `import { CleanroomEnv } from ${JSON.stringify(join(repoRoot, 'dist/cleanroom.mjs'))};
      const env = await CleanroomEnv.create({ autoCleanup: ${auto}, logger: () => {} }); console.log(env.root);`;
    const roots = [true, false].map((auto) => spawnSync(process.execPath, ['--input-type=module', '-e', script(auto)], { encoding: 'utf8' }).stdout.trim());
    try {
      expect(roots[0]).toMatch(/ggen-cleanroom-/);
      expect(existsSync(roots[0]!)).toBe(false);
      expect(existsSync(roots[1]!)).toBe(true);
    } finally {
      for (const r of roots) if (r) rmSync(r, { recursive: true, force: true });
    }
  });

  it('keepOnFailure: keeps the env of a failed test (and reports where), not of a passing one', async () => {
    const lines: string[] = [];
    const failing = await CleanroomEnv.create({ keepOnFailure: true, logger: (l) => lines.push(l) });
    const result = await failing.runTest(async (e) => { await e.writeFile('out.txt', 'evidence'); expect(1).toBe(2); });
    expect(result.status).toBe('failed');
    expect(result.envPath).toBe(failing.path);
    await failing.dispose();
    try {
      expect(failing.keptPath).toBe(failing.path);
      expect(await import('node:fs').then((fs) => fs.readFileSync(join(failing.path, 'out.txt'), 'utf8'))).toBe('evidence');
      expect(lines).toEqual([`[cleanroom] cleanroom ${failing.id} kept after failure: expected 1 to be 2 // Object.is equality; left at ${failing.path}`]);
    } finally {
      rmSync(failing.root, { recursive: true, force: true });
    }
    const passing = await CleanroomEnv.create({ keepOnFailure: true });
    await passing.runTest(() => undefined);
    await passing.dispose();
    expect(existsSync(passing.root)).toBe(false);
    const notKept = await CleanroomEnv.create({ keepOnFailure: false });
    await notKept.runTest(() => { throw new Error('x'); });
    await notKept.dispose();
    expect(existsSync(notKept.root)).toBe(false);
  });

  it('env: config variables reach every process', async () => {
    await using env = await CleanroomEnv.create(CleanroomConfig.builder().env({ GGEN_REGISTRY_URL: 'http://127.0.0.1:1' }).build());
    expect((await env.run('sh', ['-c', 'echo $GGEN_REGISTRY_URL'])).stdout).toBe('http://127.0.0.1:1\n');
  });

  it('baseDir: envs are created under it', async () => {
    await using outer = await CleanroomEnv.create();
    await using inner = await CleanroomEnv.create({ baseDir: outer.path });
    expect(inner.root.startsWith(`${outer.path}/ggen-cleanroom-`)).toBe(true);
  });
});

describe('runTest', () => {
  it('passes, fails on assertions, errors on other exceptions', async () => {
    await using env = await CleanroomEnv.create();
    const passed = await env.runTest(async (e) => { await e.writeFile('a', 'b'); });
    expect(passed).toMatchObject({ testId: env.id, status: 'passed', errors: [] });
    expect(passed.error).toBeUndefined();
    expect(passed.durationMs).toBeGreaterThanOrEqual(0);
    expect(await env.runTest(() => { expect('a').toBe('b'); })).toMatchObject({ status: 'failed', error: "expected 'a' to be 'b' // Object.is equality" });
    expect(await env.runTest(() => { throw new TypeError('not an assertion'); })).toMatchObject({ status: 'error', error: 'not an assertion' });
    expect(await env.runTest(() => Promise.reject('a string'))).toMatchObject({ status: 'error', error: 'a string' });
  });
});
