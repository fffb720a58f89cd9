// Helpers for the security suite: a "world" (a project next to a victim), and full snapshots to prove nothing changed.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '../helpers/cli.js';

export interface World {
  /** The temp directory holding everything. */
  root: string;
  /** The project directory ggen runs in (cwd) and writes to. */
  project: string;
  /** A file outside the project that no run may touch. */
  victim: string;
  cleanup(): void;
}

/** `root/project/` with the given files, and `root/VICTIM` next to it. */
export function world(files: Record<string, string> = {}): World {
  const { dir: root, cleanup } = makeTempDir('ggen-security-');
  const project = join(root, 'project');
  mkdirSync(project);
  writeFiles(project, files);
  const victim = join(root, 'VICTIM');
  writeFileSync(victim, 'precious\n');
  return { root, project, victim, cleanup };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/**
 * Every entry under `dir`: files with content and mode, directories, symlinks with target. Two equal
 * snapshots mean nothing was written, moved or deleted there.
 */
export function snapshot(dir: string, opts: { skip?: (rel: string) => boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const full = rel === '' ? dir : join(dir, rel);
    for (const name of readdirSync(full).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (opts.skip?.(childRel)) continue;
      const info = lstatSync(join(dir, childRel));
      if (info.isSymbolicLink()) out[childRel] = `-> ${readlinkSync(join(dir, childRel))}`;
      else if (info.isDirectory()) {
        out[`${childRel}/`] = `dir ${(info.mode & 0o777).toString(8)}`;
        walk(childRel);
      } else out[childRel] = `${(info.mode & 0o777).toString(8)} ${readFileSync(join(dir, childRel), 'utf8')}`;
    }
  };
  walk('');
  return out;
}

/** A user error is one line (plus an optional hint line), never an internal error or a stack trace. */
export function expectOneLineError(output: string): void {
  // Progress lines ("fetching …") may come first; the error is what follows them.
  const stderr = output.includes('error: ') ? output.slice(output.indexOf('error: ')) : output;
  const lines = stderr.trimEnd().split('\n');
  if (!lines[0]?.startsWith('error: ')) throw new Error(`expected "error: …", got ${JSON.stringify(stderr)}`);
  if (/internal error|this is a bug in ggen|\n\s+at /.test(stderr)) throw new Error(`not a user error: ${JSON.stringify(stderr)}`);
  const rest = lines.slice(1).filter((l) => !l.startsWith('  hint: '));
  // Detail lines (a source excerpt with a caret, a list of further problems) are indented or numbered.
  if (rest.length > 0 && !rest.every((l) => l.startsWith(' ') || /^\d+:/.test(l))) throw new Error(`more than one error line: ${JSON.stringify(stderr)}`);
}
