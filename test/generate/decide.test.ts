// The decide step in-process: rendered outputs + disk state + previous receipt → operations with reasons.
// One table row per rule; each names its input and the exact operations (or refusal) expected.
import { describe, expect, it } from 'vitest';
import { decideHooks, decideOperations, type DecideInput, type DiskEntry, type OutputRender } from '../../src/generate/decide.js';
import { hashOutsideFrozen } from '../../src/generate/freeze.js';
import type { Receipt, ReceiptOutput } from '../../src/generate/receipt.js';
import { sha256Hex } from '../../src/util/hash.js';

function out(path: string, content: string, extra: Partial<OutputRender> = {}): OutputRender {
  return { path, template: 't.tmpl', content, inject: false, injectOptions: {}, force: false, unlessExists: false, backup: false, ...extra };
}
const file = (text: string): DiskEntry => ({ kind: 'file', text });
function owned(path: string, written: string, extra: Partial<ReceiptOutput> = {}): ReceiptOutput {
  return { path, hash: sha256Hex(written), hashOutsideFrozen: hashOutsideFrozen(written), template: 't.tmpl', kind: 'file', ...extra };
}
const receipt = (...outputs: ReceiptOutput[]): Receipt => ({ version: 1, graph: { hash: '', files: [] }, templates: [], vars: {}, seed: '0', outputs });

interface Row {
  rule: string;
  outputs: OutputRender[];
  disk?: Record<string, DiskEntry>;
  receipt?: Receipt;
  bases?: string[];
  policy?: Partial<DecideInput['policy']>;
  /** [kind, path, content or undefined, reason] per operation, in path order. */
  expected?: Array<[string, string, string | undefined, string]>;
  /** The refusal message (E_WRITE_CONFLICT / E_GENERATE). */
  refused?: string;
}

const FROZEN_OLD = 'a\n// ggen:freeze:start:x\nmine\n// ggen:freeze:end:x\nb1\n';
const FROZEN_NEW = 'a\n// ggen:freeze:start:x\ndefault\n// ggen:freeze:end:x\nb2\n';

const rows: Row[] = [
  { rule: 'create: the target does not exist', outputs: [out('a.txt', 'A\n')], expected: [['create', 'a.txt', 'A\n', 'new file']] },
  { rule: 'unchanged: same bytes on disk', outputs: [out('a.txt', 'A\n')], disk: { 'a.txt': file('A\n') }, receipt: receipt(owned('a.txt', 'A\n')), expected: [['unchanged', 'a.txt', 'A\n', 'content is identical']] },
  { rule: 'overwrite: ggen wrote it and nobody edited it', outputs: [out('a.txt', 'v2\n')], disk: { 'a.txt': file('v1\n') }, receipt: receipt(owned('a.txt', 'v1\n')), expected: [['overwrite', 'a.txt', 'v2\n', 'regenerated: ggen wrote it last time and nobody edited it']] },
  { rule: 'refuse: a file ggen never wrote', outputs: [out('a.txt', 'new\n')], disk: { 'a.txt': file('mine\n') }, refused: 'refusing to overwrite a.txt (exists and was not written by ggen; from t.tmpl)' },
  { rule: 'force (policy): overwrite a file ggen never wrote', outputs: [out('a.txt', 'new\n')], disk: { 'a.txt': file('mine\n') }, policy: { force: true }, expected: [['overwrite', 'a.txt', 'new\n', 'forced: it was not written by ggen']] },
  { rule: 'force (frontmatter): overwrite a file ggen never wrote', outputs: [out('a.txt', 'new\n', { force: true })], disk: { 'a.txt': file('mine\n') }, expected: [['overwrite', 'a.txt', 'new\n', 'forced: it was not written by ggen']] },
  { rule: 'force: take the new render over hand edits', outputs: [out('a.txt', 'v2\n')], disk: { 'a.txt': file('edited\n') }, receipt: receipt(owned('a.txt', 'v1\n')), bases: ['v1\n'], policy: { force: true }, expected: [['overwrite', 'a.txt', 'v2\n', 'forced: it was edited by hand since ggen wrote it']] },
  { rule: 'unless_exists: skip an existing file', outputs: [out('a.txt', 'new\n', { unlessExists: true })], disk: { 'a.txt': file('mine\n') }, expected: [['skip', 'a.txt', undefined, 'file exists and unless_exists is set']] },
  { rule: 'unless_exists: create a missing file', outputs: [out('a.txt', 'new\n', { unlessExists: true })], expected: [['create', 'a.txt', 'new\n', 'new file']] },
  { rule: 'freeze: hand edits inside a freeze block survive regeneration', outputs: [out('a.ts', FROZEN_NEW)], disk: { 'a.ts': file(FROZEN_OLD) }, receipt: receipt(owned('a.ts', FROZEN_OLD.replace('mine', 'default'))), expected: [['overwrite', 'a.ts', FROZEN_NEW.replace('default', 'mine'), 'regenerated: ggen wrote it last time and nobody edited it']] },
  { rule: 'merge: a hand edit and a template change in different places', outputs: [out('a.txt', 'one\ntwo\nTHREE\n')], disk: { 'a.txt': file('ONE\ntwo\nthree\n') }, receipt: receipt(owned('a.txt', 'one\ntwo\nthree\n')), bases: ['one\ntwo\nthree\n'], expected: [['merge', 'a.txt', 'ONE\ntwo\nTHREE\n', 'hand edits merged with the new render']] },
  { rule: 'merge: nothing new to merge keeps the edit', outputs: [out('a.txt', 'one\n')], disk: { 'a.txt': file('ONE\n') }, receipt: receipt(owned('a.txt', 'one\n')), bases: ['one\n'], expected: [['unchanged', 'a.txt', 'ONE\n', 'hand edits kept (nothing new to merge)']] },
  { rule: 'conflict: the same line edited on both sides refuses the run, with the line', outputs: [out('a.txt', 'x\nnew\ny\n')], disk: { 'a.txt': file('x\nmine\ny\n') }, receipt: receipt(owned('a.txt', 'x\nold\ny\n')), bases: ['x\nold\ny\n'], refused: 'refusing to overwrite a.txt (edited by hand since ggen wrote it, and the edits conflict with the new render at line 2; from t.tmpl)' },
  { rule: 'conflict: --conflicts=markers writes git-style markers', outputs: [out('a.txt', 'x\nnew\ny\n')], disk: { 'a.txt': file('x\nmine\ny\n') }, receipt: receipt(owned('a.txt', 'x\nold\ny\n')), bases: ['x\nold\ny\n'], policy: { conflicts: 'markers' }, expected: [['conflict', 'a.txt', 'x\n<<<<<<< a.txt (edited)\nmine\n=======\nnew\n>>>>>>> a.txt (generated)\ny\n', 'merged with 1 conflict marked in the file']] },
  { rule: 'conflict: unresolved markers from an earlier run are refused', outputs: [out('a.txt', 'x\nnewer\ny\n')], disk: { 'a.txt': file('x\n<<<<<<< a.txt (edited)\nmine\n=======\nnew\n>>>>>>> a.txt (generated)\ny\n') }, receipt: receipt(owned('a.txt', 'x\n<<<<<<< a.txt (edited)\nmine\n=======\nnew\n>>>>>>> a.txt (generated)\ny\n', { base: sha256Hex('x\nnew\ny\n'), conflict: true })), bases: ['x\nnew\ny\n'], refused: 'refusing to overwrite a.txt (has unresolved conflict markers from an earlier merge; resolve them (or --force to take the new render))' },
  { rule: 'edited without a stored base: refused as before', outputs: [out('a.txt', 'v2\n')], disk: { 'a.txt': file('edited\n') }, receipt: receipt(owned('a.txt', 'v1\n')), refused: 'refusing to overwrite a.txt (edited by hand since ggen wrote it; from t.tmpl)' },
  { rule: 'inject: append into an existing file', outputs: [out('a.txt', 'added\n', { inject: true, injectOptions: { append: true } })], disk: { 'a.txt': file('mine\n') }, expected: [['inject', 'a.txt', 'mine\nadded\n', 'inject at the end (t.tmpl)']] },
  { rule: 'inject: skip_if already present', outputs: [out('a.txt', 'added\n', { inject: true, injectOptions: { append: true, skip_if: 'added' } })], disk: { 'a.txt': file('mine\nadded\n') }, expected: [['unchanged', 'a.txt', 'mine\nadded\n', 'skip_if /added/ matched (t.tmpl)']] },
  { rule: 'inject: create the file when missing', outputs: [out('a.txt', 'added\n', { inject: true, injectOptions: { append: true } })], expected: [['create', 'a.txt', 'added\n', 'created by injection from t.tmpl']] },
  { rule: 'inject: backup before changing', outputs: [out('a.txt', 'top\n', { inject: true, injectOptions: { prepend: true }, backup: true })], disk: { 'a.txt': file('mine\n') }, expected: [['inject', 'a.txt', 'top\nmine\n', 'inject at the top (t.tmpl)'], ['create', 'a.txt.backup', 'mine\n', 'backup of a.txt before injection']] },
  { rule: 'region: replace the inside of an owned region', outputs: [out('a.ts', 'new\n', { inject: true, injectOptions: { region: 'r' } })], disk: { 'a.ts': file('keep\n// ggen:begin:r\nold\n// ggen:end:r\nkeep\n') }, expected: [['inject', 'a.ts', 'keep\n// ggen:begin:r\nnew\n// ggen:end:r\nkeep\n', 'replace region "r" (t.tmpl)']] },
  { rule: 'region: create the file with the region', outputs: [out('a.ts', 'new\n', { inject: true, injectOptions: { region: 'r' } })], expected: [['create', 'a.ts', '// ggen:begin:r\nnew\n// ggen:end:r\n', 'created by injection from t.tmpl']] },
  { rule: 'orphan: a previous output no longer produced is reported and kept', outputs: [out('a.txt', 'A\n')], disk: { 'a.txt': file('A\n'), 'gone.txt': file('G\n') }, receipt: receipt(owned('a.txt', 'A\n'), owned('gone.txt', 'G\n')), expected: [['unchanged', 'a.txt', 'A\n', 'content is identical'], ['orphan', 'gone.txt', undefined, 'no longer generated (--prune deletes it)']] },
  { rule: 'prune: an unedited orphan is deleted', outputs: [], disk: { 'gone.txt': file('G\n') }, receipt: receipt(owned('gone.txt', 'G\n')), policy: { prune: true }, expected: [['delete', 'gone.txt', undefined, 'pruned: no longer generated and nobody edited it']] },
  { rule: 'prune: an edited orphan is kept', outputs: [], disk: { 'gone.txt': file('edited\n') }, receipt: receipt(owned('gone.txt', 'G\n')), policy: { prune: true }, expected: [['orphan', 'gone.txt', undefined, 'no longer generated; kept because it was edited by hand (--force deletes it)']] },
  { rule: 'prune + force: an edited orphan is deleted', outputs: [], disk: { 'gone.txt': file('edited\n') }, receipt: receipt(owned('gone.txt', 'G\n')), policy: { prune: true, force: true }, expected: [['delete', 'gone.txt', undefined, 'pruned (forced: it was edited by hand)']] },
  { rule: 'orphan: outputs of templates a partial run did not render are not orphans', outputs: [], disk: { 'other.txt': file('O\n') }, receipt: receipt(owned('other.txt', 'O\n', { template: 'other.tmpl' })), policy: { ranTemplates: new Set(['t.tmpl']) }, expected: [] },
  { rule: 'orphan: injected files are never orphans', outputs: [], disk: { 'a.txt': file('x\n') }, receipt: receipt(owned('a.txt', 'x\n', { kind: 'inject' })), expected: [] },
  { rule: 'two templates writing one path', outputs: [out('a.txt', 'A\n'), out('a.txt', 'B\n', { template: 'b.tmpl' })], refused: 'two templates write a.txt: t.tmpl and b.tmpl' },
  { rule: 'two foreach rows writing one path', outputs: [out('a.txt', 'A\n', { row: 0 }), out('a.txt', 'B\n', { row: 1 })], refused: 'foreach rows 1 and 2 of t.tmpl both write a.txt' },
  { rule: 'a target that is a directory', outputs: [out('d', 'A\n')], disk: { d: { kind: 'not-file' } }, refused: 'target d exists and is not a regular file' },
  { rule: 'every refusal is listed in one error', outputs: [out('a.txt', '1\n'), out('b.txt', '2\n')], disk: { 'a.txt': file('mine\n'), 'b.txt': file('mine\n') }, refused: 'refusing to overwrite 2 files: a.txt (exists and was not written by ggen; from t.tmpl), …' },
];

describe('decideOperations', () => {
  it.each(rows)('$rule', (row) => {
    const bases = new Map((row.bases ?? []).map((b) => [sha256Hex(b), b]));
    const input: DecideInput = {
      outputs: row.outputs,
      disk: new Map(Object.entries(row.disk ?? {})),
      receipt: row.receipt,
      baseOf: (hash) => bases.get(hash),
      policy: { force: false, ranTemplates: 'all', ...row.policy },
    };
    if (row.refused !== undefined) {
      expect(() => decideOperations(input)).toThrow(row.refused);
      return;
    }
    const ops = decideOperations(input);
    expect(ops.map((op) => [op.kind, op.path, op.content, op.reason])).toEqual(row.expected);
    for (const op of ops) {
      expect(op.contentHash).toBe(op.content === undefined ? undefined : sha256Hex(op.content));
      const before = row.disk?.[op.path];
      expect(op.previousHash).toBe(before?.kind === 'file' ? sha256Hex(before.text) : null);
    }
  });

  it('records the pure render as the merge base when the file holds something else', () => {
    const ops = decideOperations({
      outputs: [out('a.txt', 'one\ntwo\nTHREE\n')], disk: new Map([['a.txt', file('ONE\ntwo\nthree\n')]]),
      receipt: receipt(owned('a.txt', 'one\ntwo\nthree\n')), baseOf: (h) => (h === sha256Hex('one\ntwo\nthree\n') ? 'one\ntwo\nthree\n' : undefined),
      policy: { force: false, ranTemplates: 'all' },
    });
    expect(ops[0]!.base).toBe('one\ntwo\nTHREE\n');
  });
});

describe('decideHooks', () => {
  it('collects each hook once, in output order, and drops blank commands', () => {
    const hooks = decideHooks([
      out('a', '', { hooks: { before: 'echo b', after: 'echo a' } }),
      out('b', '', { row: 1, hooks: { before: 'echo b', after: '  ' } }),
      out('c', '', { template: 'u.tmpl', hooks: { before: 'echo b' } }),
    ]);
    expect(hooks).toEqual([
      { kind: 'hook', when: 'before', command: 'echo b', template: 't.tmpl' },
      { kind: 'hook', when: 'after', command: 'echo a', template: 't.tmpl' },
      { kind: 'hook', when: 'before', command: 'echo b', template: 'u.tmpl' },
    ]);
  });
});
