// Globs (`*`, `**`, `?`, `[abc]`, `{a,b}`) and the one sorted directory walk, shared by every area.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const GLOB_CHARS = /[*?[{]/;
/** Never walked into unless a glob starts inside them. */
export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', '.ggen', 'node_modules']);

const compiled = new Map<string, RegExp>();

/** A RegExp matching whole relative paths (with `/` separators) against a glob (memoized). */
export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    re = compileGlob(glob);
    compiled.set(glob, re);
  }
  return re;
}

function compileGlob(glob: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more directories; a trailing `**` matches everything below.
          re += i + 2 === glob.length ? '.*' : '(?:[^/]+/)*';
          i += i + 2 === glob.length ? 2 : 3;
          continue;
        }
      }
      re += '[^/]*';
      i += glob[i + 1] === '*' ? 2 : 1;
    } else if (ch === '?') {
      re += '[^/]';
      i++;
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
        i++;
      } else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close + 1;
      }
    } else if (ch === '{') {
      braces++;
      re += '(?:';
      i++;
    } else if (ch === '}' && braces > 0) {
      braces--;
      re += ')';
      i++;
    } else if (ch === ',' && braces > 0) {
      re += '|';
      i++;
    } else {
      re += ch.replace(/[.+^$()|\\]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${re}$`);
}

/** Directory listings shared by every glob of one invocation, so each directory is read once. */
export class FileIndex {
  private readonly listings = new Map<string, Dirent[] | null>();
  private readonly walks = new Map<string, string[]>();

  constructor(
    readonly root: string,
    private readonly skipped: ReadonlySet<string> = DEFAULT_SKIPPED_DIRS,
  ) {}

  private list(rel: string): Dirent[] | null {
    let entries = this.listings.get(rel);
    if (entries === undefined) {
      try {
        entries = readdirSync(join(this.root, rel), { withFileTypes: true });
      } catch {
        entries = null;
      }
      this.listings.set(rel, entries);
    }
    return entries;
  }

  /** Every file below `rel` (relative paths, sorted), skipping .git, .ggen and node_modules. */
  filesUnder(rel: string): string[] {
    const cached = this.walks.get(rel);
    if (cached) return cached;
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of this.list(dir) ?? []) {
        const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!this.skipped.has(entry.name)) walk(path);
        } else if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
      }
    };
    walk(rel);
    out.sort();
    this.walks.set(rel, out);
    return out;
  }

  /** Files matching one glob; a literal path names a file, or every file of a directory. */
  match(pattern: string): string[] {
    const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!GLOB_CHARS.test(clean)) {
      try {
        return statSync(join(this.root, clean)).isDirectory() ? this.filesUnder(clean) : [clean];
      } catch {
        return [];
      }
    }
    const segments = clean.split('/');
    const fixed: string[] = [];
    for (const s of segments) {
      if (GLOB_CHARS.test(s)) break;
      fixed.push(s);
    }
    if (clean.endsWith('/**') && !GLOB_CHARS.test(clean.slice(0, -3))) return this.filesUnder(clean.slice(0, -3));
    const re = globToRegExp(clean);
    return this.filesUnder(fixed.join('/')).filter((p) => re.test(p));
  }

  /** Files matching any of the globs, deduplicated and sorted. */
  matchAll(patterns: readonly string[]): string[] {
    if (patterns.length === 1) return this.match(patterns[0]!);
    const set = new Set<string>();
    for (const p of patterns) for (const f of this.match(p)) set.add(f);
    return [...set].sort();
  }
}

export interface WalkOptions {
  /** Directory names never entered (default: .git, .ggen, node_modules). */
  skipDirs?: ReadonlySet<string>;
  /** Absolute directories never entered (e.g. an output root inside the project). */
  excludeDirs?: ReadonlySet<string>;
  /** List symlinks to files too (default true). */
  symlinks?: boolean;
}

/** Every file under `root` as sorted `/`-separated relative paths: the one directory walk, used everywhere. */
export function walkFiles(root: string, opts: WalkOptions = {}): string[] {
  const skipped = opts.skipDirs ?? DEFAULT_SKIPPED_DIRS;
  const symlinks = opts.symlinks !== false;
  const out: string[] = [];
  const visit = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name) && !opts.excludeDirs?.has(full)) visit(full, childRel);
      } else if (entry.isFile() || (symlinks && entry.isSymbolicLink())) out.push(childRel);
    }
  };
  visit(root, '');
  return out.sort();
}

/** Relative paths of files under `root` matching any of the globs, sorted and deduplicated. */
export function matchFiles(root: string, globs: readonly string[], files = walkFiles(root)): string[] {
  const res = globs.map(globToRegExp);
  return files.filter((f) => res.some((r) => r.test(f)));
}
