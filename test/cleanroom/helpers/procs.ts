// /proc helpers for the cleanroom's kill and isolation tests.
import { readdirSync, readFileSync } from 'node:fs';

/** True when no live process has this pid (a zombie waiting to be reaped counts as dead). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Every live process whose environment carries CLEANROOM_ID=id: every process an env ever started does. */
export function envProcesses(id: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(`CLEANROOM_ID=${id}`) && !processGone(Number(name))) out.push(Number(name));
  }
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
