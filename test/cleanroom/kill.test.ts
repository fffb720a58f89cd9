// A kill nothing escapes: processes that call setsid or double-fork leave the process group, but not the
// launcher (a child subreaper) nor a PID namespace. Checked in /proc after the run, on timeout and on dispose.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CleanroomEnv } from './api.js';
import { envProcesses, processGone, sleep } from './helpers/procs.js';

// A setsid'd sleeper, a classic double-fork daemon (fork, setsid, fork again, the middle process exits, so
// the daemon is orphaned in a session of its own), and a setsid'd sleeper that also scrubbed its environment
// (env -i: no CLEANROOM_ID to find it by). Each writes its pid (as seen in its PID namespace).
const ESCAPEES = 'setsid sleep 300 > /dev/null 2>&1 & echo $! > setsid.pid; ' +
  "(setsid sh -c 'sleep 301 > /dev/null 2>&1 < /dev/null & echo $! > daemon.pid.tmp; mv daemon.pid.tmp daemon.pid' &); " +
  'setsid env -i sleep 302 > /dev/null 2>&1 & echo $! > noenv.pid; ' +
  'while [ ! -s daemon.pid ] || [ ! -s setsid.pid ] || [ ! -s noenv.pid ]; do sleep 0.01; done; ';

async function pids(env: CleanroomEnv): Promise<number[]> {
  const out = [];
  for (const f of ['setsid.pid', 'daemon.pid', 'noenv.pid']) {
    for (let i = 0; i < 50 && !(await env.exists(f)); i++) await sleep(20);
    out.push(Number((await env.readFile(f)).trim()));
  }
  expect(out.every((p) => Number.isInteger(p) && p > 1)).toBe(true);
  return out;
}

describe('a kill nothing escapes', () => {
  it('the escape is real: a process-group kill leaves setsid and double-forked processes alive', async () => {
    await using env = await CleanroomEnv.create();
    // Without the cleanroom: the same script in its own process group, then the group killed.
    const child = spawn('sh', ['-c', `${ESCAPEES} sleep 60`], { cwd: env.path, detached: true, stdio: 'ignore', env: { ...process.env, CLEANROOM_ID: env.id } });
    const escaped = await pids(env);
    // The /proc check finds all three, the env -i one by its working directory.
    expect(envProcesses(env.id, env.root)).toEqual(expect.arrayContaining(escaped));
    expect(envProcesses(env.id)).not.toContain(escaped[2]);
    process.kill(-child.pid!, 'SIGKILL');
    await sleep(100);
    try {
      expect(escaped.filter(processGone)).toEqual([]);   // all three survived the group kill
    } finally {
      for (const p of escaped) process.kill(p, 'SIGKILL');
    }
  });

  for (const pidNamespace of [false, true]) {
    const mode = pidNamespace ? 'PID namespace' : 'subreaper';
    it(`${mode}: nothing outlives the run that started it`, async () => {
      await using env = await CleanroomEnv.create({ pidNamespace });
      const r = await env.run('sh', ['-c', `${ESCAPEES} echo started`]);
      expect(r.stdout).toBe('started\n');
      const escaped = await pids(env);
      if (!pidNamespace) expect(escaped.filter((p) => !processGone(p))).toEqual([]);
      expect(envProcesses(env.id, env.root)).toEqual([]);
    });

    it(`${mode}: on timeout, every process of the run dies`, async () => {
      await using env = await CleanroomEnv.create({ pidNamespace });
      const r = await env.run('sh', ['-c', `${ESCAPEES} sleep 60`], { timeoutMs: 800 });
      expect(r.timedOut).toBe(true);
      expect(r.usage).not.toBeNull();   // the launcher still reports usage after a kill
      const escaped = await pids(env);
      if (!pidNamespace) expect(escaped.filter((p) => !processGone(p))).toEqual([]);
      expect(envProcesses(env.id, env.root)).toEqual([]);
    });

    it(`${mode}: on dispose, every process of the env dies (background processes included)`, async () => {
      const env = await CleanroomEnv.create({ pidNamespace });
      const bg = await env.start('sh', ['-c', `${ESCAPEES} echo up; sleep 60`]);
      await bg.waitForOutput(/up/);
      const escaped = await pids(env);
      const before = envProcesses(env.id, env.root);
      expect(before.length).toBeGreaterThanOrEqual(6);   // launcher, sh, sleep 60, the three escapees (and PID 1)
      if (!pidNamespace) for (const p of escaped) expect(before).toContain(p);
      await env.dispose();
      expect(envProcesses(env.id, env.root)).toEqual([]);
      expect(before.filter((p) => !processGone(p))).toEqual([]);
    });
  }

  for (const pidNamespace of [false, true]) {
    const mode = pidNamespace ? 'PID namespace' : 'subreaper';
    it(`${mode}: dispose while a run is still going kills the run and what it let loose`, async () => {
      const env = await CleanroomEnv.create({ pidNamespace });
      const running = env.run('sh', ['-c', `${ESCAPEES} sleep 60`]);
      const escaped = await pids(env);
      expect(envProcesses(env.id, env.root).length).toBeGreaterThanOrEqual(5);
      await env.dispose();
      const r = await running;
      expect(r).toMatchObject({ signal: 'SIGKILL', exitCode: 137, timedOut: false });
      expect(envProcesses(env.id, env.root)).toEqual([]);
      if (!pidNamespace) expect(escaped.filter((p) => !processGone(p))).toEqual([]);
    });
  }

  it('runTest timeout kills escapees too', async () => {
    await using env = await CleanroomEnv.create({ timeoutMs: 1000 });
    const result = await env.runTest(async (e) => { await e.run('sh', ['-c', `${ESCAPEES} sleep 60`]); });
    expect(result.status).toBe('timeout');
    await sleep(200);
    expect(envProcesses(env.id, env.root)).toEqual([]);
  });
});
