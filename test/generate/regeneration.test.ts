// The daily loop (issue 11): ownership by default, empty queries, orphans and --prune, 3-way merge of hand
// edits, one definition of drift across gen / diff --check / verify, and verify from the receipt's inputs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

const CLASSES = (names: string[]) => `@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n${names.map((n) => `ex:${n} a rdfs:Class ; rdfs:label "${n}" .`).join('\n')}\n`;
const CLASS_TMPL = '---\nto: "{{ row.label }}.txt"\nforeach: classes\nsparql:\n  classes: "SELECT ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label"\n---\nclass {{ row.label }}\nline 2\nline 3\nline 4\n';

function classProject(names: string[]): string {
  return tree({ 'p/ggen.toml': 'graph = ["model.ttl"]\noutput = "out"\ntemplates = "templates"\n', 'p/model.ttl': CLASSES(names), 'p/templates/class.tmpl': CLASS_TMPL });
}

describe('ownership by default', () => {
  it('gen twice with an edited template regenerates without --force (failure 1)', async () => {
    const dir = tree({ 'a.tmpl': '---\nto: out.txt\n---\nv1\n' });
    expect((await runGgen(['gen', 'a.tmpl'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'a.tmpl'), '---\nto: out.txt\n---\nv2\n');
    const again = await runGgen(['gen', 'a.tmpl'], { cwd: dir });
    expect([again.code, again.stdout]).toEqual([0, 'overwrite out.txt\n']);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('v2\n');
  });

  it('--no-receipt keeps no state, and then overwrites need --force', async () => {
    const dir = tree({ 'a.tmpl': '---\nto: out.txt\n---\nv1\n' });
    expect((await runGgen(['gen', 'a.tmpl', '--no-receipt'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, '.ggen'))).toBe(false);
    writeFileSync(join(dir, 'a.tmpl'), '---\nto: out.txt\n---\nv2\n');
    const refused = await runGgen(['gen', 'a.tmpl', '--no-receipt'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to overwrite out.txt (exists and was not written by ggen; from a.tmpl)');
    expect((await runGgen(['gen', 'a.tmpl', '--no-receipt', '--force'], { cwd: dir })).code).toBe(0);
  });
});

describe('empty and vanished outputs', () => {
  it('a foreach query with zero rows warns, --strict fails, and the receipt keeps the outputs (failure 2)', async () => {
    const dir = classProject(['Alpha', 'Beta']);
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'p/templates/class.tmpl'), CLASS_TMPL.replace('rdfs:label ?label }', 'rdfs:labl ?label }'));
    const strict = await runGgen(['project', 'gen', 'p', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('error: templates/class.tmpl:5:12: query "classes" returned no rows (foreach over it writes no files) (--strict)\n  hint: check the query against the graph: a typo in a prefix or property (rdfs:labl) matches nothing\n');
    const warned = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe('warning: templates/class.tmpl:5:12: query "classes" returned no rows (foreach over it writes no files) (check the query against the graph: a typo in a prefix or property (rdfs:labl) matches nothing)\n2 orphaned · receipt p/out/.ggen/receipt.json\n');
    expect(warned.stdout).toBe('orphan    p/out/Alpha.txt  (no longer generated (--prune deletes it))\norphan    p/out/Beta.txt  (no longer generated (--prune deletes it))\n');
    // The fix: the files are still ggen's, so regenerating them needs no --force.
    writeFileSync(join(dir, 'p/templates/class.tmpl'), CLASS_TMPL.replace('line 2', 'line two'));
    const fixed = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([fixed.code, fixed.stdout]).toEqual([0, 'overwrite p/out/Alpha.txt\noverwrite p/out/Beta.txt\n']);
  });

  it('a removed class is an orphan in gen, diff --check and verify, until --prune (failure 3)', async () => {
    const dir = classProject(['Alpha', 'Beta', 'Gamma']);
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'p/model.ttl'), CLASSES(['Alpha', 'Gamma']));
    const diff = await runGgen(['project', 'diff', 'p', '--check'], { cwd: dir });
    expect([diff.code, diff.stdout]).toEqual([1, 'orphan    Beta.txt  (no longer generated (--prune deletes it))\n']);
    const diffJson = JSON.parse((await runGgen(['project', 'diff', 'p', '--check', '--json'], { cwd: dir })).stdout);
    expect(diffJson.changed).toEqual([{ kind: 'orphan', path: 'Beta.txt', drift: 'output-gone', detail: 'generation no longer produces this file' }]);
    const verify = await runGgen(['project', 'verify', 'p'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('output-gone       Beta.txt  generation no longer produces this file\n');
    const gen = await runGgen(['project', 'gen', 'p', '--json'], { cwd: dir });
    expect(JSON.parse(gen.stdout).operations.filter((o: { kind: string }) => o.kind === 'orphan').map((o: { path: string }) => o.path)).toEqual(['Beta.txt']);
    expect(existsSync(join(dir, 'p/out/Beta.txt'))).toBe(true);
    // Still reported on the next run (the receipt keeps it), then pruned.
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).stdout).toBe('orphan    p/out/Beta.txt  (no longer generated (--prune deletes it))\n');
    const pruned = await runGgen(['project', 'gen', 'p', '--prune'], { cwd: dir });
    expect([pruned.code, pruned.stdout]).toEqual([0, 'delete    p/out/Beta.txt\n']);
    expect(existsSync(join(dir, 'p/out/Beta.txt'))).toBe(false);
    expect((await runGgen(['project', 'verify', 'p'], { cwd: dir })).code).toBe(0);
    expect((await runGgen(['project', 'diff', 'p', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('an edited orphan is kept by --prune unless --force', async () => {
    const dir = classProject(['Alpha', 'Beta']);
    await runGgen(['project', 'gen', 'p'], { cwd: dir });
    writeFileSync(join(dir, 'p/out/Beta.txt'), 'my notes\n');
    writeFileSync(join(dir, 'p/model.ttl'), CLASSES(['Alpha']));
    const kept = await runGgen(['project', 'gen', 'p', '--prune'], { cwd: dir });
    expect([kept.code, kept.stdout]).toEqual([0, 'orphan    p/out/Beta.txt  (no longer generated; kept because it was edited by hand (--force deletes it))\n']);
    const forced = await runGgen(['project', 'gen', 'p', '--prune', '--force'], { cwd: dir });
    expect([forced.code, forced.stdout]).toEqual([0, 'delete    p/out/Beta.txt\n']);
    expect(existsSync(join(dir, 'p/out/Beta.txt'))).toBe(false);
  });
});

describe('an edited orphan that comes back', () => {
  it('is still a hand edit when its class returns: kept, never taken for the file ggen wrote', async () => {
    const dir = classProject(['Alpha', 'Beta']);
    await runGgen(['project', 'gen', 'p'], { cwd: dir });
    writeFileSync(join(dir, 'p/out/Beta.txt'), 'my notes\n');
    writeFileSync(join(dir, 'p/model.ttl'), CLASSES(['Alpha']));
    for (let i = 0; i < 2; i++) {
      const kept = await runGgen(['project', 'gen', 'p'], { cwd: dir });
      expect([kept.code, kept.stdout]).toEqual([0, 'orphan    p/out/Beta.txt  (no longer generated; kept because it was edited by hand)\n']);
    }
    writeFileSync(join(dir, 'p/model.ttl'), CLASSES(['Alpha', 'Beta']));
    const back = await runGgen(['--json', 'project', 'gen', 'p'], { cwd: dir });
    expect(back.code).toBe(0);
    const ops = (JSON.parse(back.stdout) as { operations: Array<{ kind: string; path: string; reason: string }> }).operations;
    expect(ops.find((o) => o.path === 'Beta.txt')).toMatchObject({ kind: 'unchanged', reason: 'hand edits kept (nothing new to merge)' });
    expect(readFileSync(join(dir, 'p/out/Beta.txt'), 'utf8')).toBe('my notes\n');
  });
});

describe('hand edits: 3-way merge (failure 4)', () => {
  it('merges a clean edit, refuses a conflict listing lines, writes markers on request, and --force takes the render', async () => {
    const dir = classProject(['Alpha', 'Beta']);
    await runGgen(['project', 'gen', 'p'], { cwd: dir });
    writeFileSync(join(dir, 'p/out/Alpha.txt'), 'class Alpha\nline 2\nline 3\nline 4 // my note\n');
    writeFileSync(join(dir, 'p/templates/class.tmpl'), CLASS_TMPL.replace('line 2', 'line two'));
    const diff = await runGgen(['project', 'diff', 'p'], { cwd: dir });
    expect(diff.stdout).toContain(' class Alpha\n-line 2\n+line two\n line 3\n line 4 // my note\n');
    const merged = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([merged.code, merged.stdout]).toEqual([0, 'merge     p/out/Alpha.txt\noverwrite p/out/Beta.txt\n']);
    expect(readFileSync(join(dir, 'p/out/Alpha.txt'), 'utf8')).toBe('class Alpha\nline two\nline 3\nline 4 // my note\n');
    expect((await runGgen(['project', 'verify', 'p'], { cwd: dir })).code).toBe(0);

    // Both sides change line 2: the run fails, nothing written, every file listed with its lines.
    writeFileSync(join(dir, 'p/out/Alpha.txt'), 'class Alpha\nline TWO (mine)\nline 3\nline 4 // my note\n');
    writeFileSync(join(dir, 'p/out/Beta.txt'), 'class Beta\nline 2 (mine)\nline 3\nline 4\n');
    writeFileSync(join(dir, 'p/templates/class.tmpl'), CLASS_TMPL.replace('line 2', 'line 2 (template)'));
    const refused = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: refusing to overwrite 2 files: Alpha.txt (edited by hand since ggen wrote it, and the edits conflict with the new render at line 2; from templates/class.tmpl (foreach row 1)), …\n'
      + '  Alpha.txt (edited by hand since ggen wrote it, and the edits conflict with the new render at line 2; from templates/class.tmpl (foreach row 1))\n'
      + '  Beta.txt (edited by hand since ggen wrote it, and the edits conflict with the new render at line 2; from templates/class.tmpl (foreach row 2))\n'
      + '  hint: nothing was written; resolve by hand, rerun with --conflicts=markers to write conflict markers, or --force to take the new render\n');
    expect(readFileSync(join(dir, 'p/out/Beta.txt'), 'utf8')).toBe('class Beta\nline 2 (mine)\nline 3\nline 4\n');

    const marked = await runGgen(['project', 'gen', 'p', '--conflicts=markers'], { cwd: dir });
    expect([marked.code, marked.stdout]).toEqual([0, 'conflict  p/out/Alpha.txt  (merged with 1 conflict marked in the file)\nconflict  p/out/Beta.txt  (merged with 1 conflict marked in the file)\n']);
    expect(readFileSync(join(dir, 'p/out/Beta.txt'), 'utf8')).toBe('class Beta\n<<<<<<< Beta.txt (edited)\nline 2 (mine)\n=======\nline 2 (template)\n>>>>>>> Beta.txt (generated)\nline 3\nline 4\n');
    const verify = await runGgen(['project', 'verify', 'p'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('output-conflict   Beta.txt  has unresolved conflict markers from an earlier merge');
    // Resolving the markers by hand makes the tree clean again.
    writeFileSync(join(dir, 'p/out/Beta.txt'), 'class Beta\nline 2 (template)\nline 3\nline 4\n');
    const forced = await runGgen(['project', 'gen', 'p', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'p/out/Alpha.txt'), 'utf8')).toBe('class Alpha\nline 2 (template)\nline 3\nline 4\n');
    expect((await runGgen(['project', 'verify', 'p'], { cwd: dir })).code).toBe(0);
  });
});

describe('one definition of drift (failure 5)', () => {
  const FROZEN = '---\nto: a.ts\n---\nexport const a = {{ v }};\n// ggen:freeze:start:body\n// your code\n// ggen:freeze:end:body\n';
  type State = [string, (dir: string) => void, string, number, number];
  const states: State[] = [
    ['nothing changed', () => undefined, 'unchanged', 0, 0],
    ['an edit inside a freeze block', (d) => writeFileSync(join(d, 'p/out/a.ts'), readFileSync(join(d, 'p/out/a.ts'), 'utf8').replace('// your code', 'const mine = 1;')), 'unchanged', 0, 0],
    ['an edit outside freeze blocks, template unchanged (kept)', (d) => writeFileSync(join(d, 'p/out/a.ts'), `${readFileSync(join(d, 'p/out/a.ts'), 'utf8')}// note\n`), 'unchanged', 0, 0],
    ['a var change', (d) => writeFileSync(join(d, 'p/ggen.toml'), 'output = "out"\n[vars]\nv = "2"\n'), 'overwrite', 1, 1],
    ['a deleted output', (d) => writeFileSync(join(d, 'p/x.tmpl'), '---\nto: x.txt\n---\nx\n'), 'create', 1, 1],
  ];
  it.each(states)('%s', async (_name, change, word, diffCode, verifyCode) => {
    const dir = tree({ 'p/a.tmpl': FROZEN, 'p/ggen.toml': 'output = "out"\n[vars]\nv = "1"\n' });
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    change(dir);
    const diff = await runGgen(['project', 'diff', 'p', '--check'], { cwd: dir });
    const verify = await runGgen(['project', 'verify', 'p'], { cwd: dir });
    const gen = await runGgen(['project', 'gen', 'p', '--json'], { cwd: dir });
    const kinds = JSON.parse(gen.stdout).operations.map((o: { kind: string }) => o.kind);
    expect([diff.code, verify.code, kinds.includes(word)]).toEqual([diffCode, verifyCode, true]);
    expect(kinds.every((k: string) => k === 'unchanged')).toBe(diffCode === 0);
  });
});

describe('verify uses the receipt\'s inputs (failure 6)', () => {
  it('a tree generated with --var verifies without repeating it; a flag still overrides', async () => {
    const dir = tree({ 'p/a.tmpl': '---\nto: a.txt\n---\nv={{ v }}\n', 'p/ggen.toml': 'output = "out"\n[vars]\nv = "1"\n' });
    expect((await runGgen(['project', 'gen', 'p', '--var', 'v=2'], { cwd: dir })).code).toBe(0);
    expect((await runGgen(['project', 'verify', 'p'], { cwd: dir })).stdout).toBe('ok: outputs, templates and graph match the receipt\n');
    const other = await runGgen(['project', 'verify', 'p', '--var', 'v=3'], { cwd: dir });
    expect([other.code, other.stdout]).toEqual([1, 'output-stale      a.txt  regenerating would change this file\n']);
  });
});

describe('small things', () => {
  it('--quiet prints only the summary; project commands accept a template file (1.x scripts)', async () => {
    const dir = tree({ 'hello.tmpl': '---\nto: hello.txt\n---\nHello, {{ name }}!\n' });
    const r = await runGgen(['project', 'gen', 'hello.tmpl', '--var', 'name=World', '--quiet'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '1 created · receipt .ggen/receipt.json\n']);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('Hello, World!\n');
  });

  it('a missing variable suggests --var', async () => {
    const dir = tree({ 't.tmpl': '---\nto: t.txt\n---\n{{ name }}\n' });
    const r = await runGgen(['gen', 't.tmpl'], { cwd: dir });
    expect(r.stderr).toContain('hint: pass it with --var name=…');
  });

  it('template lint: an undeclared variable is a warning, an error with --strict; ggen.toml prefixes count', async () => {
    const dir = tree({
      'p/ggen.toml': 'graph = ["m.ttl"]\n[prefixes]\nex = "http://example.org/"\n',
      'p/m.ttl': '<http://example.org/a> <http://example.org/p> "x" .\n',
      'p/t.tmpl': '---\nto: t.txt\nsparql:\n  q: "SELECT ?s WHERE { ?s ex:p ?o }"\n---\n{{ name }}\n',
    });
    const lint = await runGgen(['template', 'lint', 'p/t.tmpl'], { cwd: dir });
    expect([lint.code, lint.stdout]).toEqual([0, 'p/t.tmpl:6:4: warning: variable "name" is used but not declared\n  hint: declare it under vars: with a default (--var name=… overrides it), or guard it with | default(value=…)\n']);
    const strict = await runGgen(['template', 'lint', 'p/t.tmpl', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('p/t.tmpl:6:4: error: variable "name" is used but not declared');
  });
});

describe('progress', () => {
  it('counts outputs, not templates: a 3-row foreach is 3 steps', async () => {
    const { planGeneration } = await import('../../src/generate/plan.js');
    const dir = tree({
      'a.tmpl': '---\nto: "{{ row.n }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?n WHERE { VALUES ?n { 1 2 3 } } ORDER BY ?n"\n---\nx\n',
      'b.tmpl': '---\nto: b.txt\n---\nb\n',
    });
    const steps: Array<[number, number]> = [];
    await planGeneration({ templates: ['a.tmpl', 'b.tmpl'], outDir: '.', cwd: dir, onProgress: (done, total) => steps.push([done, total]) });
    expect(steps).toEqual([[0, 4], [1, 4], [2, 4], [3, 4], [3, 4], [4, 4]]);
  });
});
