// `.ggen/`: ggen's own state in an output root (receipt, base contents, journals, lock). No template output may land there.
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { GgenError } from '../errors.js';
import { fsError } from '../util/fs-errors.js';

export const STATE_DIR = '.ggen';

/** `.ggen` in any letter case: on case-insensitive file systems `.GGEN` is the same directory. */
export function isStateDirName(segment: string): boolean {
  return segment.toLowerCase() === STATE_DIR;
}

export function stateDir(root: string): string {
  return join(root, STATE_DIR);
}

/** Refuses an output root that is itself inside a `.ggen/` directory (its state would be another root's). */
export function assertOutputRoot(root: string): void {
  const parts = resolve(root).split(sep);
  if (parts.some(isStateDirName)) {
    throw new GgenError('E_USAGE', `the output root ${root} is inside a ${STATE_DIR}/ directory, which holds ggen's own state`, {
      hint: 'choose an output directory outside .ggen/ (--out, or output = "…" in ggen.toml)',
    });
  }
}

/**
 * Refuses a `.ggen` that is not a plain directory (a symlink could point ggen's receipt, journals and
 * objects anywhere); a missing one is fine.
 */
export function assertStateDirSafe(root: string): void {
  // `.ggen` and the directories ggen writes into below it: a planted symlink must not lead writes elsewhere.
  for (const dir of [stateDir(root), ...STATE_SUBDIRS.map((d) => join(stateDir(root), ...d.split('/')))]) {
    let info: Stats | undefined;
    try {
      info = lstatSync(dir, { throwIfNoEntry: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return; // a file stands on the way: creating the directory reports it
      throw fsError(err, 'read', dir);
    }
    if (info === undefined || info.isDirectory()) continue;
    throw new GgenError('E_GENERATE', `${dir} is ${info.isSymbolicLink() ? 'a symlink' : 'not a directory'}; ggen keeps its state there and refuses to follow it`, {
      hint: `remove ${dir} (ggen recreates it) and run again`,
    });
  }
}

/** Directories ggen creates inside `.ggen/` (in order: a parent before its children). */
const STATE_SUBDIRS = ['objects', 'cache', 'cache/queries'];

/** The output root as an absolute path, with symlinks in its own path resolved when it exists. */
export function resolveOutputRoot(cwd: string, outDir: string): string {
  const root = resolve(cwd, outDir);
  assertOutputRoot(root);
  try {
    const real = realpathSync(root);
    assertOutputRoot(real);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return root;
}
