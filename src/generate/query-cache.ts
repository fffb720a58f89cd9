// `.ggen/cache/queries/<key>.json`: SELECT and ASK results keyed by (the graph's inputs, the query text), so a run
// where only templates changed renders them without parsing the graph. Bounded in size; deleting it is always safe.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomicSync } from '../util/fs.js';
import { join } from 'node:path';
import type { ResultTerm } from './rows.js';
import { stateMac } from './state-key.js';
import { stateDir } from './state-dir.js';
import { sha256Hex } from '../util/hash.js';
import { ggenVersion } from '../util/version.js';

/** What a query returned, as plain JSON: SELECT rows with W3C JSON terms, or an ASK answer. */
export type CachedResult = { kind: 'select'; variables: string[]; rows: Array<Record<string, ResultTerm>> } | { kind: 'ask'; value: boolean };

/** Total size kept; the least recently used entries go first. */
export const QUERY_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export function queryCacheDir(root: string): string {
  return join(stateDir(root), 'cache', 'queries');
}

/**
 * Creates `.ggen/cache/` (machine-local: signed with this user's key) with a `.gitignore` of its own, so it is
 * never committed even where the project's ignore rules do not mention it.
 */
export function ensureCacheDir(root: string): string {
  const dir = join(stateDir(root), 'cache');
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileAtomicSync(ignore, '# machine-local ggen state (safe to delete)\n*\n');
  return dir;
}

export class QueryCache {
  private readonly dir: string;
  private readonly memory = new Map<string, CachedResult>();
  private readonly pending = new Map<string, CachedResult>();

  /**
   * `writable: false` (dry runs: plan, diff, verify) reads the cache but never writes it. Entries are signed with
   * the per-user state key (`env` locates it): a planted or copied entry cannot feed rows into a render.
   */
  constructor(private readonly root: string, private readonly opts: { writable: boolean; maxBytes?: number; env?: NodeJS.ProcessEnv }) {
    this.dir = queryCacheDir(root);
  }

  private macOf(key: string, json: string): string {
    return stateMac(`ggen-query-cache/1\u0000${key}\u0000${json}`, this.opts.env ?? process.env);
  }

  static key(graphKey: string, query: string): string {
    return sha256Hex(JSON.stringify(['ggen-query/1', ggenVersion(), graphKey, query]));
  }

  get(key: string): CachedResult | undefined {
    const hit = this.memory.get(key);
    if (hit !== undefined) return hit;
    let value: CachedResult;
    try {
      const text = readFileSync(join(this.dir, `${key}.json`), 'utf8');
      const cut = text.indexOf('\n');
      const json = text.slice(cut + 1);
      if (cut !== 64 || text.slice(0, cut) !== this.macOf(key, json)) return undefined;
      value = JSON.parse(json) as CachedResult;
    } catch {
      return undefined; // missing, damaged or not signed by this user: the query runs again
    }
    if (!isCachedResult(value)) return undefined;
    this.memory.set(key, value);
    return value;
  }

  /** Kept in memory until flush(): a run that fails writes nothing, not even cache entries. */
  put(key: string, value: CachedResult): void {
    this.memory.set(key, value);
    this.pending.set(key, value);
  }

  /** Writes the new entries (runs that write, after a successful apply) and keeps the cache under its bound. */
  flush(): void {
    if (!this.opts.writable || this.pending.size === 0) return;
    try {
      ensureCacheDir(this.root);
      mkdirSync(this.dir, { recursive: true });
      for (const [key, value] of this.pending) {
        const json = JSON.stringify(value);
        writeFileAtomicSync(join(this.dir, `${key}.json`), `${this.macOf(key, json)}\n${json}`);
      }
    } catch {
      // A cache that cannot be written (full disk, read-only) only costs speed.
    }
    this.pending.clear();
    this.trim();
  }

  /** Drops the entries read or written longest ago until the cache fits its bound. */
  private trim(): void {
    let entries: Array<{ file: string; size: number; time: number }>;
    try {
      entries = readdirSync(this.dir).map((name) => {
        const file = join(this.dir, name);
        const info = statSync(file);
        return { file, size: info.size, time: Math.max(info.mtimeMs, info.atimeMs) };
      });
    } catch {
      return;
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    const max = this.opts.maxBytes ?? QUERY_CACHE_MAX_BYTES;
    for (const e of entries.sort((a, b) => a.time - b.time)) {
      if (total <= max) break;
      rmSync(e.file, { force: true });
      total -= e.size;
    }
  }
}

function isCachedResult(v: unknown): v is CachedResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (r.kind === 'ask') return typeof r.value === 'boolean';
  return r.kind === 'select' && Array.isArray(r.variables) && Array.isArray(r.rows);
}
