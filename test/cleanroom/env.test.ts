// CleanroomEnv basics: files, tree, metrics, paths that try to leave the env, dispose and `await using`.
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CleanroomEnv, GgenError } from './api.js';

describe('CleanroomEnv', () => {
  it('creates a fresh directory named with a UUID and removes it on dispose', async () => {
    const env = await CleanroomEnv.create();
    expect(env.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(env.root).toBe(join(env.root, '..', `ggen-cleanroom-${env.id}`));
    expect(env.path).toBe(join(env.root, 'work'));
    expect(existsSync(env.path)).toBe(true);
    await env.dispose();
    expect(existsSync(env.root)).toBe(false);
    await env.dispose(); // twice is fine
    await expect(env.writeFile('a', 'b')).rejects.toThrow(`cleanroom ${env.id} is already disposed`);
  });

  it('writes, reads, creates directories and answers exists', async () => {
    await using env = await CleanroomEnv.create();
    const full = await env.writeFile('a/b/c.txt', 'hello\n');
    expect(full).toBe(join(env.path, 'a/b/c.txt'));
    expect(await env.readFile('a/b/c.txt')).toBe('hello\n');
    expect(await env.createDir('x/y')).toBe(join(env.path, 'x/y'));
    expect(await env.exists('x/y')).toBe(true);
    expect(await env.exists('nope')).toBe(false);
  });

  it('removes files and directories inside the workspace only', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('d/a.txt', 'a');
    await env.writeFile('b.txt', 'b');
    await env.remove('d');
    await env.remove('b.txt');
    await env.remove('missing');
    expect(await env.tree()).toEqual([]);
    await expect(env.remove('.')).rejects.toThrow('cannot remove the workspace itself');
    await expect(env.remove('..')).rejects.toThrow('path ".." is outside the cleanroom');
    expect(existsSync(env.path)).toBe(true);
  });

  it('writes a whole file tree at once', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFiles({ 'b/c.txt': 'c', 'a.txt': 'a', 'bin.dat': new Uint8Array([0, 1, 2]) });
    expect((await env.tree()).map((e) => [e.path, e.size])).toEqual([['a.txt', 1], ['b/c.txt', 1], ['bin.dat', 3]]);
    await expect(env.writeFiles({ '../x': 'x' })).rejects.toThrow('path "../x" is outside the cleanroom');
  });

  it('lists the tree sorted by path with sizes and sha256', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('b.txt', 'b');
    await env.writeFile('a/z.txt', '');
    await env.writeFile('a/a.txt', 'hello');
    await env.createDir('empty');
    expect(await env.tree()).toEqual([
      { path: 'a/a.txt', type: 'file', size: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' },
      { path: 'a/z.txt', type: 'file', size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      { path: 'b.txt', type: 'file', size: 1, sha256: '3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d' },
    ]);
    expect((await env.tree({ exclude: ['a'] })).map((e) => e.path)).toEqual(['b.txt']);
  });

  it('copies a fixture directory or a single file in', async () => {
    const src = mkdtempSync(join(tmpdir(), 'ggen-fixture-'));
    try {
      mkdirSync(join(src, 'sub'));
      writeFileSync(join(src, 'sub', 'f.txt'), 'f');
      writeFileSync(join(src, 'top.txt'), 't');
      await using env = await CleanroomEnv.create();
      await env.copyIn(src);
      await env.copyIn(join(src, 'top.txt'), 'nested/');
      await env.copyIn(join(src, 'top.txt'), 'renamed.txt');
      expect((await env.tree()).map((e) => e.path)).toEqual(['nested/top.txt', 'renamed.txt', 'sub/f.txt', 'top.txt']);
      await expect(env.copyIn(join(src, 'missing'))).rejects.toThrow('cannot copy into the cleanroom: ENOENT');
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  it('refuses paths that leave the env, through .. or through a symlink', async () => {
    await using env = await CleanroomEnv.create();
    await expect(env.writeFile('../escape.txt', 'x')).rejects.toThrow('path "../escape.txt" is outside the cleanroom');
    await expect(env.readFile('/etc/hostname')).rejects.toThrow('is outside the cleanroom');
    await expect(env.createDir('a/../../b')).rejects.toBeInstanceOf(GgenError);
    symlinkSync(tmpdir(), join(env.path, 'link'));
    await expect(env.writeFile('link/x.txt', 'x')).rejects.toThrow('path "link/x.txt" leads outside the cleanroom through a symlink');
    expect(existsSync(join(env.root, 'escape.txt'))).toBe(false);
  });

  it('measures elapsed time and records metrics', async () => {
    await using env = await CleanroomEnv.create();
    expect(env.elapsedMs).toBeGreaterThanOrEqual(0);
    env.recordMetric('zeta', 2);
    env.recordMetric('alpha', 1);
    env.recordMetric('alpha', 3);
    expect(env.metrics).toEqual({ alpha: 3, zeta: 2 });
    expect(Object.keys(env.metrics)).toEqual(['alpha', 'zeta']);
    expect(() => env.recordMetric('bad', Number.NaN)).toThrow('metric "bad" must be a finite number');
  });

  it('supports `await using`: the env is gone at the end of the block', async () => {
    let root = '';
    {
      await using env = await CleanroomEnv.create();
      root = env.root;
      await env.writeFile('x', 'y');
    }
    expect(root).not.toBe('');
    expect(existsSync(root)).toBe(false);
    expect(typeof Symbol.asyncDispose).toBe('symbol');
  });
});
