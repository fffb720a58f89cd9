// An inter-process lock: an O_EXCL lock file naming its holder, with dead-holder takeover and optional waiting.
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { GgenError } from '../errors.js';
import { fsError } from './fs-errors.js';
import { processStartTime, processAlive } from './process-info.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** The holder's start time (from /proc), so a reused pid is not mistaken for the holder. */
  started?: string;
  /** What the holder is doing, for the "waiting for …" message. */
  purpose?: string;
}

export interface FileLockOptions {
  /** false: fail at once when another live process holds the lock (default: wait). */
  wait?: boolean;
  /** Give up waiting after this long (ms; default 10 minutes). */
  timeoutMs?: number;
  /** A lock whose holder cannot be checked (another host, unreadable) is stale after this long (ms). */
  staleMs?: number;
  /** Shown to other processes waiting for this lock. */
  purpose?: string;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Error code and message when not waiting (or timing out); the holder is described after it. */
  busyMessage?: string;
}

export interface HeldLock {
  file: string;
  release(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(value.pid) && value.pid > 0 && typeof value.host === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True when the lock file's holder is certainly gone (dead pid on this host, or a reused pid). */
function holderGone(file: string, staleMs: number): boolean {
  const holder = readHolder(file);
  let age: number;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return false; // released meanwhile: the next attempt takes it normally
  }
  // Half-written or foreign content: stale only once old enough for a writer to have finished.
  if (holder === undefined) return age > Math.min(staleMs, 5_000);
  if (holder.host !== hostname()) return age > staleMs;
  if (!processAlive(holder.pid)) return true;
  const started = processStartTime(holder.pid);
  return holder.started !== undefined && started !== undefined && started !== holder.started;
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock without racing another process doing the same: the takeover itself is guarded by
 * a short-lived second lock, and the stale lock is re-checked (same inode) under it.
 */
function takeOverStale(file: string, staleMs: number, me: LockHolder): void {
  const guard = `${file}.takeover`;
  if (existsSync(guard) && Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000) {
    try { unlinkSync(guard); } catch { /* gone */ }
  }
  if (!tryCreate(guard, me)) return;
  try {
    const before = lstatSync(file, { throwIfNoEntry: false });
    if (before !== undefined && holderGone(file, staleMs) && lstatSync(file, { throwIfNoEntry: false })?.ino === before.ino) unlinkSync(file);
  } catch {
    // someone released it meanwhile
  } finally {
    try { unlinkSync(guard); } catch { /* gone */ }
  }
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another ggen process';
  return `ggen process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}${holder.purpose ? ` (${holder.purpose})` : ''}`;
}

/** mkdir -p that returns the directories it created, outermost first. */
function mkdirsTracked(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  const made: string[] = [];
  for (const d of missing) {
    try {
      mkdirSync(d);
      made.push(d);
    } catch (err) {
      // Another process made it meanwhile: it is not ours to remove later.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return made;
}

/**
 * Takes the lock at `file`. While another live process holds it, waits (calling `onWait` once) or, with
 * `wait: false`, fails at once naming the holder. A lock left by a dead process is taken over.
 * Releasing removes the lock file and any directory created for it that is empty again, so a failed
 * run leaves no trace.
 */
export async function acquireFileLock(file: string, opts: FileLockOptions = {}): Promise<HeldLock> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const staleMs = opts.staleMs ?? 600_000;
  let created: string[];
  try {
    created = mkdirsTracked(dirname(file));
  } catch (err) {
    throw fsError(err, 'create', dirname(file));
  }
  const me: LockHolder = { pid: process.pid, host: hostname(), started: processStartTime(process.pid), purpose: opts.purpose };
  const cleanupDirs = () => {
    for (const d of [...created].reverse()) {
      try { rmdirSync(d); } catch { break; } // not empty (other state lives there): keep it and its parents
    }
  };
  const start = Date.now();
  let delay = 10;
  let announced = false;
  for (;;) {
    let took: boolean;
    try {
      took = tryCreate(file, me);
    } catch (err) {
      // The holder released and removed the now-empty directory between our mkdir and open: make it again.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        try {
          created.push(...mkdirsTracked(dirname(file)));
          continue;
        } catch { /* reported below */ }
      }
      cleanupDirs();
      throw fsError(err, 'create lock file', file);
    }
    if (took) break;
    if (holderGone(file, staleMs)) {
      takeOverStale(file, staleMs, me);
      continue;
    }
    const holder = readHolder(file);
    const busy = `${opts.busyMessage ?? 'locked'} by ${describeHolder(holder)}`;
    if (opts.wait === false) {
      cleanupDirs();
      throw new GgenError('E_LOCKED', busy, { at: { file }, hint: 'wait for it to finish (run without --no-wait to wait), or stop it' });
    }
    if (Date.now() - start > timeoutMs) {
      cleanupDirs();
      throw new GgenError('E_TIMEOUT', `timed out after ${Math.round(timeoutMs / 1000)} s waiting: ${busy}`, { at: { file }, hint: 'if no other ggen is running, delete the lock file' });
    }
    if (!announced) {
      announced = true;
      opts.onWait?.(holder);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  let released = false;
  return {
    file,
    release: () => {
      if (released) return;
      released = true;
      try { unlinkSync(file); } catch { /* already gone */ }
      cleanupDirs();
    },
  };
}

/** Runs `fn` while holding `lockFile` (waiting while another live process holds it). */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(lockFile, opts);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
