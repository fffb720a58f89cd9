// Output paths: a rendered `to:` must stay inside the output root (no `..`, no absolute path, no symlink out).
import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { GgenError, type SourceLocation } from '../errors.js';

/** Normalises a rendered `to:` into a root-relative POSIX path, or throws naming the template. */
export function normaliseTarget(rendered: string, at: SourceLocation): string {
  const text = rendered.trim();
  if (text === '') {
    throw new GgenError('E_GENERATE', '"to:" rendered to an empty path', { at, hint: 'check the variables used in to: (an undefined or empty value?)' });
  }
  if (isAbsolute(text) || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\')) {
    throw new GgenError('E_GENERATE', `"to:" is an absolute path (${text}); outputs must stay inside the output root`, { at, hint: 'write a path relative to the output directory (--out)' });
  }
  const normal = posix.normalize(text.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../') || normal === '.' || normal.endsWith('/')) {
    const why = normal === '.' || normal.endsWith('/') ? 'names a directory, not a file' : 'escapes the output root';
    throw new GgenError('E_GENERATE', `"to:" ${why}: ${text}`, { at, hint: 'outputs must be files inside the output directory' });
  }
  return normal;
}

/** Rejects a target whose existing path components include a symlink leading outside the root. */
export async function checkInsideRoot(root: string, relPath: string, at: SourceLocation): Promise<void> {
  const realRoot = await realpath(root).catch(() => root);
  const parts = relPath.split('/');
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    let info;
    try {
      info = await lstat(current);
    } catch {
      return; // the rest does not exist yet; it will be created inside the root
    }
    if (info.isSymbolicLink()) {
      const target = await realpath(current).catch(() => undefined);
      const rel = target === undefined ? '..' : relative(realRoot, target);
      if (target === undefined || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
        throw new GgenError('E_GENERATE', `"to:" ${relPath} goes through a symlink that leads outside the output root (${current})`, {
          at, hint: 'remove the symlink or write somewhere else',
        });
      }
    }
  }
}
