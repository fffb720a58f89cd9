// Validator: generated sources compile with the real compiler (tsc, python3, rustc), run inside the env.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CleanroomEnv } from '../env.js';
import type { ValidationOutcome, Validator } from '../validation.js';
import { describeRun } from './command.js';

export type CompileLanguage = 'typescript' | 'python' | 'rust';
export const compileLanguages: readonly CompileLanguage[] = ['typescript', 'python', 'rust'];

export interface CompileOptions {
  /** Extra compiler arguments (tsc: replaces the default flags). */
  args?: string[];
  /** python: modules to import after compiling (with the workspace on PYTHONPATH). */
  importModules?: string[];
  timeoutMs?: number;
}

/** tsc from the env's own node_modules first, else the one ggen was installed with. */
function findTsc(env: CleanroomEnv): string | undefined {
  const local = join(env.path, 'node_modules', 'typescript', 'bin', 'tsc');
  if (existsSync(local)) return local;
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const TSC_FLAGS = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
// Compiles without writing __pycache__ into the workspace.
const PY_COMPILE = 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")';

async function compileTypescript(env: CleanroomEnv, files: string[], opts: CompileOptions): Promise<ValidationOutcome> {
  const tsc = findTsc(env);
  if (tsc === undefined) return { passed: false, messages: ['typescript is not installed (neither in the cleanroom nor next to ggen)'] };
  const r = await env.run(process.execPath, [tsc, ...(opts.args ?? TSC_FLAGS), ...files], { timeoutMs: opts.timeoutMs });
  return r.exitCode === 0 ? { passed: true } : { passed: false, messages: [describeRun(r)] };
}

async function compilePython(env: CleanroomEnv, files: string[], opts: CompileOptions): Promise<ValidationOutcome> {
  const pyEnv = { PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: env.path };
  const r = await env.run('python3', ['-c', PY_COMPILE, ...files], { env: pyEnv, timeoutMs: opts.timeoutMs });
  if (r.exitCode !== 0) return { passed: false, messages: [describeRun(r)] };
  for (const mod of opts.importModules ?? []) {
    const imp = await env.run('python3', ['-c', `import ${mod}`], { env: pyEnv, timeoutMs: opts.timeoutMs });
    if (imp.exitCode !== 0) return { passed: false, messages: [describeRun(imp)] };
  }
  return { passed: true };
}

async function compileRust(env: CleanroomEnv, files: string[], opts: CompileOptions): Promise<ValidationOutcome> {
  // Each file is a library crate root; metadata only, written to the env's private tmp, not the workspace.
  const failures: string[] = [];
  for (const file of files) {
    const r = await env.run('rustc', ['--crate-type', 'lib', '--edition', '2021', '--emit', 'metadata', '--out-dir', env.sandboxDirs().TMPDIR!, ...(opts.args ?? []), file], { timeoutMs: opts.timeoutMs });
    if (r.exitCode !== 0) failures.push(describeRun(r));
  }
  return { passed: failures.length === 0, score: files.length === 0 ? 1 : (files.length - failures.length) / files.length, messages: failures };
}

/** Passes when the files (paths in the workspace) compile. */
export function compiles(language: CompileLanguage, files: string[], opts: CompileOptions = {}): Validator {
  return {
    name: `compiles (${language}): ${files.join(', ')}`,
    async validate(env: CleanroomEnv) {
      for (const f of files) if (!(await env.exists(f))) return { passed: false, messages: [`missing: ${f}`] };
      if (language === 'typescript') return compileTypescript(env, files, opts);
      if (language === 'python') return compilePython(env, files, opts);
      return compileRust(env, files, opts);
    },
  };
}
