// What a project can show: its files, declared dependencies (from manifests) and lifecycle history.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTomlText } from '../../util/toml/index.js';
import { FileIndex } from '../../util/glob.js';
import type { MakeToml } from '../model.js';
import { loadState, type RunRecord } from '../state.js';

const READINESS_SKIPPED = new Set(['.git', '.ggen', 'node_modules', 'target', 'dist', 'build', '.venv', 'venv', 'vendor', '__pycache__', 'coverage', 'out']);

const CODE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|rs|py|go|java|kt|rb|php|cs|c|cc|cpp|h|hpp|swift|scala|sh)$/;
const TEST_FILE = /(^|\/)(test|tests|spec|__tests__|e2e)\/|\.(test|spec|e2e)\.[^/]+$|_test\.[^/]+$|(^|\/)test_[^/]+\.py$/;

export class ProjectEvidence {
  readonly index: FileIndex;
  private deps?: Map<string, string>;

  constructor(
    readonly root: string,
    readonly make: MakeToml | undefined,
  ) {
    this.index = new FileIndex(root, READINESS_SKIPPED);
  }

  files(globs: readonly string[]): string[] {
    return this.index.matchAll(globs);
  }

  read(rel: string): string | undefined {
    try {
      return readFileSync(join(this.root, rel), 'utf8');
    } catch {
      return undefined;
    }
  }

  exists(rel: string): boolean {
    return existsSync(join(this.root, rel));
  }

  /** Source files (not tests) the marker scan looks at. */
  sourceFiles(): string[] {
    const globs = this.make?.readiness.sources ?? ['src/**', 'lib/**', 'app/**', 'pkg/**', 'cmd/**', 'internal/**'];
    return this.files(globs).filter((f) => CODE_EXT.test(f) && !TEST_FILE.test(f));
  }

  testFiles(): string[] {
    const configured = this.make?.readiness.tests;
    if (configured) return this.files(configured);
    return this.index.filesUnder('').filter((f) => TEST_FILE.test(f) && CODE_EXT.test(f));
  }

  /** Declared dependency names → the manifest that declares them. */
  dependencies(): Map<string, string> {
    if (this.deps) return this.deps;
    const deps = new Map<string, string>();
    const add = (name: string, file: string) => {
      if (!deps.has(name.toLowerCase())) deps.set(name.toLowerCase(), file);
    };
    const pkg = this.json('package.json') as Record<string, Record<string, string> | undefined> | undefined;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) for (const name of Object.keys(pkg?.[field] ?? {})) add(name, 'package.json');
    const cargo = this.toml('Cargo.toml');
    for (const field of ['dependencies', 'dev-dependencies', 'build-dependencies']) for (const name of Object.keys((cargo?.[field] as object | undefined) ?? {})) add(name, 'Cargo.toml');
    const ws = (cargo?.workspace as Record<string, unknown> | undefined)?.dependencies;
    for (const name of Object.keys((ws as object | undefined) ?? {})) add(name, 'Cargo.toml');
    const pyproject = this.toml('pyproject.toml');
    const project = pyproject?.project as Record<string, unknown> | undefined;
    for (const spec of (project?.dependencies as string[] | undefined) ?? []) add(spec.split(/[\s<>=!~;[]/)[0]!, 'pyproject.toml');
    const poetry = ((pyproject?.tool as Record<string, unknown> | undefined)?.poetry as Record<string, unknown> | undefined)?.dependencies;
    for (const name of Object.keys((poetry as object | undefined) ?? {})) add(name, 'pyproject.toml');
    for (const line of (this.read('requirements.txt') ?? '').split('\n')) {
      const name = line.trim().split(/[\s<>=!~;[#]/)[0];
      if (name) add(name, 'requirements.txt');
    }
    for (const m of (this.read('go.mod') ?? '').matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}\/[^\s]+)\s+v/gm)) add(m[1]!, 'go.mod');
    this.deps = deps;
    return deps;
  }

  /** The first declared dependency among `names` (a trailing `*` matches a prefix). */
  findDependency(names: readonly string[]): { name: string; file: string } | undefined {
    const deps = this.dependencies();
    for (const want of names) {
      if (want.endsWith('*')) {
        const prefix = want.slice(0, -1);
        for (const [name, file] of [...deps].sort()) if (name.startsWith(prefix)) return { name, file };
      } else {
        const file = deps.get(want);
        if (file) return { name: want, file };
      }
    }
    return undefined;
  }

  json(rel: string): unknown {
    const text = this.read(rel);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  toml(rel: string): Record<string, unknown> | undefined {
    const text = this.read(rel);
    if (text === undefined) return undefined;
    try {
      return parseTomlText(text, rel).value;
    } catch {
      return undefined;
    }
  }

  /** The latest runs of `phase` at the root, or else in each workspace that ran it. */
  lastRuns(phase: string): Array<{ where: string; run: RunRecord }> {
    const latest = (root: string) => {
      try {
        return [...loadState(root).phase_history].reverse().find((r) => r.phase === phase && !r.hook);
      } catch {
        return undefined;
      }
    };
    const atRoot = latest(this.root);
    if (atRoot) return [{ where: 'root', run: atRoot }];
    const out: Array<{ where: string; run: RunRecord }> = [];
    for (const ws of Object.values(this.make?.workspaces ?? {}).sort((a, b) => a.name.localeCompare(b.name))) {
      const run = latest(resolve(this.root, ws.path));
      if (run) out.push({ where: `workspace ${ws.name}`, run });
    }
    return out;
  }
}
