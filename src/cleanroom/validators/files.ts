// Validators about files: existence, equality with a golden file, and a whole tree against a golden tree.
import { isAbsolute, resolve } from 'node:path';
import type { CleanroomEnv } from '../env.js';
import { matchGoldenFile, matchTreeSnapshot, type SnapshotOptions } from '../snapshot.js';
import type { Validator } from '../validation.js';

/** Passes when every path exists in the workspace; the score is the fraction that exist. */
export function fileExists(...paths: string[]): Validator {
  return {
    name: `file exists: ${paths.join(', ')}`,
    async validate(env: CleanroomEnv) {
      const missing: string[] = [];
      for (const p of paths) if (!(await env.exists(p))) missing.push(p);
      return {
        passed: missing.length === 0,
        score: paths.length === 0 ? 1 : (paths.length - missing.length) / paths.length,
        messages: missing.map((p) => `missing: ${p}`),
      };
    },
  };
}

/** Passes when the workspace file has exactly the golden file's bytes (golden path: absolute or from process cwd). */
export function fileEqualsGolden(path: string, goldenFile: string, opts: { update?: boolean } = {}): Validator {
  const golden = isAbsolute(goldenFile) ? goldenFile : resolve(goldenFile);
  return {
    name: `file equals golden: ${path}`,
    async validate(env: CleanroomEnv) {
      const r = await matchGoldenFile(env.resolve(path), golden, opts);
      return { passed: r.equal, messages: r.updated ? [`updated golden ${golden}`] : r.diff === '' ? [] : [r.diff] };
    },
  };
}

/** Passes when the workspace (or `under` inside it) has exactly the golden directory's files. */
export function treeEqualsSnapshot(goldenDir: string, opts: SnapshotOptions & { under?: string } = {}): Validator {
  const golden = isAbsolute(goldenDir) ? goldenDir : resolve(goldenDir);
  return {
    name: `tree equals snapshot: ${opts.under ?? '.'}`,
    async validate(env: CleanroomEnv) {
      // ggen's own state (.ggen: receipt, merge bases) is not part of a generated tree unless asked for.
      const r = await matchTreeSnapshot(env.resolve(opts.under ?? '.'), golden, { ...opts, exclude: opts.exclude ?? ['.ggen'] });
      return { passed: r.equal, messages: r.updated ? [`updated golden ${golden}`] : r.diff === '' ? [] : [r.diff] };
    },
  };
}
