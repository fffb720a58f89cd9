// The per-user state key: what makes journals, the inputs record and cached query results trustworthy (a
// template, a pack or a commit cannot know it, so it cannot forge them).
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { GgenError } from '../errors.js';

/**
 * The per-user key journals are signed with: `$XDG_STATE_HOME/ggen/journal.key` (or `~/.local/state/ggen`),
 * created with mode 0600 on first use. A template cannot know it, so it cannot forge a journal.
 */
const keys = new Map<string, Buffer>();

export function journalKey(env: NodeJS.ProcessEnv): Buffer {
  // Read once per process and state directory: every run signs and checks several records.
  const id = `${env.XDG_STATE_HOME ?? ''}\u0000${env.HOME ?? ''}`;
  let key = keys.get(id);
  if (key === undefined) keys.set(id, (key = readJournalKey(env)));
  return key;
}

function readJournalKey(env: NodeJS.ProcessEnv): Buffer {
  const candidates = [
    env.XDG_STATE_HOME ? join(env.XDG_STATE_HOME, 'ggen') : undefined,
    env.HOME ? join(env.HOME, '.local', 'state', 'ggen') : undefined,
    (() => { try { return join(homedir(), '.local', 'state', 'ggen'); } catch { return undefined; } })(),
    join(tmpdir(), `ggen-${(() => { try { return userInfo().uid; } catch { return 'user'; } })()}`),
  ].filter((d): d is string => d !== undefined);
  let lastError: unknown;
  for (const dir of candidates) {
    try {
      return readOrCreateKey(dir);
    } catch (err) {
      lastError = err;
    }
  }
  throw new GgenError('E_IO', `cannot create ggen's journal key: ${(lastError as Error).message}`, { hint: 'make $XDG_STATE_HOME or ~/.local/state writable' });
}

function readOrCreateKey(dir: string): Buffer {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'journal.key');
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('hex'));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const info = lstatSync(file);
  if (!info.isFile()) throw new Error(`${file} is not a regular file`);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) throw new Error(`${file} belongs to another user`);
  if ((info.mode & 0o077) !== 0) chmodSync(file, 0o600);
  const hex = readFileSync(file, 'utf8').trim();
  // Another process may be between creating and writing the key: wait for the 64 hex digits.
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      const again = readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f]{64}$/.test(again)) return Buffer.from(again, 'hex');
    }
    throw new Error(`${file} does not hold a key`);
  }
  return Buffer.from(hex, 'hex');
}

/** An HMAC of `text` under the per-user key: state only this user's ggen can have written (journals, the inputs record). */
export function stateMac(text: string, env: NodeJS.ProcessEnv): string {
  return createHmac('sha256', journalKey(env)).update(text).digest('hex');
}

