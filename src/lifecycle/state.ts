// `.ggen/state.json`: the 1.x format (last_phase, phase_history, generated, cache_keys) plus our fields per run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { writeFileAtomicSync } from '../util/fs.js';

export interface RunRecord {
  phase: string;
  started_ms: number;
  duration_ms: number;
  success: boolean;
  /** Ours: the exit code of the failing command (0 on success, null when killed or not started). */
  exit_code?: number | null;
  /** Ours: the workspace name, or null at the project root. */
  workspace?: string | null;
  cache_key?: string;
  /** Ours: true when the phase was skipped because its cache key matched. */
  cached?: boolean;
  env?: string;
  /** Ours: the command that failed, and why. */
  command?: string;
  error?: string;
  /** Ours: a `run: …` hook command rather than a phase. */
  hook?: boolean;
}

export interface LifecycleState {
  last_phase: string | null;
  phase_history: RunRecord[];
  generated: Array<{ path: string; hash: string }>;
  cache_keys: Array<{ phase: string; key: string }>;
}

/** Longest history kept; 1.x grew the file without bound. */
export const MAX_HISTORY = 1000;

export function statePath(root: string): string {
  return join(root, '.ggen', 'state.json');
}

export function emptyState(): LifecycleState {
  return { last_phase: null, phase_history: [], generated: [], cache_keys: [] };
}

export function loadState(root: string): LifecycleState {
  const file = statePath(root);
  if (!existsSync(file)) return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new GgenError('E_LIFECYCLE', `cannot parse lifecycle state: ${(err as Error).message}`, { at: { file }, hint: 'the file is corrupt; delete it to start a fresh history (cached phases will rerun)', cause: err });
  }
  const s = parsed as Partial<LifecycleState>;
  if (typeof s !== 'object' || s === null || !Array.isArray(s.phase_history ?? [])) {
    throw new GgenError('E_LIFECYCLE', 'lifecycle state is not a state object', { at: { file }, hint: 'delete it to start a fresh history' });
  }
  return { last_phase: s.last_phase ?? null, phase_history: s.phase_history ?? [], generated: s.generated ?? [], cache_keys: s.cache_keys ?? [] };
}

/** Successful records are written at most this often; failures and the end of a run write at once. */
const SAVE_INTERVAL_MS = 1000;

/** Holds one state file in memory for an invocation and writes it atomically (see SAVE_INTERVAL_MS). */
export class StateStore {
  readonly state: LifecycleState;
  private dirty = false;
  private lastSave = 0;

  constructor(readonly root: string) {
    this.state = loadState(root);
  }

  /** The key of the last successful run of `phase`, if any. */
  lastSuccessKey(phase: string): string | undefined {
    return this.state.cache_keys.find((c) => c.phase === phase)?.key;
  }

  /** Appends a run and saves; hook commands (`{ hook: true }`) leave last_phase and cache keys alone. */
  record(run: RunRecord, opts: { hook?: boolean } = {}): void {
    const s = this.state;
    s.phase_history.push(opts.hook ? { ...run, hook: true } : run);
    if (s.phase_history.length > MAX_HISTORY) s.phase_history.splice(0, s.phase_history.length - MAX_HISTORY);
    if (opts.hook) {
      this.saveSoon(run.success);
      return;
    }
    if (run.success) {
      s.last_phase = run.phase;
      if (run.cache_key !== undefined && !run.cached) {
        const entry = s.cache_keys.find((c) => c.phase === run.phase);
        if (entry) entry.key = run.cache_key;
        else s.cache_keys.push({ phase: run.phase, key: run.cache_key });
      }
    } else {
      // A failed run invalidates the phase's cache: its outputs may be half-written.
      s.cache_keys = s.cache_keys.filter((c) => c.phase !== run.phase);
    }
    this.saveSoon(run.success);
  }

  private saveSoon(success: boolean): void {
    this.dirty = true;
    if (!success || Date.now() - this.lastSave >= SAVE_INTERVAL_MS) this.save();
  }

  /** Writes pending records; every run path calls this when it ends. */
  flush(): void {
    if (this.dirty) this.save();
  }

  save(): void {
    writeFileAtomicSync(statePath(this.root), JSON.stringify(this.state, null, 2));
    this.dirty = false;
    this.lastSave = Date.now();
  }
}
