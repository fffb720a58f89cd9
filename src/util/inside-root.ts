// Paths handed in from outside (an MCP client, say) that must stay inside one root directory: no `..`
// escapes, no absolute paths, no symlinks leading out. The same rules `to:` outputs follow.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { GgenError } from '../errors.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** lstat, not stat: a dangling symlink is present (and then refused, since where it leads is unknown). */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR: a file stands where a directory is needed
  }
}

function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * The absolute path of `given` (relative to `root`, POSIX or native separators) or a GgenError (E_USAGE)
 * saying why it may not be used. `what` names the argument in messages ("graph file", "template").
 */
export function resolveInsideRoot(root: string, given: string, what = 'path'): string {
  const hint = `give a path relative to the project root ${root}`;
  if (given === '') throw new GgenError('E_USAGE', `${what} is an empty path`, { hint });
  if (CONTROL.test(given)) throw new GgenError('E_USAGE', `${what} ${JSON.stringify(given)} contains a control character`, { hint });
  if (isAbsolute(given) || /^[A-Za-z]:[\\/]/.test(given) || given.startsWith('\\')) {
    throw new GgenError('E_USAGE', `${what} "${given}" is an absolute path; paths are relative to the project root`, { hint });
  }
  const normal = posix.normalize(given.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) throw new GgenError('E_USAGE', `${what} "${given}" is outside the project root`, { hint });
  const full = normal === '.' ? root : join(root, ...normal.split('/'));
  // A symlink anywhere on the way may lead out: compare real paths of the deepest part that exists.
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  let probe = full;
  while (!present(probe) && probe !== root && dirname(probe) !== probe) probe = dirname(probe);
  let real: string | undefined;
  try {
    real = realpathSync(probe);
  } catch {
    real = undefined; // a dangling symlink: where it points is unknown, so it is refused below
  }
  if (real === undefined || outside(realRoot, real)) {
    throw new GgenError('E_USAGE', `${what} "${given}" leads outside the project root through a symlink`, { hint: 'remove the symlink, or start the server with --root at a directory that contains the target' });
  }
  return full;
}

/** `file` relative to `root` with forward slashes when inside it, else unchanged. */
export function shownInside(root: string, file: string): string {
  if (!isAbsolute(file) || outside(root, file)) return file;
  return relative(root, file).split(sep).join('/') || '.';
}
