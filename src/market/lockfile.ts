// `ggen.lock` (TOML): read with positions in errors, write sorted and byte-stable.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { parseTomlText } from '../util/toml/index.js';
import { writeFileAtomic } from '../util/fs.js';
import { packIdProblem } from './ids.js';

export const LOCKFILE_NAME = 'ggen.lock';
export const LOCKFILE_VERSION = '2';

export interface LockedPack {
  id: string;
  version: string;
  integrity: string;
  /** Registry the pack came from (URL, or "bundled" for the default registry shipped with ggen). */
  source: string;
  /** Tarball location, relative to the registry when possible. */
  resolved?: string;
  /** Range asked for by `market add` (present only for packs added directly). */
  requested?: string;
  /** The pack's own dependencies as "id@range", sorted. */
  dependencies: string[];
  /** Fingerprint of the key whose signature was verified at install, if any. */
  signed_by?: string;
}

export interface GgenLock {
  version: string;
  packs: LockedPack[];
}

export function lockfilePath(projectRoot: string): string {
  return join(projectRoot, LOCKFILE_NAME);
}

type Table = Record<string, unknown>;

const LOCK_HINT = 'restore it from version control, or delete it and run `ggen market add` again';

/** Throws a lockfile error at `path` (a key path such as ["packs", "2", "id"]). */
type Fail = (path: string[], message: string) => never;

function parseEntry(raw: unknown, i: number, fail: Fail): LockedPack {
  const where = `packs[${i}]`;
  const at = (k?: string) => (k === undefined ? ['packs', String(i)] : ['packs', String(i), k]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(at(), `${where} is not a table`);
  const t = raw as Table;
  const str = (k: string, required: boolean): string | undefined => {
    const v = t[k];
    if (v === undefined) return required ? fail(at(), `${where}.${k} is missing`) : undefined;
    if (typeof v !== 'string') fail(at(k), `${where}.${k} must be a string`);
    return v as string;
  };
  const id = str('id', true)!;
  const problem = packIdProblem(id);
  if (problem) fail(at('id'), `${where}.id: ${problem}`);
  // 1.x lockfiles carried a sha256 instead of an SRI integrity.
  const integrity = str('integrity', false) ?? (str('sha256', false) !== undefined ? `sha256-hex:${str('sha256', false)}` : fail(at(), `${where}.integrity is missing`));
  const deps = t.dependencies;
  if (deps !== undefined && (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string'))) fail(at('dependencies'), `${where}.dependencies must be an array of "id@range" strings`);
  const entry: LockedPack = { id, version: str('version', true)!, integrity, source: str('source', false) ?? '', dependencies: [...((deps as string[] | undefined) ?? [])].sort() };
  for (const k of ['resolved', 'requested', 'signed_by'] as const) {
    const v = str(k, false);
    if (v !== undefined) entry[k] = v;
  }
  return entry;
}

/** Parses lockfile text; syntax errors carry line:col, schema errors the entry. */
export function parseGgenLock(text: string, file: string): GgenLock {
  const parsed = parseTomlText(text, file, { code: 'E_LOCKFILE', message: `${LOCKFILE_NAME} is corrupted`, hint: LOCK_HINT });
  const doc = parsed.value;
  const fail: Fail = (path, message) => {
    throw new GgenError('E_LOCKFILE', `${LOCKFILE_NAME}: ${message}`, { at: parsed.at(path), hint: LOCK_HINT });
  };
  const packs = doc.packs ?? [];
  if (!Array.isArray(packs)) fail(['packs'], '"packs" must be an array of tables ([[packs]])');
  const entries = packs.map((p, i) => parseEntry(p, i, fail));
  // ggen 1.x lockfiles did not tell direct from transitive packs: treat every entry as asked for.
  const isV1 = typeof doc.version === 'string' && doc.version.startsWith('1');
  if (isV1) for (const e of entries) e.requested ??= '*';
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.id)) fail(['packs', String(i), 'id'], `pack "${e.id}" is listed twice`);
    seen.add(e.id);
  }
  return { version: typeof doc.version === 'string' ? doc.version : LOCKFILE_VERSION, packs: entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/** Reads `<projectRoot>/ggen.lock`; a missing file is an empty lock. */
export async function readGgenLock(projectRoot: string): Promise<GgenLock> {
  const file = lockfilePath(projectRoot);
  if (!existsSync(file)) return { version: LOCKFILE_VERSION, packs: [] };
  return parseGgenLock(await readFile(file, 'utf8'), file);
}

const q = (s: string) => JSON.stringify(s);

/** Serialises a lock: fixed key order, packs sorted by id, no timestamps, so equal content gives equal bytes. */
export function stringifyGgenLock(lock: GgenLock): string {
  const lines = ['# ggen.lock: written by `ggen market`; do not edit by hand.', `version = ${q(LOCKFILE_VERSION)}`];
  const packs = [...lock.packs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of packs) {
    lines.push('', '[[packs]]', `id = ${q(p.id)}`, `version = ${q(p.version)}`, `integrity = ${q(p.integrity)}`, `source = ${q(p.source)}`);
    if (p.resolved !== undefined) lines.push(`resolved = ${q(p.resolved)}`);
    if (p.requested !== undefined) lines.push(`requested = ${q(p.requested)}`);
    lines.push(`dependencies = [${[...p.dependencies].sort().map(q).join(', ')}]`);
    if (p.signed_by !== undefined) lines.push(`signed_by = ${q(p.signed_by)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeGgenLock(projectRoot: string, lock: GgenLock): Promise<void> {
  await writeFileAtomic(lockfilePath(projectRoot), stringifyGgenLock(lock));
}
