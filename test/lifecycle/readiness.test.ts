import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { ggen, project, writeFiles } from './helpers.js';

interface Report {
  score: number;
  threshold: number;
  deployment_ready: boolean;
  blockers: string[];
  categories: Array<{ category: string; score: number }>;
  requirements: Array<{ id: string; status: string; source: string; evidence: string[]; attested_by?: string }>;
}

function sample(): string {
  const dir = project({});
  cpSync(join(repoRoot, 'examples/lifecycle'), dir, { recursive: true });
  return dir;
}

async function readiness(dir: string): Promise<Report> {
  const r = await ggen(dir, ['readiness', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const statusOf = (report: Report, id: string) => report.requirements.find((q) => q.id === id)?.status;

describe('readiness on the sample project', () => {
  it('moves from not-ready to ready as evidence appears, and gates deploy', async () => {
    const dir = sample();
    const fresh = await readiness(dir);
    expect(fresh).toMatchObject({ score: 71.5, threshold: 88, deployment_ready: false, blockers: ['build-output'] });
    expect(fresh.categories.map((c) => [c.category, c.score])).toEqual([['Critical', 80], ['Important', 50], ['NiceToHave', 0]]);
    expect(statusOf(fresh, 'auth-basic')).toBe('NotApplicable');
    expect(statusOf(fresh, 'database-migrations')).toBe('NotApplicable');
    expect(statusOf(fresh, 'unit-tests')).toBe('Missing');

    const refused = await ggen(dir, ['run', 'deploy']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('error: refusing to run "deploy": the project is not deployment-ready (score 71.5 < 88; blockers: build-output)\n  hint: see `ggen lifecycle readiness --detailed`; pass --force to deploy anyway\n');
    expect(existsSync(join(dir, 'deploy'))).toBe(false);

    expect((await ggen(dir, ['run', 'build'])).code).toBe(0);
    const built = await readiness(dir);
    expect(built).toMatchObject({ score: 87.5, deployment_ready: false, blockers: [] });

    expect((await ggen(dir, ['run', 'test'])).code).toBe(0);
    const tested = await readiness(dir);
    expect(tested).toMatchObject({ score: 91.3, deployment_ready: true, blockers: [] });
    expect(statusOf(tested, 'unit-tests')).toBe('Complete');
    expect(statusOf(tested, 'integration-tests')).toBe('Complete');

    const deployed = await ggen(dir, ['run', 'deploy', '--env', 'production']);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain('[deploy] deployed greeter to production\n');
    expect(readFileSync(join(dir, 'deploy/production/SMOKE'), 'utf8')).toBe('Welcome, Deploy!\n');
  });

  it('runs init → build → test → deploy in one invocation, the gate checked just before deploy', async () => {
    const dir = sample();
    const r = await ggen(dir, ['run', 'init', 'build', 'test', 'deploy']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Running'))).toEqual(['Running phase: init', 'Running phase: build', 'Running phase: test', 'Running phase: deploy', 'Running hook after_deploy: cat deploy/$GGEN_ENV/SMOKE']);
    expect(readFileSync(join(dir, 'deploy/development/SMOKE'), 'utf8')).toBe('Hello, Deploy!\n');
  });

  it('a failing test run takes readiness back; --force deploys anyway', async () => {
    const dir = sample();
    await ggen(dir, ['run', 'build', 'test']);
    writeFiles(dir, { 'test/broken.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('broken', () => assert.equal(1, 2));\n" });
    expect((await ggen(dir, ['run', 'test'])).code).toBe(1);
    const report = await readiness(dir);
    expect(report.deployment_ready).toBe(false);
    expect(report.requirements.find((q) => q.id === 'unit-tests')).toMatchObject({ status: 'Missing', source: 'evidence', evidence: ['last "test" run failed (root, exit code 1)'] });
    const forced = await ggen(dir, ['run', 'deploy', '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(join(dir, 'deploy/development/app.mjs'))).toBe(true);
  });

  it('--dry-run shows the gate verdict without running', async () => {
    const dir = sample();
    const r = await ggen(dir, ['run', 'deploy', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('readiness gate'))).toEqual(['readiness gate: deploy would be refused (score 71.5, threshold 88, blockers: build-output)']);
  });
});

describe('readiness validators and attestations', () => {
  it('records who and when in production.toml and uses the attestation', async () => {
    const dir = project({ 'make.toml': '[lifecycle.test]\ncommand = "true"\n' });
    const r = await ggen(dir, ['readiness-update', 'auth-basic', 'complete', '--by', 'alice', '--note', 'SSO at the gateway']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Updated 'auth-basic' to Complete \(attested by alice at \d{4}-\d\d-\d\dT[\d:.]+Z\)\nNew overall score: \d+\.\d% — deployment ready: no\n$/);
    const stored = parse(readFileSync(join(dir, '.ggen/production.toml'), 'utf8')) as { requirements: Array<Record<string, unknown>> };
    expect(stored.requirements).toHaveLength(20);
    expect(stored.requirements.find((q) => q.id === 'auth-basic')).toMatchObject({ name: 'Basic Authentication', category: 'Critical', status: 'Complete', attested_by: 'alice', notes: 'SSO at the gateway', priority: 10, effort_hours: 8 });
    const report = await readiness(dir);
    expect(report.requirements.find((q) => q.id === 'auth-basic')).toMatchObject({ status: 'Complete', source: 'attestation', attested_by: 'alice' });
    // Running readiness again after an update must not fail (the 1.x "invalid transition" crash).
    expect((await ggen(dir, ['readiness-update', 'auth-basic', 'needs-review', '--by', 'bob'])).code).toBe(0);
    expect((await readiness(dir)).requirements.find((q) => q.id === 'auth-basic')).toMatchObject({ status: 'NeedsReview', attested_by: 'bob' });
  });

  it('does not let an attestation outvote contrary evidence', async () => {
    const dir = project({ 'make.toml': '[lifecycle.test]\ncommand = "true"\n', 'src/main.ts': 'export const x = 1;\n// TODO: handle errors\n' });
    await ggen(dir, ['readiness-update', 'error-handling', 'done', '--by', 'carol']);
    const q = (await readiness(dir)).requirements.find((x) => x.id === 'error-handling')!;
    expect(q.status).toBe('NeedsReview');
    expect(q.evidence[0]).toBe('1 unfinished-work marker(s)');
    expect(q.evidence[1]).toBe('src/main.ts:2: TODO');
    expect(q.evidence[2]).toMatch(/^attested Complete by carol at .*, but the evidence contradicts it$/);
  });

  it('reads a 1.x production.toml (statuses without attested_by)', async () => {
    const dir = project({ '.ggen/production.toml': '[[requirements]]\nid = "auth-basic"\nname = "Basic Authentication"\ncategory = "Critical"\nstatus = "Placeholder"\nlast_assessed = "2025-10-01T00:00:00Z"\n' });
    const q = (await readiness(dir)).requirements.find((x) => x.id === 'auth-basic')!;
    expect(q).toMatchObject({ status: 'Placeholder', source: 'attestation' });
  });

  it('checks user requirements from make.toml: a command that must succeed and a glob that must match', async () => {
    const dir = project({ 'make.toml': '[readiness]\nthreshold = 0\n[readiness.requirements.lint-clean]\ncategory = "Critical"\ncommand = "test -f lint.ok"\n[readiness.requirements.changelog]\ncategory = "NiceToHave"\nglob = "CHANGELOG*"\n' });
    let report = await readiness(dir);
    expect(report.requirements.find((q) => q.id === 'lint-clean')).toMatchObject({ status: 'Missing', evidence: ['`test -f lint.ok` exited with code 1'] });
    expect(report.blockers).toContain('lint-clean');
    writeFileSync(join(dir, 'lint.ok'), '');
    writeFileSync(join(dir, 'CHANGELOG.md'), '# 1.0\n');
    report = await readiness(dir);
    expect(report.requirements.find((q) => q.id === 'lint-clean')).toMatchObject({ status: 'Complete', evidence: ['`test -f lint.ok` exited 0'] });
    expect(report.requirements.find((q) => q.id === 'changelog')).toMatchObject({ status: 'Complete', evidence: ['matches: CHANGELOG.md'] });
  });

  it('finds evidence in manifests, lockfiles and config files', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'x', dependencies: { pino: '9.0.0', zod: '3.0.0', pg: '8.0.0' } }),
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { pino: '9.0.0', zod: '3.0.0' } } } }),
      '.github/workflows/ci.yml': 'on: push\n',
      'Dockerfile': 'FROM node:20\nHEALTHCHECK CMD true\n',
    });
    const report = await readiness(dir);
    const byId = Object.fromEntries(report.requirements.map((q) => [q.id, q]));
    expect(byId['logging-tracing']).toMatchObject({ status: 'Complete', evidence: ['dependency "pino" declared in package.json'] });
    expect(byId['input-validation']!.status).toBe('Complete');
    expect(byId['health-checks']).toMatchObject({ status: 'Complete', evidence: ['HEALTHCHECK in Dockerfile'] });
    expect(byId['database-migrations']).toMatchObject({ status: 'Missing', evidence: ['database client "pg" declared in package.json but no migrations directory'] });
    expect(byId['dependency-lockfile']).toMatchObject({ status: 'Missing', evidence: ['package-lock.json does not match package.json (differs in: pg); run npm install'] });
    expect(byId['ci-config']).toMatchObject({ status: 'Complete', evidence: ['CI config: .github/workflows/ci.yml'] });
  });

  it('prints a detailed text report with evidence', async () => {
    const dir = sample();
    const r = await ggen(dir, ['readiness', '--detailed']);
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.slice(0, 7)).toEqual(['Production Readiness Report: greeter', 'Overall Score: 71.5% (threshold 88)', 'Deployment ready: no', '', 'Critical: 80.0% (4/5 complete, 2 not applicable)', 'Important: 50.0% (4/8 complete, 1 not applicable)', 'NiceToHave: 0.0% (0/5 complete)']);
    expect(out).toContain('  ➖ auth-basic - Basic Authentication (NotApplicable)');
    expect(out).toContain('      health path declared in openapi.yaml');
    expect(out).toContain('  ❌ build-output - Build output present (Missing)');
    expect(out.slice(-3)).toEqual(['Blockers (Critical requirements not met):', '  • build-output: Build output present (Missing)', '']);
  });
});
