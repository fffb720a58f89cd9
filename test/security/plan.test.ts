// `project apply` re-checks a plan file when it loads it: schema, every path under the planning rules, each
// content against its hash, and that the plan belongs to the output root it is applied to.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { expectOneLineError, snapshot, world, type World } from './helpers.js';

let current: World | undefined;
afterEach(() => current?.cleanup());

type Plan = { root: string; operations: Array<Record<string, unknown>>; receipt: { outputs: Array<Record<string, unknown>> }; [k: string]: unknown };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function planned(): Promise<{ w: World; file: string; plan: Plan }> {
  const w = world({ 'p/a.tmpl': '---\nto: a.txt\n---\nA\n', 'p/b.tmpl': '---\nto: sub/b.txt\n---\nB\n', 'p/ggen.toml': 'output = "out"\n' });
  const file = join(w.project, 'plan.json');
  const r = await runGgen(['project', 'plan', 'p', '-o', file], { cwd: w.project });
  expect(r.code).toBe(0);
  return { w, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan };
}

const retarget = (path: string) => (p: Plan) => {
  p.operations[0]!.path = path;
};

describe('a tampered plan is refused with the reason, and nothing is written', () => {
  const cases: Array<[string, (p: Plan, w: World) => void, RegExp, string[]?]> = [
    ['a path that climbs out (../../x)', retarget('../../x'), /operations\[0\]\.path: path escapes the output root: \.\.\/\.\.\/x/],
    ['an absolute path', retarget('/tmp/ggen-evil'), /path is an absolute path/],
    ['a path that climbs out after a directory (sub/../../x)', retarget('sub/../../x'), /path escapes the output root/],
    ['a path into .ggen/', retarget('.ggen/receipt.json'), /points into \.ggen\//],
    ['a path with a NUL', retarget('a\u0000b'), /path contains NUL/],
    ['a path that is not normalised', retarget('sub/./b.txt'), /path is not normalised/],
    ['a backslash path that climbs out', retarget('..\\..\\x'), /path escapes the output root/],
    ['content that does not match its hash', (p) => { p.operations[0]!.content = 'evil\n'; }, /does not match its contentHash/],
    ['an operation kind ggen does not know', (p) => { p.operations[0]!.kind = 'exec'; }, /operations\[0\]\.kind/],
    ['a receipt entry that climbs out', (p) => { p.receipt.outputs[0]!.path = '../VICTIM'; }, /receipt\.outputs\[0\]\.path: output path escapes the output root/],
    ['a relative root', (p) => { p.root = 'out'; }, /root must be an absolute path/],
    ['a root moved to another directory', (p, w) => { p.root = w.root; }, /its output root .* now resolves to .*, not .* as when it was planned/],
    ['two operations on one path', (p) => { p.operations[1]!.path = p.operations[0]!.path; p.operations[1]!.content = p.operations[0]!.content; p.operations[1]!.contentHash = p.operations[0]!.contentHash; }, /two operations for a\.txt/],
    ['a plan for another root (--out)', () => undefined, /it was made for the output root .*\/out, not .*\/project\/p$/m, ['--out', 'p']],
  ];
  it.each(cases)('%s', async (_name, edit, reason, extra) => {
    const { w, file, plan } = await planned();
    current = w;
    edit(plan, w);
    writeFileSync(file, JSON.stringify(plan));
    const before = snapshot(w.root);
    const r = await runGgen(['project', 'apply', file, ...(extra ?? [])], { cwd: w.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(/^error: .*plan\.json: refusing plan: /);
    expect(r.stderr.split('\n')[0]).toMatch(reason);
    expect(snapshot(w.root)).toEqual(before);
  });

  it('a plan made before the root was regenerated no longer belongs to it', async () => {
    const { w, file } = await planned();
    current = w;
    expect((await runGgen(['project', 'gen', 'p'], { cwd: w.project })).code).toBe(0);
    writeFileSync(join(w.project, 'p/out/a.txt'), 'A\n');
    const before = snapshot(w.root);
    const r = await runGgen(['project', 'apply', file], { cwd: w.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing plan: the output root's receipt (.ggen/receipt.json) changed since the plan was made");
    expect(snapshot(w.root)).toEqual(before);
  });

  it('not a plan at all', async () => {
    const { w, file } = await planned();
    current = w;
    for (const [text, message] of [['{', 'plan file is not valid JSON'], ['{"operations": []}', 'not a ggen plan file'], ['[]', 'not a ggen plan file']]) {
      writeFileSync(file, text!);
      const r = await runGgen(['project', 'apply', file], { cwd: w.project });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
    }
  });

  it('an untouched plan applies (the control case), and a reviewer may rewrite a content with its hash', async () => {
    const { w, file, plan } = await planned();
    current = w;
    plan.operations[0]!.content = 'reviewed\n';
    plan.operations[0]!.contentHash = sha('reviewed\n');
    writeFileSync(file, JSON.stringify(plan));
    const r = await runGgen(['project', 'apply', file], { cwd: w.project });
    expect(r.stdout).toBe('create    p/out/a.txt\ncreate    p/out/sub/b.txt\n');
    expect(r.code).toBe(0);
    expect(readFileSync(join(w.project, 'p/out/a.txt'), 'utf8')).toBe('reviewed\n');
    expect(readFileSync(join(w.project, 'p/out/sub/b.txt'), 'utf8')).toBe('B\n');
  });
});
