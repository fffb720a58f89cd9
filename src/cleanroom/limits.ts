// Resource limits of cleanroom processes and the usage the kernel accounted for them.
import { constants } from 'node:os';
import { GgenError } from '../errors.js';
import { RLIMIT } from './launcher.js';

/** Limits for each process a run starts (per env in CleanroomConfig.limits, per run in RunOptions.limits). */
export interface ResourceLimits {
  /** Data segment (heap and private writable mappings) of each process, MiB: RLIMIT_DATA. */
  memoryMb?: number;
  /** CPU time of each process, seconds: RLIMIT_CPU (SIGXCPU, then SIGKILL a second later). */
  cpuSeconds?: number;
  /** Processes alive at once in the run: a pids cgroup (root), or RLIMIT_NPROC in a user namespace. */
  processes?: number;
  /** Largest file a process may write, MiB: RLIMIT_FSIZE (SIGXFSZ). */
  fileSizeMb?: number;
  /** Open file descriptors per process: RLIMIT_NOFILE. */
  openFiles?: number;
  /** Wall-clock time of the run, ms: the run and everything it started is killed after it. */
  wallMs?: number;
}

export type LimitName = 'memory' | 'cpu' | 'processes' | 'fileSize' | 'openFiles' | 'wall';

/** What the kernel accounted for a finished run: getrusage(RUSAGE_CHILDREN) after every process of the run was reaped. */
export interface ProcessUsage {
  /** From fork to the command's exit (CLOCK_MONOTONIC, in the launcher). */
  wallMs: number;
  /** CPU time in user and kernel mode of the command and all its descendants. */
  userMs: number;
  sysMs: number;
  /** Peak resident set size of the largest single process of the run (ru_maxrss), KiB. */
  peakRssKb: number;
}

const LIMIT_KEYS = ['memoryMb', 'cpuSeconds', 'processes', 'fileSizeMb', 'openFiles', 'wallMs'] as const;

/** Checks a limits object (config or run option): known keys, positive integers. */
export function checkLimits(limits: ResourceLimits | undefined, where: string): ResourceLimits {
  if (limits === undefined) return {};
  const out: ResourceLimits = {};
  for (const [key, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) throw new GgenError('E_CONFIG', `${where}: unknown limit "${key}"`, { hint: `limits are ${LIMIT_KEYS.join(', ')}` });
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new GgenError('E_CONFIG', `${where}: limit ${key} must be a positive integer, got ${String(value)}`);
    out[key as keyof ResourceLimits] = value;
  }
  return out;
}

/** rlimits for the launcher: [resource, soft, hard]. */
export function rlimitsFor(limits: ResourceLimits, opts: { nproc: boolean }): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  const mb = 1024 * 1024;
  if (limits.memoryMb !== undefined) out.push([RLIMIT.data, limits.memoryMb * mb, limits.memoryMb * mb]);
  if (limits.cpuSeconds !== undefined) out.push([RLIMIT.cpu, limits.cpuSeconds, limits.cpuSeconds + 1]);
  if (limits.fileSizeMb !== undefined) out.push([RLIMIT.fsize, limits.fileSizeMb * mb, limits.fileSizeMb * mb]);
  if (limits.openFiles !== undefined) out.push([RLIMIT.nofile, limits.openFiles, limits.openFiles]);
  if (opts.nproc && limits.processes !== undefined) out.push([RLIMIT.nproc, limits.processes, limits.processes]);
  return out;
}

export interface LimitEvidence {
  limits: ResourceLimits;
  exitCode: number;
  signal: NodeJS.Signals | null;
  stderr: string;
  usage: ProcessUsage | null;
  /** The wall limit's timer fired. */
  wallHit: boolean;
  /** Fork attempts refused by the pids cgroup (pids.events "max"), when one was used. */
  pidsRefused?: number;
}

/**
 * Which limit stopped the run, from the kernel's own signals and counters where there are any
 * (SIGXCPU, SIGXFSZ, pids.events, the wall timer) and otherwise from the failure the limit causes:
 * an rlimit makes allocation, fork or open fail, and the program reports that on stderr.
 */
export function limitHit(e: LimitEvidence): { limit: LimitName; reason: string } | null {
  const { limits } = e;
  if (e.wallHit) return { limit: 'wall', reason: `ran past wallMs ${limits.wallMs}` };
  const cpuMs = e.usage ? e.usage.userMs + e.usage.sysMs : 0;
  // A shell reports a child killed by a signal as 128 + the signal: SIGXCPU 24 → 152, SIGXFSZ 25 → 153.
  const xcpu = e.signal === 'SIGXCPU' || (e.signal === null && e.exitCode === 128 + (constants.signals.SIGXCPU ?? 24));
  const xfsz = e.signal === 'SIGXFSZ' || (e.signal === null && e.exitCode === 128 + (constants.signals.SIGXFSZ ?? 25));
  if (limits.cpuSeconds !== undefined && (xcpu || (e.signal === 'SIGKILL' && cpuMs >= limits.cpuSeconds * 1000 * 0.95))) {
    return { limit: 'cpu', reason: `${e.signal ?? `exit ${e.exitCode}`} after ${Math.round(cpuMs)} ms of CPU (cpuSeconds ${limits.cpuSeconds})` };
  }
  if (limits.fileSizeMb !== undefined && (xfsz || (e.exitCode !== 0 && /File too large|EFBIG/.test(e.stderr)))) {
    return { limit: 'fileSize', reason: xfsz ? (e.signal ?? `exit ${e.exitCode} (SIGXFSZ)`) : 'a write failed with EFBIG' };
  }
  // The pids cgroup counts refused forks itself: that is evidence even when the program shrugged them off.
  if (limits.processes !== undefined && e.pidsRefused !== undefined && e.pidsRefused > 0) return { limit: 'processes', reason: `the pids cgroup refused ${e.pidsRefused} fork(s)` };
  // RLIMIT_NPROC has no counter; a shell that could not fork says so, and may still exit 0 (a fork bomb's parent does).
  if (limits.processes !== undefined && e.pidsRefused === undefined && /[Cc]annot fork|fork: retry|fork: Resource temporarily unavailable/.test(e.stderr)) {
    return { limit: 'processes', reason: 'fork failed with EAGAIN (RLIMIT_NPROC)' };
  }
  if (e.exitCode === 0) return null;
  if (limits.processes !== undefined && e.pidsRefused === undefined && /Resource temporarily unavailable|EAGAIN|fork: retry|[Cc]annot fork/.test(e.stderr)) {
    return { limit: 'processes', reason: 'fork failed with EAGAIN (RLIMIT_NPROC)' };
  }
  if (limits.memoryMb !== undefined) {
    const nearLimit = e.usage !== null && e.usage.peakRssKb >= limits.memoryMb * 1024 * 0.9;
    if (nearLimit || /out of memory|MemoryError|Cannot allocate memory|ENOMEM|bad_alloc|allocation fail|memory allocation/i.test(e.stderr)) {
      return { limit: 'memory', reason: nearLimit ? `peak RSS ${e.usage!.peakRssKb} KiB reached the limit` : 'an allocation failed (ENOMEM)' };
    }
  }
  if (limits.openFiles !== undefined && /Too many open files|EMFILE/.test(e.stderr)) return { limit: 'openFiles', reason: 'open failed with EMFILE' };
  return null;
}
