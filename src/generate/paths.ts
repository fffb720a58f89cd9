// Output paths: a rendered `to:` must stay inside the output root (no `..`, no absolute path, no symlink out).
import { lstatSync, realpathSync } from 'node:fs';
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

/**
 * Checks that targets do not pass through a symlink leading outside the root. Directories already
 * checked are remembered, so thousands of targets in a few directories cost a few system calls.
 */
export function createRootGuard(root: string): (relPath: string, at: SourceLocation) => void {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  const safe = new Set<string>();
  return (relPath, at) => {
    const parts = relPath.split('/');
    let current = root;
    for (const part of parts) {
      current = join(current, part);
      if (safe.has(current)) continue;
      const info = lstatSync(current, { throwIfNoEntry: false });
      if (info === undefined) return; // the rest does not exist yet; it will be created inside the root
      if (info.isSymbolicLink()) {
        let target: string | undefined;
        try {
          target = realpathSync(current);
        } catch {
          target = undefined;
        }
        const rel = target === undefined ? '..' : relative(realRoot, target);
        if (target === undefined || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
          throw new GgenError('E_GENERATE', `"to:" ${relPath} goes through a symlink that leads outside the output root (${current})`, {
            at, hint: 'remove the symlink or write somewhere else',
          });
        }
      }
      if (info.isDirectory() || info.isSymbolicLink()) safe.add(current);
    }
  };
}
