// Proofs of isolation: files, env vars and HOME stay inside one env; a timed-out process tree is gone;
// dispose removes everything even after a failing test; 50 envs in parallel do not interfere; cwd cannot leave.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CleanroomEnv } from './api.js';

/** True when no live process has this pid (a zombie waiting to be reaped counts as dead). */
function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('isolation', () => {
  it('one env cannot see another env’s files', async () => {
    await using a = await CleanroomEnv.create();
    await using b = await CleanroomEnv.create();
    await a.writeFile('secret.txt', 'a only');
    expect(await b.exists('secret.txt')).toBe(false);
    const r = await b.run('sh', ['-c', 'ls -A; cat secret.txt']);
    expect(r.stdout).toBe('');
    expect(r.exitCode).not.toBe(0);
    await expect(b.readFile(join(a.path, 'secret.txt'))).rejects.toThrow('is outside the cleanroom');
  });

  it('does not leak the parent’s env vars or HOME into processes', async () => {
    process.env.GGEN_ISOLATION_SECRET = 'leaked';
    try {
      await using env = await CleanroomEnv.create();
      const r = await env.run('env', []);
      const vars = new Map(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]));
      expect(vars.has('GGEN_ISOLATION_SECRET')).toBe(false);
      expect(vars.get('HOME')).toBe(join(env.root, 'home'));
      expect(vars.get('TMPDIR')).toBe(join(env.root, 'tmp'));
      expect(vars.get('GGEN_CACHE_DIR')).toBe(join(env.root, 'cache', 'ggen'));
      for (const xdg of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR']) expect(vars.get(xdg)!.startsWith(`${env.root}/`)).toBe(true);
      expect([...vars.values()]).not.toContain(homedir());
    } finally {
      delete process.env.GGEN_ISOLATION_SECRET;
    }
  });

  it('writes to ~ land in the env’s own HOME, not the user’s or another env’s', async () => {
    await using a = await CleanroomEnv.create();
    await using b = await CleanroomEnv.create();
    const marker = `ggen-marker-${a.id}`;
    await a.run('sh', ['-c', `echo a > ~/${marker}; mkdir -p "$XDG_CONFIG_HOME/ggen" && echo cfg > "$XDG_CONFIG_HOME/ggen/x"`]);
    expect(readFileSync(join(a.root, 'home', marker), 'utf8')).toBe('a\n');
    expect(existsSync(join(homedir(), marker))).toBe(false);
    expect((await b.run('sh', ['-c', `cat ~/${marker}`])).exitCode).not.toBe(0);
    expect((await b.run('sh', ['-c', 'ls "$XDG_CONFIG_HOME"'])).stdout).toBe('');
  });

  it('a timed-out process tree, grandchildren included, is gone', async () => {
    await using env = await CleanroomEnv.create();
    // child (sh) → grandchild (sh) → great-grandchild (sleep); each writes its pid, then all block.
    const script = 'sleep 60 & echo $! > leaf.pid; sh -c \'sleep 60 & echo $! > grand-leaf.pid; echo $$ > grand.pid; wait\' & echo $$ > child.pid; wait';
    const r = await env.run('sh', ['-c', script], { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    const pids = [];
    for (const f of ['child.pid', 'leaf.pid', 'grand.pid', 'grand-leaf.pid']) pids.push(Number((await env.readFile(f)).trim()));
    expect(pids.every((p) => Number.isInteger(p) && p > 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter((p) => !processGone(p))).toEqual([]);
  });

  it('leaves no background process behind after a run ends', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'sleep 60 > /dev/null 2>&1 & echo $!']);
    expect(r.exitCode).toBe(0);
    const pid = Number(r.stdout.trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processGone(pid)).toBe(true);
  });

  it('dispose removes everything even after a failing test', async () => {
    const env = await CleanroomEnv.create();
    const result = await env.runTest(async (e) => {
      await e.writeFile('partial/output.txt', 'half done');
      await e.run('sh', ['-c', 'echo x > ~/home-file']);
      throw new Error('boom');
    });
    expect(result.status).toBe('error');
    expect(env.failed).toBe('boom');
    await env.dispose();
    expect(existsSync(env.root)).toBe(false);
    expect(env.keptPath).toBeUndefined();
  });

  it('50 envs in parallel do not interfere', async () => {
    const envs = await Promise.all(Array.from({ length: 50 }, () => CleanroomEnv.create()));
    try {
      expect(new Set(envs.map((e) => e.path)).size).toBe(50);
      const outputs = await Promise.all(envs.map(async (env, i) => {
        await env.writeFile('id.txt', String(i));
        const r = await env.run('sh', ['-c', 'echo "$(cat id.txt)" > ~/seen; ls -A; cat ~/seen']);
        return r.stdout;
      }));
      outputs.forEach((out, i) => expect(out).toBe(`id.txt\n${i}\n`));
      for (const [i, env] of envs.entries()) expect(await env.readFile('id.txt')).toBe(String(i));
    } finally {
      await Promise.all(envs.map((e) => e.dispose()));
    }
    expect(envs.filter((e) => existsSync(e.root))).toEqual([]);
  });

  it('run refuses a cwd outside the env', async () => {
    await using env = await CleanroomEnv.create();
    await expect(env.run('touch', ['escaped'], { cwd: '../' })).rejects.toThrow('path "../" is outside the cleanroom');
    await expect(env.run('touch', ['escaped'], { cwd: '/tmp' })).rejects.toThrow('path "/tmp" is outside the cleanroom');
    expect(existsSync(join(env.root, 'escaped'))).toBe(false);
  });
});
