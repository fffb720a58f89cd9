// Rollback journals: what an apply is about to rename, signed so that recovery acts only on journals ggen wrote.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { posix, resolve } from 'node:path';
import { z } from 'zod';
import { GgenError } from '../errors.js';
import { targetProblem } from './paths.js';
import { RECEIPT_PATH, describeSchemaIssue } from './receipt.js';
import { journalKey } from './state-key.js';

export interface JournalEntry {
  /** Target, relative to the output root (POSIX). */
  path: string;
  /**
   * Name of the staged new content in the staging directory (`fN`; or `t/<path>` for a file inside a directory
   * the apply creates, staged as a tree and moved whole), or null for a deletion.
   */
  staged: string | null;
  /** Name the previous file is moved to in the staging directory, or null when the target did not exist. */
  backup: string | null;
}

export interface Journal {
  ggenJournal: 1;
  /** The output root the journal belongs to (absolute). */
  root: string;
  entries: JournalEntry[];
  /** Directories the apply created (relative to the root), parents first. */
  dirs: string[];
}

const STAGED_NAME = /^(?:f\d+|t\/.+)$/;
/** Where a file inside a new directory tree is staged: its own path under `t/`, nothing else. */
export const treeStagedName = (path: string): string => `t/${path}`;
const BACKUP_NAME = /^b\d+$/;

/** A journal path must be a plain output path (or ggen's receipt), exactly as planning would accept it. */
const journalPath = z.string().superRefine((path, ctx) => {
  if (path === RECEIPT_PATH) return;
  const problem = targetProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `path ${problem}` });
  else if (posix.normalize(path) !== path || path.includes('\\')) ctx.addIssue({ code: 'custom', message: `path is not normalised: ${path}` });
});

const journalSchema = z.object({
  ggenJournal: z.literal(1),
  root: z.string(),
  entries: z.array(z.object({
    path: journalPath,
    staged: z.string().regex(STAGED_NAME, 'not a staging name').nullable(),
    backup: z.string().regex(BACKUP_NAME, 'not a backup name').nullable(),
  }).refine((e) => e.staged === null || !e.staged.startsWith('t/') || e.staged === treeStagedName(e.path), 'a tree staging name must be t/ and the entry\'s own path')),
  dirs: z.array(journalPath),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

function macOf(key: Buffer, journal: Journal): string {
  const { ggenJournal, root, entries, dirs } = journal;
  return createHmac('sha256', key).update(JSON.stringify({ ggenJournal, root, entries, dirs })).digest('hex');
}

/** The journal as written to disk, signed. */
export function serializeJournal(journal: Journal, env: NodeJS.ProcessEnv): string {
  return JSON.stringify({ ...journal, mac: macOf(journalKey(env), journal) });
}

/**
 * Reads and checks a journal for recovery of `root`: schema, signature, root, and names. A journal that
 * fails is refused (and left where it is) with the reason.
 */
export function parseJournal(text: string, file: string, root: string, env: NodeJS.ProcessEnv): Journal {
  const refuse = (why: string): never => {
    throw new GgenError('E_JOURNAL', `refusing to recover from ${file}: ${why}`, {
      hint: 'ggen did not write this journal (or it was edited); nothing was changed. Inspect the staging directory and delete it to continue',
    });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('it is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || (value as { ggenJournal?: unknown }).ggenJournal !== 1) return refuse('it is not in the format ggen writes');
  const parsed = journalSchema.safeParse(value);
  if (!parsed.success) return refuse(describeSchemaIssue(parsed.error));
  const { mac, ...journal } = parsed.data;
  const expected = Buffer.from(macOf(journalKey(env), journal), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return refuse('its signature does not match (written by someone else, or edited)');
  if (resolve(journal.root) !== resolve(root)) return refuse(`it belongs to another output root (${journal.root})`);
  return journal;
}
