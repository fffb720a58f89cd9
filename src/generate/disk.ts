// The disk state the decide step needs, read once: each target's text, absence, or "not a file".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceLocation } from '../errors.js';
import { fsError } from '../util/fs-errors.js';
import type { DiskEntry } from './decide.js';
import { createRootGuard } from './paths.js';

/**
 * Reads every path (root-relative, POSIX) under `root`. Each path is checked against symlinks that lead
 * outside the root or into `.ggen/` before it is read; `at` names who asked for it in errors.
 */
const ABSENT: DiskEntry = Object.freeze({ kind: 'absent' });

export function readDiskState(root: string, paths: Iterable<string>, at: (path: string) => SourceLocation): Map<string, DiskEntry> {
  const guard = createRootGuard(root);
  const state = new Map<string, DiskEntry>();
  for (const path of paths) {
    if (state.has(path)) continue;
    const info = guard(path, at(path));
    const abs = join(root, ...path.split('/'));
    let entry: DiskEntry;
    try {
      if (info === undefined) entry = ABSENT;
      else if (!info.isFile() && !info.isSymbolicLink()) entry = { kind: 'not-file' };
      else entry = { kind: 'file', text: readFileSync(abs, 'utf8') };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') entry = ABSENT; // a dangling symlink inside the root
      else if (code === 'EISDIR') entry = { kind: 'not-file' };
      else throw fsError(err, code === 'ENOTDIR' ? 'write' : 'read', abs, { shown: path });
    }
    state.set(path, entry);
  }
  return state;
}
