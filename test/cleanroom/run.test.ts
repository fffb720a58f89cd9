// env.run: real processes with the workspace as cwd, stdin, env overrides, exit codes, signals, timeouts.
import { describe, expect, it } from 'vitest';
import { CleanroomEnv } from './api.js';

describe('env.run', () => {
  it('runs a real process in the workspace and collects its output', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('in.txt', 'from the env\n');
    const r = await env.run('sh', ['-c', 'pwd; cat in.txt; echo err >&2; exit 3']);
    expect(r).toMatchObject({ command: 'sh', args: ['-c', 'pwd; cat in.txt; echo err >&2; exit 3'], exitCode: 3, signal: null, stdout: `${env.path}\nfrom the env\n`, stderr: 'err\n', timedOut: false });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('passes input on stdin and runs in a subdirectory', async () => {
    await using env = await CleanroomEnv.create();
    await env.createDir('sub');
    const r = await env.run('sh', ['-c', 'pwd; tr a-z A-Z'], { input: 'shout\n', cwd: 'sub' });
    expect(r.stdout).toBe(`${env.path}/sub\nSHOUT\n`);
  });

  it('refuses a working directory that does not exist', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('file.txt', '');
    await expect(env.run('true', [], { cwd: 'missing' })).rejects.toThrow('working directory "missing" does not exist in the cleanroom');
    await expect(env.run('true', [], { cwd: 'file.txt' })).rejects.toThrow('working directory "file.txt" is not a directory in the cleanroom');
  });

  it('caps collected output at 32 MiB per stream', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'head -c 34603008 /dev/zero']);
    expect(r.exitCode).toBe(0);
    const m = /\n\[cleanroom: (\d+) more bytes of output dropped\]\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    const kept = r.stdout.length - m![0].length;
    expect(kept).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(kept + Number(m![1])).toBe(34603008);
  });

  it('reports a signal death as 128 + the signal number', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sh', ['-c', 'kill -TERM $$']);
    expect(r).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
  });

  it('sets env vars per run and removes them with undefined', async () => {
    await using env = await CleanroomEnv.create({ env: { FROM_CONFIG: 'c', DROP_ME: 'd' } });
    const r = await env.run('sh', ['-c', 'echo "$FROM_CONFIG $PER_RUN ${DROP_ME-unset} $TZ $LANG"'], { env: { PER_RUN: 'r', DROP_ME: undefined } });
    expect(r.stdout).toBe('c r unset UTC C.UTF-8\n');
  });

  it('fails clearly for a command that does not exist', async () => {
    await using env = await CleanroomEnv.create();
    await expect(env.run('no-such-command-ggen', [])).rejects.toThrow('cannot run "no-such-command-ggen": ENOENT');
  });

  it('runs the built ggen CLI of this package', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.ggen(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs another ggen build when GGEN_BIN points at it', async () => {
    await using env = await CleanroomEnv.create();
    const fake = await env.writeFile('fake-ggen.mjs', 'console.log("fake ggen", process.argv.slice(2).join(" "));\n');
    process.env.GGEN_BIN = fake;
    try {
      expect((await env.ggen(['a', 'b'])).stdout).toBe('fake ggen a b\n');
    } finally {
      delete process.env.GGEN_BIN;
    }
    expect((await env.ggen(['--version'])).stdout).not.toContain('fake');
  });

  it('kills a process that runs past its time limit', async () => {
    await using env = await CleanroomEnv.create();
    const r = await env.run('sleep', ['30'], { timeoutMs: 200 });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: 137 });
    expect(r.durationMs).toBeLessThan(10_000);
    expect(env.metrics).toMatchObject({ runs: 1, runs_timed_out: 1 });
  });

  it('starts a background server, waits for its output, and stops the whole tree', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('server.mjs', "import { createServer } from 'node:http';\nconst s = createServer((q, r) => r.end(process.env.HOME));\ns.listen(0, '127.0.0.1', () => console.log('listening on ' + s.address().port));\n");
    const server = await env.start(process.execPath, ['server.mjs']);
    const [, port] = await server.waitForOutput(/listening on (\d+)/);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`${env.root}/home`);
    expect(await server.stop()).toBe(137);
    await expect(server.waitForOutput(/never/)).rejects.toThrow(`exited before printing /never/`);
  });

  it('kills background processes still running when the env is disposed', async () => {
    const env = await CleanroomEnv.create();
    const sleeper = await env.start('sleep', ['60']);
    await env.dispose();
    expect(await sleeper.exited).toBe(137);
    await expect(env.start('true')).rejects.toThrow('already disposed');
  });
});
