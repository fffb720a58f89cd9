// File-system failures as one-line user errors: what ggen tried, on which path, and why, in words.
import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { GgenError, type ErrorCode } from '../errors.js';

const causes: Record<string, { text: string; hint: string }> = {
  ENOENT: { text: 'it does not exist', hint: 'check the path' },
  EACCES: { text: 'permission denied', hint: 'check the permissions of the path and its directories' },
  EPERM: { text: 'operation not permitted', hint: 'check the permissions of the path and its directories' },
  ENOTDIR: { text: 'a parent path is a file, not a directory', hint: 'remove or rename the file that stands where a directory is needed' },
  EISDIR: { text: 'it is a directory', hint: 'give a file path, not a directory' },
  EROFS: { text: 'the file system is read-only', hint: 'write to a writable location (--out)' },
  ENOSPC: { text: 'no space left on the device', hint: 'free some disk space and run again' },
  EDQUOT: { text: 'the disk quota is exceeded', hint: 'free some space within your quota and run again' },
  ENAMETOOLONG: { text: 'the file name is too long', hint: 'shorten the path' },
  ELOOP: { text: 'too many levels of symbolic links', hint: 'check for a symlink loop' },
  EMFILE: { text: 'too many open files', hint: 'raise the open-file limit (ulimit -n)' },
  ENFILE: { text: 'too many open files in the system', hint: 'close other programs or raise the system limit' },
  EBUSY: { text: 'the file is busy', hint: 'close the program using it and run again' },
  EIO: { text: 'an input/output error', hint: 'check the disk' },
  EEXIST: { text: 'it already exists', hint: 'remove it or choose another path' },
  EXDEV: { text: 'it is on another file system', hint: 'keep the output root on one file system' },
};

/** `path` or its nearest ancestor that exists but is not a directory (what ENOTDIR is about). */
function fileInTheWay(path: string): string | undefined {
  for (let p = path; dirname(p) !== p; p = dirname(p)) {
    let info;
    try {
      info = lstatSync(p, { throwIfNoEntry: false });
    } catch {
      continue; // ENOTDIR: the file in the way is further up
    }
    if (info !== undefined) return info.isDirectory() ? undefined : p;
  }
  return undefined;
}

/** True for errors a user's environment can cause (as opposed to a bug). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && Object.hasOwn(causes, (err as NodeJS.ErrnoException).code!);
}

/**
 * `cannot ACTION PATH: CAUSE` as a GgenError. `shown` is the path as the user should see it (relative to
 * the output root, say); `path` is the absolute path, used to find the file standing in the way.
 */
export function fsError(err: unknown, action: string, path: string, opts: { shown?: string; code?: ErrorCode; suffix?: string } = {}): GgenError {
  const e = err as NodeJS.ErrnoException;
  const known = e.code === undefined ? undefined : causes[e.code];
  let cause = known?.text ?? e.message;
  if (e.code === 'ENOTDIR') {
    const blocker = fileInTheWay(path);
    if (blocker !== undefined) cause = `${blocker} is a file, not a directory`;
  }
  return new GgenError(opts.code ?? 'E_IO', `cannot ${action} ${opts.shown ?? path}: ${cause}${opts.suffix ?? ''}`, {
    hint: known?.hint, cause: err,
  });
}
