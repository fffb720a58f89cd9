// pids cgroups: the per-run process limit where RLIMIT_NPROC cannot do it (root ignores RLIMIT_NPROC),
// with the kernel's own count of refused forks (pids.events). cgroup v1 `pids` or v2 with `pids` delegated.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let baseCache: { dir: string | null; why: string } | undefined;

function mountPoint(fsType: string, option?: string): string | undefined {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const fields = post.split(' ');
    if (fields[0] !== fsType) continue;
    if (option && !(fields[2] ?? '').split(',').includes(option)) continue;
    return pre.split(' ')[4];
  }
  return undefined;
}

function probe(dir: string): boolean {
  const test = join(dir, `ggen-cleanroom-probe-${process.pid}`);
  try {
    mkdirSync(test);
    const ok = readFileSync(join(test, 'pids.max'), 'utf8').length > 0;
    rmdirSync(test);
    return ok;
  } catch {
    try { rmdirSync(test); } catch { /* never made */ }
    return false;
  }
}

/** The writable pids cgroup directory this process may create children in, or null and why not. */
export function pidsCgroupBase(): { dir: string | null; why: string } {
  if (baseCache) return baseCache;
  const tried: string[] = [];
  try {
    const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    const v1 = own.find((l) => l.split(':')[1]?.split(',').includes('pids'));
    const v1mount = v1 ? mountPoint('cgroup', 'pids') : undefined;
    if (v1 && v1mount) {
      const dir = join(v1mount, v1.split(':').slice(2).join(':'));
      if (probe(dir)) return (baseCache = { dir, why: 'cgroup v1 pids' });
      tried.push(`${dir} (v1) is not writable`);
    }
    const v2 = own.find((l) => l.startsWith('0::'));
    const v2mount = mountPoint('cgroup2');
    if (v2 && v2mount) {
      const dir = join(v2mount, v2.slice(3));
      const controllers = readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8');
      if (!controllers.split(/\s+/).includes('pids')) tried.push(`${dir} (v2) does not delegate the pids controller`);
      else if (probe(dir)) return (baseCache = { dir, why: 'cgroup v2 pids' });
      else tried.push(`${dir} (v2) is not writable`);
    }
  } catch (err) {
    tried.push((err as Error).message);
  }
  return (baseCache = { dir: null, why: tried.join('; ') || 'no pids cgroup is mounted' });
}

export interface PidsCgroup {
  readonly dir: string;
  /** The file a process writes "0" into to join. */
  readonly procs: string;
  /** Forks refused by pids.max so far (pids.events "max"). */
  refused(): number;
  /** Removes the cgroup (its processes are gone by then; retried briefly while they finish exiting). */
  remove(): Promise<void>;
}

export function createPidsCgroup(base: string, name: string, max: number): PidsCgroup {
  const dir = join(base, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'pids.max'), String(max));
  return {
    dir,
    procs: join(dir, 'cgroup.procs'),
    refused() {
      try {
        return Number(/max (\d+)/.exec(readFileSync(join(dir, 'pids.events'), 'utf8'))?.[1] ?? 0);
      } catch {
        return 0;
      }
    },
    async remove() {
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    },
  };
}
