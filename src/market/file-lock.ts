// An inter-process lock: an O_EXCL lock file holding the owner's pid, with stale-lock detection.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GgenError } from '../errors.js';

export interface FileLockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this whose owner cannot be checked is considered stale (ms). */
  staleMs?: number;
}

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lockFile: string, staleMs: number): boolean {
  try {
    const text = readFileSync(lockFile, 'utf8');
    const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
    // The owner died without cleaning up: the lock is stale at once.
    if (Number.isInteger(pid) && pid > 0 && !ownerAlive(pid)) return true;
    // Unreadable or half-written content: stale only once old enough.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(lockFile).mtimeMs > Math.min(staleMs, 5_000);
    return Date.now() - statSync(lockFile).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` while holding `lockFile`; waits (polling) while another live process holds it. */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const staleMs = opts.staleMs ?? 600_000;
  await mkdir(dirname(lockFile), { recursive: true });
  const start = Date.now();
  let delay = 10;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new GgenError('E_IO', `cannot create lock file: ${(err as Error).message}`, { at: { file: lockFile }, cause: err });
      if (isStale(lockFile, staleMs)) {
        try { unlinkSync(lockFile); } catch { /* someone else removed it */ }
        continue;
      }
      if (Date.now() - start > timeoutMs) {
        throw new GgenError('E_TIMEOUT', 'timed out waiting for a lock held by another ggen process', { at: { file: lockFile }, hint: 'if no other ggen is running, delete the lock file' });
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 200);
    }
  }
  try {
    return await fn();
  } finally {
    try { unlinkSync(lockFile); } catch { /* already gone */ }
  }
}
