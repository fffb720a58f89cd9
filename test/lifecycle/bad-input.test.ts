import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ggen, project } from './helpers.js';

// Every case must fail with one clear message, exit 1 or 2, and run nothing (no "ran" file, no state).
const OK_PHASES = '[lifecycle.build]\ncommand = "touch ran"\n[lifecycle.test]\ncommand = "touch ran"\n';

const cases: Array<{ name: string; files: Record<string, string>; args: string[]; code: number; stderr: string }> = [
  { name: 'missing make.toml', files: { 'README.md': 'x' }, args: ['run', 'build'], code: 1, stderr: 'error: no make.toml found in <root>\n  hint: create make.toml with a [project] table and [lifecycle.PHASE] tables, or pass --root DIR (see docs/lifecycle.md)\n' },
  {
    name: 'malformed TOML',
    files: { 'make.toml': `${OK_PHASES}[hooks\nbefore_build = []\n` },
    args: ['run', 'build'],
    code: 1,
    stderr: 'error: <root>/make.toml:5:7: invalid TOML: illegal character in key\n4:  command = "touch ran"\n5:  [hooks\n          ^\n6:  before_build = []\n  hint: fix the TOML syntax at the marked position\n',
  },
  { name: 'unknown phase', files: { 'make.toml': OK_PHASES }, args: ['run', 'biuld'], code: 2, stderr: 'error: <root>/make.toml: unknown phase "biuld"\n  hint: did you mean "build"?\n' },
  { name: 'unknown phase in a pipeline', files: { 'make.toml': OK_PHASES }, args: ['pipeline', 'build', 'tets'], code: 2, stderr: 'error: <root>/make.toml: unknown phase "tets"\n  hint: did you mean "test"?\n' },
  { name: 'hook naming an unknown phase', files: { 'make.toml': `${OK_PHASES}[hooks]\nbefore_build = ["lint"]\n` }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/make.toml:6:1: hook "before_build" names unknown phase "lint"\n  hint: known phases: build, test; for a shell command write "run: lint"\n' },
  { name: 'workspace outside the root', files: { 'make.toml': `${OK_PHASES}[workspace.evil]\npath = "../../etc"\n` }, args: ['pipeline', 'build'], code: 1, stderr: 'error: <root>/make.toml:5:2: workspace "evil" path "../../etc" is outside the project root\n  hint: workspace paths must stay inside the directory of make.toml\n' },
  { name: 'workspace directory missing', files: { 'make.toml': `${OK_PHASES}[workspace.web]\npath = "apps/web"\n` }, args: ['pipeline', 'build'], code: 1, stderr: 'error: <root>/make.toml:5:2: workspace "web" directory does not exist: apps/web\n  hint: create apps/web or fix [workspace.web] path\n' },
  { name: 'non-executable script', files: { 'make.toml': '[lifecycle.build]\ncommands = ["touch ran", "./build-noexec.sh"]\n', 'build-noexec.sh': '#!/bin/sh\necho hi\n' }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/make.toml:1:2: command "./build-noexec.sh" in phase "build" is not executable\n  hint: run "chmod +x ./build-noexec.sh" or write "sh ./build-noexec.sh"\n' },
  { name: 'command not on PATH', files: { 'make.toml': '[lifecycle.build]\ncommands = ["touch ran", "definitely-not-a-command-xyz --go"]\n' }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/make.toml:1:2: command "definitely-not-a-command-xyz" in phase "build" was not found on PATH\n  hint: install it or fix the command: definitely-not-a-command-xyz --go\n' },
  { name: 'hook cycle', files: { 'make.toml': `${OK_PHASES}[hooks]\nbefore_build = ["test"]\nbefore_test = ["build"]\n` }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/make.toml:6:1: hook cycle: build → test → build\n  hint: a phase cannot run itself through its own before_/after_ hooks; remove one of the hook entries\n' },
  { name: 'wrong type', files: { 'make.toml': '[lifecycle.build]\ncommand = "touch ran"\ncache = "yes"\n' }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/make.toml:3:1: "lifecycle.build.cache" must be true or false, found a string\n' },
  { name: 'missing --root directory', files: { 'make.toml': OK_PHASES }, args: ['run', 'build', '--root', 'nope'], code: 2, stderr: 'error: root directory does not exist: nope\n  hint: check the --root value\n' },
  { name: 'unknown environment', files: { 'make.toml': `${OK_PHASES}[env.production]\nA = "1"\n` }, args: ['run', 'build', '--env', 'prod'], code: 2, stderr: 'error: <root>/make.toml: unknown environment "prod"\n  hint: did you mean "production"?\n' },
  { name: 'corrupt state file', files: { 'make.toml': OK_PHASES, '.ggen/state.json': '{"last_phase": ' }, args: ['run', 'build'], code: 1, stderr: 'error: <root>/.ggen/state.json: cannot parse lifecycle state: Unexpected end of JSON input\n  hint: the file is corrupt; delete it to start a fresh history (cached phases will rerun)\n' },
];

describe('bad input: a clear error, exit 1 or 2, nothing run', () => {
  it.each(cases)('$name', async ({ files, args, code, stderr }) => {
    const dir = project(files);
    const r = await ggen(dir, args);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr.split(dir).join('<root>') }).toEqual({ code, stdout: '', stderr });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('readiness-update rejects an unknown id and status with did-you-mean', async () => {
    const dir = project({ 'make.toml': OK_PHASES });
    expect(await ggen(dir, ['readiness-update', 'auth-basc', 'complete'])).toEqual({ code: 2, stdout: '', stderr: 'error: unknown readiness requirement "auth-basc"\n  hint: did you mean "auth-basic"?\n' });
    expect(await ggen(dir, ['readiness-update', 'auth-basic', 'compelte'])).toEqual({ code: 2, stdout: '', stderr: 'error: invalid status "compelte"\n  hint: did you mean "complete"?\n' });
    expect(existsSync(join(dir, '.ggen'))).toBe(false);
  });
});
