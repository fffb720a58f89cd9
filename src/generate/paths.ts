// Output paths: a rendered `to:` must stay inside the output root, out of ggen's own `.ggen/` state, and be a plain path.
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { GgenError, type SourceLocation } from '../errors.js';
import { fsError } from '../util/fs-errors.js';
import { isStateDirName, STATE_DIR } from './state-dir.js';

/** Control characters (C0, DEL, C1) never belong in a file name: they hide in listings and break tools. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function describeControl(text: string): string {
  const ch = CONTROL.exec(text)![0];
  const names: Record<string, string> = { '\u0000': 'NUL', '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', '\u001b': 'ESC' };
  return names[ch] ?? `the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a root-relative POSIX path may not be an output, or undefined when it may. */
export function targetProblem(text: string): string | undefined {
  if (text === '') return 'is an empty path';
  if (CONTROL.test(text)) return `contains ${describeControl(text)} (${JSON.stringify(text)})`;
  if (isAbsolute(text) || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\')) return `is an absolute path (${text}); outputs must stay inside the output root`;
  const normal = posix.normalize(text.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return `escapes the output root: ${text}`;
  if (normal === '.' || normal.endsWith('/')) return `names a directory, not a file: ${text}`;
  if (normal.split('/').some(isStateDirName)) return `points into ${STATE_DIR}/, which holds ggen's own state (receipt, journals, locks): ${text}`;
  return undefined;
}

/** Normalises a rendered `to:` into a root-relative POSIX path, or throws naming the template. */
export function normaliseTarget(rendered: string, at: SourceLocation): string {
  // Surrounding spaces and a final newline come from template formatting; inner control characters are refused.
  const text = rendered.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const problem = text === '' ? 'rendered to an empty path' : targetProblem(text);
  if (problem !== undefined) {
    const hint = text === ''
      ? 'check the variables used in to: (an undefined or empty value?)'
      : problem.includes(STATE_DIR) ? `write somewhere else; ${STATE_DIR}/ is reserved in every output root`
        : problem.startsWith('contains') ? 'check the values used in to: (a row value with a line break?); file names cannot hold control characters'
          : problem.startsWith('names a directory') || problem.startsWith('escapes') ? 'outputs must be files inside the output directory'
            : 'write a path relative to the output directory (--out)';
    throw new GgenError('E_GENERATE', `"to:" ${problem}`, { at, hint });
  }
  return posix.normalize(text.replace(/\\/g, '/'));
}

/**
 * Checks that targets do not pass through a symlink leading outside the root or into its `.ggen/`.
 * Directories already checked are remembered, so thousands of targets in a few directories cost a few
 * system calls.
 */
export function createRootGuard(root: string): (relPath: string, at: SourceLocation) => Stats | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  const safe = new Set<string>();
  // Root-relative parent directories already walked and found safe: their files cost one lstat each.
  const safeParents = new Set<string>();
  // Returns the lstat of the target itself (undefined when absent), so callers need not stat it again.
  return (relPath, at) => {
    const parts = relPath.split('/');
    const slash = relPath.lastIndexOf('/');
    const parent = slash === -1 ? '' : relPath.slice(0, slash);
    const skip = parent === '' || safeParents.has(parent) ? parts.length - 1 : 0;
    let current = skip === 0 ? root : join(root, parent);
    for (let i = skip; i < parts.length; i++) {
      const part = parts[i]!;
      current = join(current, part);
      const last = i === parts.length - 1;
      if (!last && safe.has(current)) continue;
      let info;
      try {
        info = lstatSync(current, { throwIfNoEntry: false });
      } catch (err) {
        // ENOTDIR: a file stands where a directory of the path is needed.
        throw fsError(err, 'write', join(root, ...parts), { shown: relPath });
      }
      if (info === undefined) return undefined; // the rest does not exist yet; it will be created inside the root
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
        if (rel.split(sep).some(isStateDirName)) {
          throw new GgenError('E_GENERATE', `"to:" ${relPath} goes through a symlink into ${STATE_DIR}/ (${current}), which holds ggen's own state`, {
            at, hint: 'remove the symlink or write somewhere else',
          });
        }
      }
      if (info.isDirectory() || info.isSymbolicLink()) safe.add(current);
      if (last) {
        if (parent !== '') safeParents.add(parent);
        return info;
      }
    }
    return undefined;
  };
}
