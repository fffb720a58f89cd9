// The output root's lock (`.ggen/lock`): one writer at a time per root.
import { join } from 'node:path';
import { acquireFileLock, type HeldLock, type LockHolder } from '../util/file-lock.js';
import { assertStateDirSafe, stateDir } from './state-dir.js';

export interface LockOptions {
  /** false: fail at once when another run holds the root (`--no-wait`); default: wait. */
  wait?: boolean;
  /** Called once when another run holds the lock and this one starts waiting. */
  onWait?: (holder: LockHolder | undefined, root: string) => void;
  /** What this run is doing, shown to runs that wait for it. */
  purpose?: string;
  /** Give up waiting after this long (ms). */
  timeoutMs?: number;
}

/**
 * Serialises every run that writes one output root (`gen`, `project gen`, `project apply`, watch) with
 * `.ggen/lock`; a lock left by a killed process is taken over. Releasing leaves no `.ggen/` behind when
 * nothing else lives there.
 */
export async function lockOutputRoot(root: string, opts: LockOptions = {}): Promise<HeldLock> {
  assertStateDirSafe(root);
  return acquireFileLock(join(stateDir(root), 'lock'), {
    wait: opts.wait, timeoutMs: opts.timeoutMs, purpose: opts.purpose ?? 'ggen generation',
    busyMessage: `the output root ${root} is being written`,
    onWait: (holder) => opts.onWait?.(holder, root),
  });
}
