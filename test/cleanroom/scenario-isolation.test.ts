// Scenario files with network isolation, limits, services (${services.NAME.FIELD}) and usage expectations.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenarioFiles, toJUnitXml } from './api.js';

const dir = new URL('./fixtures/scenarios-isolated/', import.meta.url).pathname;

describe('scenario isolation, limits and services', () => {
  it('parses network, limits, services and usage expectations', async () => {
    const s = await parseScenario('network = "none"\npid_namespace = true\n[limits]\nmemory_mb = 64\nwall_ms = 5000\n[[steps]]\nrun = "true"\nlimits = { cpu_seconds = 2 }\n[expect]\nmax_rss_mb = 200\nmax_wall_ms = 5000\n', '/x/s.toml');
    expect(s).toMatchObject({ network: 'none', pidNamespace: true, limits: { memoryMb: 64, wallMs: 5000 }, services: [], steps: [{ limits: { cpuSeconds: 2 } }] });
    expect(s.expectations.map((e) => e.spec)).toEqual([{ type: 'usage', measure: 'max_rss_mb', max: 200 }, { type: 'usage', measure: 'max_wall_ms', max: 5000 }]);
    const svc = await parseScenario('[[services]]\nname = "db"\nuse = "postgres"\n[[services]]\nname = "web"\ncommand = "node server.js ${port}"\nprobe = { http = "/health", status = 204 }\n[[steps]]\nrun = "true"\n', '/x/s.toml');
    expect(svc.services).toEqual([
      { name: 'db', line: 1, options: { env: {}, use: 'postgres' } },
      { name: 'web', line: 4, options: { env: {}, command: 'node', args: ['server.js', '${port}'], probe: { http: '/health', status: 204 } } },
    ]);
  });

  const broken: Array<[string, string, string]> = [
    ['bad network', 'network = "lan"\n[[steps]]\nrun = "true"\n', 'network must be one of host, loopback, none'],
    ['unknown limit', '[limits]\nram_mb = 1\n[[steps]]\nrun = "true"\n', 'unknown key "ram_mb" in limits'],
    ['zero limit', '[[steps]]\nrun = "true"\nlimits = { wall_ms = 0 }\n', 'steps[0].limits.wall_ms must be a positive integer'],
    ['unknown recipe', '[[services]]\nname = "db"\nuse = "postgress"\n', 'services[0].use must be one of postgres, redis, virtuoso'],
    ['service without command', '[[services]]\nname = "db"\n', 'services[0] needs "use" (postgres, redis, virtuoso) or "command"'],
    ['duplicate service', '[[services]]\nname = "redis"\n[[services]]\nname = "redis"\n', 'service "redis" is declared twice'],
    ['services without network', 'network = "none"\n[[services]]\nname = "redis"\n', 'services need a network: this scenario has network = "none"'],
    ['bad usage bound', '[[steps]]\nrun = "true"\n[expect]\nmax_rss_mb = -1\n', 'expect.max_rss_mb must be a positive number'],
  ];
  it.each(broken)('rejects %s', async (_t, toml, message) => {
    await expect(parseScenario(toml, 'bad.toml')).rejects.toMatchObject({ code: 'E_CONFIG', message });
  });

  it('runs them: a service in a private network, no network, a step stopped by its limit, usage over budget', async () => {
    const report = await runScenarioFiles([dir], { concurrency: 2 });
    const by = Object.fromEntries(report.scenarios.map((s) => [s.file.split('/').pop(), s]));
    expect(by['services.toml']!.failures).toEqual([]);
    expect(by['services.toml']!.status).toBe('passed');
    expect(by['services.toml']!.services!.db).toMatchObject({ kind: 'postgres' });
    expect(by['services.toml']!.services!.web).toMatchObject({ kind: 'custom' });
    expect(by['services.toml']!.steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'passed']);
    expect(by['services.toml']!.usage!.maxRssKb).toBeGreaterThan(0);
    expect(by['no-network.toml']!.status).toBe('passed');
    const limited = by['limited.toml']!;
    expect(limited.status).toBe('failed');
    expect(limited.steps[0]).toMatchObject({ status: 'failed', limit: 'cpu', exitCode: 152 });
    expect(limited.failures[0]).toMatch(/^step 1 \(while :; do :; done, line 3\): stopped by limit cpu \((SIGXCPU|exit 152) after \d+ ms of CPU \(cpuSeconds 1\)\)\nexit code 152, expected 0/);
    const over = by['over-budget.toml']!;
    expect(over.status).toBe('failed');
    expect(over.expectations.map((e: { validator: string; passed: boolean }) => [e.validator, e.passed])).toEqual([['usage max_rss_mb', false], ['usage max_cpu_ms', true]]);
    expect(over.failures[0]).toMatch(/^expect usage max_rss_mb \(line \d+\): peak RSS of the largest process: \d+\.\d MiB > 20 MiB$/);
    const slow = by['slow.toml']!;
    expect(slow.status).toBe('failed');
    expect(slow.expectations.map((e: { validator: string; passed: boolean }) => [e.validator, e.passed])).toEqual([['usage max_rss_mb', true], ['usage max_wall_ms', false]]);
    expect(slow.failures).toHaveLength(1);
    expect(slow.failures[0]).toMatch(/^expect usage max_wall_ms \(line \d+\): wall time of the longest step: (\d+)\.\d ms > 100 ms$/);
    expect(Number(/: (\d+)\.\d ms/.exec(slow.failures[0]!)![1])).toBeGreaterThanOrEqual(300);
    expect(slow.usage!.maxWallMs).toBeGreaterThanOrEqual(300);
    const xml = toJUnitXml(report);
    expect(xml).toMatch(/<property name="usage\.peak_rss_kb" value="\d+"\/>/);
    expect(xml).toMatch(/<property name="usage\.user_ms" value="[\d.]+"\/>/);
    expect(xml).toMatch(/<property name="usage\.sys_ms" value="[\d.]+"\/>/);
    expect(xml).toMatch(/<property name="usage\.wall_ms" value="[\d.]+"\/>/);
    expect(xml).toMatch(/<property name="usage\.max_wall_ms" value="3\d\d\.\d"\/>/);   // slow.toml's sleep 0.3
    expect(xml).toContain('<property name="limit.line_3" value="cpu"/>');
    expect(xml).toMatch(/<property name="service\.db\.ready_ms" value="\d+"\/>/);
  });

  it('a scenario naming an undeclared service fails the step with a clear message', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(join(tmpdir(), 'ggen-scn-'));
    try {
      writeFileSync(join(tmp, 's.toml'), '[[steps]]\nrun = "echo ${services.db.port}"\n');
      const report = await runScenarioFiles([join(tmp, 's.toml')]);
      expect(report.scenarios[0]!.failures[0]).toContain('${services.db.port}: no service "db" is declared before this step');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
