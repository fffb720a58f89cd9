import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runGgen } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('CLI shell', () => {
  it('prints the version', async () => {
    const r = await runGgen(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('prints help with examples and exits 0', async () => {
    const r = await runGgen(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ggen \[options\] \[command\]/);
    expect(r.stdout).toContain('Examples:');
  });

  it('rejects an unknown flag with exit 2', async () => {
    const r = await runGgen(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
  });

  it('suggests the closest command for a typo', async () => {
    const r = await runGgen(['grahp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'grahp'");
    expect(r.stderr).toContain('(Did you mean graph?)');
  });

  it('rejects a -C directory that does not exist with exit 2', async () => {
    const r = await runGgen(['-C', '/nonexistent-dir-ggen', 'graph', 'stats', 'x.ttl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot change to directory "\/nonexistent-dir-ggen": ENOENT\n {2}hint: /);
  });
});
