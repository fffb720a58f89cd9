// Every command group and command: --help exits 0 with examples; an unknown flag exits 2 with a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanroomEnv, commandsInHelp, listCommandPaths } from './helpers.js';

let env: CleanroomEnv;
let paths: string[][] = [];

beforeAll(async () => {
  env = await CleanroomEnv.create();
  paths = await listCommandPaths(env);
});
afterAll(() => env.dispose());

describe('help and usage errors', () => {
  it('lists the command groups', async () => {
    const r = await env.ggen(['--help']);
    expect(r.exitCode).toBe(0);
    const groups = commandsInHelp(r.stdout);
    // The groups landed so far; each one below must keep working.
    for (const g of ['gen', 'project', 'graph', 'template', 'market', 'lifecycle', 'cleanroom']) expect(groups).toContain(g);
  });

  it('prints --version', async () => {
    const r = await env.ggen(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?\n$/);
  });

  it('every command group prints help with examples and exits 0', async () => {
    const groups = paths.filter((p) => p.length === 1);
    expect(groups.length).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    await Promise.all(groups.map(async (path) => {
      const r = await env.ggen([...path, '--help']);
      if (r.exitCode !== 0 || !/^Usage: ggen /m.test(r.stdout) || !/\nExamples:\n {2}\$ ggen /.test(r.stdout) || r.stderr !== '') failures.push(`ggen ${path.join(' ')} --help → ${r.exitCode}\n${r.stdout}${r.stderr}`);
    }));
    expect(failures).toEqual([]);
  });

  it('every command prints its help and exits 0', async () => {
    const failures: string[] = [];
    await Promise.all(paths.map(async (path) => {
      const r = await env.ggen([...path, '--help']);
      if (r.exitCode !== 0 || !r.stdout.startsWith(`Usage: ggen ${path.join(' ')}`)) failures.push(`ggen ${path.join(' ')} --help → ${r.exitCode}: ${r.stdout.split('\n')[0]}${r.stderr}`);
    }));
    expect(failures).toEqual([]);
  });

  it('an unknown flag on any command exits 2 (naming the flag, or a required option checked first)', async () => {
    const failures: string[] = [];
    await Promise.all(paths.map(async (path) => {
      const r = await env.ggen([...path, '--no-such-flag-e2e']);
      if (r.exitCode !== 2 || !/^error: (unknown option '--no-such-flag-e2e'|required option '[^']+' not specified)/.test(r.stderr)) failures.push(`ggen ${path.join(' ')} --no-such-flag-e2e → ${r.exitCode}: ${r.stderr.split('\n')[0]}`);
    }));
    expect(failures).toEqual([]);
  });

  it('an unknown command exits 2 with a suggestion', async () => {
    const r = await env.ggen(['lifecycel']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'lifecycel'");
    expect(r.stderr).toContain('(Did you mean lifecycle?)');
  });
});
