// /proc helpers for the cleanroom's kill and isolation tests.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** True when no live process has this pid (a zombie waiting to be reaped counts as dead). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Every live process of an env: its environment carries CLEANROOM_ID=id (every process an env starts does),
 * or, when `root` is given, its working directory is inside the env root (which also finds a process that
 * scrubbed its environment with `env -i`).
 */
export function envProcesses(id: string, root?: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let environ = '';
    let cwd = '';
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      // gone, or not ours to read
    }
    if (root !== undefined) {
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // gone, or a kernel thread
      }
    }
    const mine = environ.split('\0').includes(`CLEANROOM_ID=${id}`) || (root !== undefined && (cwd === root || cwd.startsWith(`${root}/`)));
    if (mine && !processGone(Number(name))) out.push(Number(name));
  }
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
