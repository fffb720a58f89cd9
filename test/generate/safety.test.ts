// Writing safely: receipt-based overwrites, injection, owned regions, freeze blocks, hooks, all-or-nothing, confinement.
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { readTree, tree, writeTree } from './fixtures.js';

describe('overwrite rule', () => {
  it('regenerates files ggen wrote, refuses hand edits unless forced, and says which', async () => {
    const dir = tree({ 'p/t.tmpl': '---\nto: a.txt\n---\nv{{ n }}\n', 'p/ggen.toml': 'output = "out"\n[vars]\nn = "1"\n' });
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    const again = await runGgen(['project', 'gen', 'p', '--var', 'n=2'], { cwd: dir });
    expect(again.stdout).toBe('overwrite p/out/a.txt\n');
    expect(readFileSync(join(dir, 'p/out/a.txt'), 'utf8')).toBe('v2\n');
    writeFileSync(join(dir, 'p/out/a.txt'), 'edited by hand\n');
    const refused = await runGgen(['project', 'gen', 'p', '--var', 'n=3'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: refusing to overwrite a.txt (edited by hand since ggen wrote it, and the edits conflict with the new render at line 1; from t.tmpl)\n  hint: nothing was written; resolve by hand, rerun with --conflicts=markers to write conflict markers, or --force to take the new render\n');
    expect(readFileSync(join(dir, 'p/out/a.txt'), 'utf8')).toBe('edited by hand\n');
    const forced = await runGgen(['project', 'gen', 'p', '--var', 'n=3', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'p/out/a.txt'), 'utf8')).toBe('v3\n');
  });

  it('refuses a file ggen never wrote, and skips it with unless_exists', async () => {
    const dir = tree({ 'a.tmpl': '---\nto: a.txt\n---\nnew\n', 'b.tmpl': '---\nto: b.txt\nunless_exists: true\n---\nnew\n', 'a.txt': 'mine\n', 'b.txt': 'mine\n' });
    const r = await runGgen(['gen', 'a.tmpl'], { cwd: dir });
    expect(r.stderr).toMatch(/^error: refusing to overwrite a\.txt \(exists and was not written by ggen; from a\.tmpl\)\n/);
    const s = await runGgen(['gen', 'b.tmpl'], { cwd: dir });
    expect(s.stdout).toBe('skip      b.txt  (file exists and unless_exists is set)\n');
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('mine\n');
  });

  it('keeps freeze blocks edited by hand across regeneration, without --force', async () => {
    const tmpl = '---\nto: a.ts\n---\n// v{{ n }}\nfunction f() {\n  // ggen:freeze:start:body\n  return 0;\n  // ggen:freeze:end:body\n}\n';
    const dir = tree({ 'p/t.tmpl': tmpl, 'p/ggen.toml': '[vars]\nn = "1"\n' });
    await runGgen(['project', 'gen', 'p'], { cwd: dir });
    const file = join(dir, 'p/a.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('return 0;', 'return 42; // mine'));
    const r = await runGgen(['project', 'gen', 'p', '--var', 'n=2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('// v2\nfunction f() {\n  // ggen:freeze:start:body\n  return 42; // mine\n  // ggen:freeze:end:body\n}\n');
  });
});

describe('injection', () => {
  const files = {
    'mod.tmpl': '---\nto: src/lib.rs\ninject: true\nafter: "// modules"\nforeach: mods\nsparql:\n  mods: "SELECT ?m WHERE { VALUES ?m { \\"a\\" \\"b\\" } } ORDER BY ?m"\n---\npub mod {{ row.m }};\n',
    'src/lib.rs': '// hand written\n// modules\nfn main() {}\n',
  };
  it('is idempotent and per-row, and a second run changes nothing', async () => {
    const dir = tree(files);
    const first = await runGgen(['gen', 'mod.tmpl'], { cwd: dir });
    expect(first.stdout).toBe('inject    src/lib.rs\n');
    expect(readFileSync(join(dir, 'src/lib.rs'), 'utf8')).toBe('// hand written\n// modules\npub mod a;\npub mod b;\nfn main() {}\n');
    const second = await runGgen(['gen', 'mod.tmpl'], { cwd: dir });
    expect(second.stderr).toBe('1 unchanged · receipt .ggen/receipt.json\n');
    expect(readFileSync(join(dir, 'src/lib.rs'), 'utf8')).toBe('// hand written\n// modules\npub mod a;\npub mod b;\nfn main() {}\n');
  });

  it('errors when the anchor is not found, naming it, and writes nothing', async () => {
    const dir = tree({ ...files, 'src/lib.rs': 'fn main() {}\n' });
    const r = await runGgen(['gen', 'mod.tmpl'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: mod.tmpl: injection anchor "// modules" (after:) not found in src/lib.rs\n  hint: the anchor is a substring of one line of the target file; fix it or the target\n');
    expect(readFileSync(join(dir, 'src/lib.rs'), 'utf8')).toBe('fn main() {}\n');
  });

  it('owned regions are replaced in place on regeneration, never duplicated', async () => {
    const dir = tree({ 'r.tmpl': '---\nto: app.py\nregion: imports\n---\n{% for n in names | split(pat=",") %}import {{ n }}\n{% endfor %}', 'app.py': '#!/usr/bin/env python3\nprint("hi")\n' });
    await runGgen(['gen', 'r.tmpl', '--var', 'names=os,sys'], { cwd: dir });
    await runGgen(['gen', 'r.tmpl', '--var', 'names=json'], { cwd: dir });
    expect(readFileSync(join(dir, 'app.py'), 'utf8')).toBe('#!/usr/bin/env python3\nprint("hi")\n# ggen:begin:imports\nimport json\n# ggen:end:imports\n');
  });
});

describe('hooks', () => {
  it('are listed but refused without --allow-hooks, and run with it, output captured', async () => {
    const dir = tree({ 't.tmpl': '---\nto: a.txt\nsh_before: "echo before-{{ x }}"\nsh_after: "cat a.txt"\nvars:\n  x: 1\n---\ncontent\n' });
    const dry = await runGgen(['gen', 't.tmpl', '--dry-run'], { cwd: dir });
    expect(dry.stdout).toBe('would create    a.txt\nwould run sh_before echo before-1  (t.tmpl; needs --allow-hooks)\nwould run sh_after cat a.txt  (t.tmpl; needs --allow-hooks)\n');
    const refused = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: t.tmpl: t.tmpl declares a sh_before hook (echo before-1); hooks run only with --allow-hooks\n  hint: rerun with --allow-hooks to run all 2 hooks (see them with --dry-run)\n');
    expect(existsSync(join(dir, 'a.txt'))).toBe(false);
    const ran = await runGgen(['gen', 't.tmpl', '--allow-hooks'], { cwd: dir });
    expect(ran.stdout).toBe('create    a.txt\nran sh_before echo before-1  (exit 0)\n  | before-1\nran sh_after cat a.txt  (exit 0)\n  | content\n');
  });

  it('a failing sh_after hook rolls every write back', async () => {
    const dir = tree({ 'a.tmpl': '---\nto: new/a.txt\n---\nA\n', 'b.tmpl': '---\nto: b.txt\nsh_after: "exit 3"\n---\nB\n', 'b.txt': 'old\n', '.ggen/receipt.json': '' });
    writeFileSync(join(dir, '.ggen/receipt.json'), JSON.stringify({ version: 1, graph: { hash: '', files: [] }, templates: [], vars: {}, seed: '0', outputs: [{ path: 'b.txt', hash: 'e6c7b7a0f0f0b0c1c9a4c0d5a1c0b29a1a7a02b7e6b3ddc7f5a3c0f4e9a9f9c8', hashOutsideFrozen: 'e6c7b7a0f0f0b0c1c9a4c0d5a1c0b29a1a7a02b7e6b3ddc7f5a3c0f4e9a9f9c8', template: 'b.tmpl', kind: 'file' }] }));
    const before = readTree(dir, { withGgen: true });
    const r = await runGgen(['gen', 'a.tmpl', 'b.tmpl', '--allow-hooks', '--force'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: b.tmpl: sh_after hook of b.tmpl failed with exit code 3: exit 3\n  hint: nothing was written; fix the hook or the command it runs\n');
    expect(readTree(dir, { withGgen: true })).toEqual(before);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    const fresh = await runGgen(['gen', 'a.tmpl', 'b.tmpl', '--allow-hooks', '--out', 'fresh/out'], { cwd: dir });
    expect(fresh.code).toBe(1);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });
});

describe('targets', () => {
  it('two templates writing one path is an error naming both', async () => {
    const dir = tree({ 'a.tmpl': '---\nto: same.txt\n---\nA\n', 'b.tmpl': '---\nto: ./x/../same.txt\n---\nB\n' });
    const r = await runGgen(['gen', 'b.tmpl', 'a.tmpl'], { cwd: dir });
    expect(r.stderr).toBe('error: a.tmpl: two templates write same.txt: a.tmpl and b.tmpl\n  hint: make their to: paths differ (for foreach, include a row value in to:)\n');
    expect(existsSync(join(dir, 'same.txt'))).toBe(false);
    const rows = tree({ 't.tmpl': '---\nto: same.txt\nforeach: q\nsparql:\n  q: "SELECT ?x WHERE { VALUES ?x { 1 2 } }"\n---\n{{ row.x }}\n' });
    expect((await runGgen(['gen', 't.tmpl'], { cwd: rows })).stderr).toBe('error: t.tmpl: foreach rows 1 and 2 of t.tmpl both write same.txt\n  hint: make their to: paths differ (for foreach, include a row value in to:)\n');
  });

  it('refuses a symlink that leads outside the output root', async () => {
    const outside = tree({});
    const dir = tree({ 't.tmpl': '---\nto: link/x.txt\n---\nX\n' });
    symlinkSync(outside, join(dir, 'out-link'));
    symlinkSync(outside, join(dir, 'link'));
    const r = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: t.tmpl: "to:" link/x.txt goes through a symlink that leads outside the output root');
    expect(readTree(outside)).toEqual({});
  });
});

describe('more injection options', () => {
  it('at_line, prepend, eof_last, backup and from: behave as documented', async () => {
    const dir = tree({
      'line.tmpl': '---\nto: a.txt\ninject: true\nat_line: 2\n---\nINSERTED\n',
      'top.tmpl': '---\nto: b.txt\ninject: true\nprepend: true\nbackup: true\n---\n#!/bin/sh\n',
      'eof.tmpl': '---\nto: c.txt\ninject: true\neof_last: true\n---\nlast\n',
      'from.tmpl': '---\nto: d.txt\nfrom: parts/body.tera\n---\nignored\n',
      'parts/body.tera': 'from {{ who }}\n',
      'a.txt': '1\n2\n3\n', 'b.txt': 'echo hi\n', 'c.txt': 'no newline',
    });
    const r = await runGgen(['gen', 'line.tmpl', 'top.tmpl', 'eof.tmpl', 'from.tmpl', '--var', 'who=file'], { cwd: dir });
    expect(r.stdout).toBe('inject    a.txt\ninject    b.txt\ncreate    b.txt.backup\ninject    c.txt\ncreate    d.txt\n');
    expect(readTree(dir)).toMatchObject({ 'a.txt': '1\nINSERTED\n2\n3\n', 'b.txt': '#!/bin/sh\necho hi\n', 'b.txt.backup': 'echo hi\n', 'c.txt': 'no newline\nlast\n', 'd.txt': 'from file\n' });
  });
});

describe('recovery', () => {
  it('the next run undoes a run that was killed while renaming', async () => {
    const dir = tree({ 't.tmpl': '---\nto: other.txt\n---\nx\n', 'kept.txt': 'placeholder\n' });
    // State after a kill: kept.txt was moved to the staging backup, new.txt (did not exist before) was renamed in.
    const staging = join(dir, '.ggen/staging-2147483646-0000dead');
    writeTree(dir, { '.ggen/staging-2147483646-0000dead/b0': 'original content\n', 'new.txt': 'half-applied\n' });
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, 'kept.txt'));
    // The journal ggen itself would have written (signed with this user's key).
    const { serializeJournal } = await import('../../src/generate/journal.js');
    writeFileSync(join(staging, 'journal.json'), serializeJournal({
      ggenJournal: 1, root: dir, dirs: [],
      entries: [{ path: 'kept.txt', staged: 'f0', backup: 'b0' }, { path: 'new.txt', staged: 'f1', backup: null }],
    }, process.env));
    const r = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readTree(dir)).toEqual({ 'kept.txt': 'original content\n', 'other.txt': 'x\n', 't.tmpl': '---\nto: other.txt\n---\nx\n' });
    expect(readdirSync(join(dir, '.ggen'))).toEqual(['cache', 'objects', 'receipt.json']);
  });
});

describe('new directories', () => {
  it('files in directories that do not exist yet arrive whole, beside existing ones, and leave no staging behind', async () => {
    const dir = tree({
      't.tmpl': '---\nto: "{{ row.d }}/{{ row.n }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?d ?n WHERE { VALUES (?d ?n) { (\'gen/a/b\' \'one\') (\'gen/a\' \'two\') (\'gen/c\' \'three\') (\'old\' \'four\') (\'old/new\' \'five\') } }"\n---\n{{ row.n }}\n',
      'old/kept.txt': 'kept\n',
    });
    const r = await runGgen(['gen', 't.tmpl', '--quiet'], { cwd: dir });
    expect([r.code, r.stdout + r.stderr]).toEqual([0, '5 created · receipt .ggen/receipt.json\n']);
    expect(readTree(dir)).toEqual({
      'gen/a/b/one.txt': 'one\n', 'gen/a/two.txt': 'two\n', 'gen/c/three.txt': 'three\n', 'old/four.txt': 'four\n', 'old/new/five.txt': 'five\n',
      'old/kept.txt': 'kept\n', 't.tmpl': expect.any(String),
    });
    expect(readdirSync(join(dir, '.ggen')).sort()).toEqual(['cache', 'objects', 'receipt.json']);
  });

  it('the next run undoes a killed run whose new directory was already moved in, keeping what someone added since', async () => {
    const dir = tree({ 't.tmpl': '---\nto: other.txt\n---\nx\n' });
    // State after a kill: gen/ (did not exist before) was moved in whole; someone then added gen/mine.txt.
    const staging = join(dir, '.ggen/staging-2147483646-0000beef');
    writeTree(dir, { '.ggen/staging-2147483646-0000beef/f9': 'unused\n', 'gen/a.txt': 'A\n', 'gen/sub/b.txt': 'B\n', 'gen2/c.txt': 'C\n', 'gen2/mine.txt': 'mine\n' });
    const { serializeJournal } = await import('../../src/generate/journal.js');
    writeFileSync(join(staging, 'journal.json'), serializeJournal({
      ggenJournal: 1, root: dir, dirs: ['gen', 'gen/sub', 'gen2'],
      entries: [{ path: 'gen/a.txt', staged: 't/gen/a.txt', backup: null }, { path: 'gen/sub/b.txt', staged: 't/gen/sub/b.txt', backup: null }, { path: 'gen2/c.txt', staged: 't/gen2/c.txt', backup: null }],
    }, process.env));
    const r = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readTree(dir)).toEqual({ 'gen2/mine.txt': 'mine\n', 'other.txt': 'x\n', 't.tmpl': '---\nto: other.txt\n---\nx\n' });
  });
});

describe('interruption', () => {
  it('SIGTERM while a hook runs stops it and leaves the tree as it was', async () => {
    const { spawn } = await import('node:child_process');
    const { ggenBin } = await import('../helpers/cli.js');
    const dir = tree({ 't.tmpl': '---\nto: new/a.txt\nsh_after: "echo started; sleep 20"\n---\nA\n', 'u.tmpl': '---\nto: b.txt\n---\nB\n', 'b.txt': 'old\n' });
    const before = readTree(dir, { withGgen: true });
    const child = spawn(process.execPath, [ggenBin, 'gen', 't.tmpl', 'u.tmpl', '--allow-hooks', '--force'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The files are renamed into place before sh_after runs: wait until they are there.
    for (let i = 0; i < 200 && !existsSync(join(dir, 'new/a.txt')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(join(dir, 'new/a.txt'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toBe('error: interrupted: nothing was changed\n');
    expect(readTree(dir, { withGgen: true })).toEqual(before);
  });
});
