// The SHACL gate from the built CLI: ggen.toml `shapes`, --shapes and frontmatter `shape:` are checked before
// anything renders; a sh:Violation refuses with the report and writes nothing, other severities warn.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { withWatch } from '../helpers/watch.js';
import { readTree, tree } from './fixtures.js';

const PREFIXES = '@prefix ex: <http://example.org/> .\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n';
const GOOD = `${PREFIXES}ex:alice a ex:Person ; ex:name "Alice" .\nex:bob a ex:Person ; ex:name "Bob" .\n`;
const BAD = `${PREFIXES}ex:alice a ex:Person ; ex:name "Alice" .\nex:bob a ex:Person .\n`;
const SHAPES = `${PREFIXES}ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ; sh:property ex:NameShape .
ex:NameShape sh:path ex:name ; sh:minCount 1 ; sh:message "every person needs a name" .
`;
/** The same, plus an age that is only recommended (sh:Warning). */
const SHAPES_WARN = `${SHAPES}ex:PersonShape sh:property ex:AgeShape .
ex:AgeShape sh:path ex:age ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "an age is recommended" .
`;
/** Stricter: an age is required (sh:Violation). */
const SHAPES_AGE = `${SHAPES}ex:PersonShape sh:property ex:AgeShape .
ex:AgeShape sh:path ex:age ; sh:minCount 1 ; sh:message "every person needs an age" .
`;
const TEMPLATE = '---\nto: people.txt\nsparql:\n  people: "PREFIX ex: <http://example.org/> SELECT ?name WHERE { ?p a ex:Person ; ex:name ?name } ORDER BY ?name"\n---\n{% for r in sparql_results.people %}{{ r.name }}\n{% endfor %}';

const project = (data = GOOD, shapes = SHAPES) => tree({
  'p/ggen.toml': 'graph = ["data.ttl"]\nshapes = ["shapes.ttl"]\noutput = "out"\n',
  'p/data.ttl': data,
  'p/shapes.ttl': shapes,
  'p/templates/people.tmpl': TEMPLATE,
});

/** Everything on disk, .ggen state, merge bases and caches included. */
const snapshot = (dir: string) => readTree(dir, { withGgen: true, withObjects: true, withCache: true });

const REFUSED = [
  'error: the project graph does not conform to its SHACL shapes (1 violation); nothing was written',
  '  the project graph against shapes.ttl:',
  '    Violation: every person needs a name (focus ex:bob, path ex:name, shape ex:NameShape)',
  '    1 violation, 0 warnings, 0 info',
  '  hint: fix the data or the shapes (`ggen graph validate DATA --shapes SHAPES` shows the full report); --no-validate generates anyway',
  '',
].join('\n');

describe('SHACL gate: ggen.toml shapes', () => {
  it('generates when the graph conforms', async () => {
    const dir = project();
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'create    p/out/people.txt\n', '1 created · receipt p/out/.ggen/receipt.json\n']);
    expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\nBob\n');
  });

  it('refuses a violation with the report, exit 1, and nothing on disk changed (not even .ggen)', async () => {
    const dir = project(BAD);
    const before = snapshot(dir);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', REFUSED]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('reads shapes from a [generate] table too', async () => {
    const dir = project(BAD);
    writeFileSync(join(dir, 'p/ggen.toml'), '[generate]\ngraph = "data.ttl"\nshapes = "shapes.ttl"\noutput = "out"\n');
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', REFUSED]);
  });

  it('refuses after an earlier successful run without touching its outputs or state', async () => {
    const dir = project();
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'p/data.ttl'), BAD);
    const before = snapshot(dir);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', REFUSED]);
    expect(snapshot(dir)).toEqual(before);
    // plan, diff and verify refuse the same way.
    for (const cmd of ['plan', 'diff', 'verify']) {
      const x = await runGgen(['project', cmd, 'p'], { cwd: dir });
      expect([cmd, x.code, x.stdout, x.stderr]).toEqual([cmd, 1, '', REFUSED]);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('puts the report in --json output', async () => {
    const dir = project(BAD);
    const r = await runGgen(['--json', 'project', 'gen', 'p'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: { code: 'E_SHACL', message: 'the project graph does not conform to its SHACL shapes (1 violation); nothing was written' },
      shacl: [{
        graph: 'project', template: null, shapes: ['shapes.ttl'], conforms: false, refuses: true, violations: 1, warnings: 0, infos: 0, otherSeverities: {},
        results: [{
          severity: 'Violation', focusNode: { type: 'uri', value: 'http://example.org/bob' }, path: '<http://example.org/name>', value: null,
          message: 'every person needs a name', shape: { type: 'uri', value: 'http://example.org/NameShape' }, constraint: 'http://www.w3.org/ns/shacl#MinCountConstraintComponent',
        }],
      }],
    });
    const plan = await runGgen(['--json', 'project', 'plan', 'p'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(JSON.parse(plan.stdout).shacl[0].violations).toBe(1);
  });

  it('--no-validate generates anyway (gen, plan, diff, verify)', async () => {
    const dir = project(BAD);
    const r = await runGgen(['project', 'gen', 'p', '--no-validate'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '1 created · receipt p/out/.ggen/receipt.json\n']);
    expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\n');
    expect((await runGgen(['project', 'plan', 'p', '--no-validate'], { cwd: dir })).code).toBe(0);
    expect((await runGgen(['project', 'diff', 'p', '--check', '--no-validate'], { cwd: dir })).code).toBe(0);
    expect((await runGgen(['project', 'verify', 'p', '--no-validate'], { cwd: dir })).code).toBe(0);
    // A run that skipped the check records no pass: the next checked run validates, and refuses.
    const again = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([again.code, again.stderr]).toEqual([1, REFUSED]);
  });

  it('prints warning-severity results as warnings and generates', async () => {
    const dir = project(GOOD, SHAPES_WARN);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe([
      'warning: SHACL: the project graph against shapes.ttl:',
      'warning:   Warning: an age is recommended (focus ex:alice, path ex:age, shape ex:AgeShape)',
      'warning:   Warning: an age is recommended (focus ex:bob, path ex:age, shape ex:AgeShape)',
      'warning:   0 violations, 2 warnings, 0 info',
      '1 created · receipt p/out/.ggen/receipt.json',
      '',
    ].join('\n'));
    expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\nBob\n');
    const json = await runGgen(['--json', 'project', 'plan', 'p'], { cwd: dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).shacl.map((s: { refuses: boolean; warnings: number }) => [s.refuses, s.warnings])).toEqual([[false, 2]]);
    for (const cmd of ['diff', 'verify']) {
      const x = await runGgen(['--json', 'project', cmd, 'p'], { cwd: dir });
      expect([cmd, x.code, JSON.parse(x.stdout).shacl.map((s: { warnings: number }) => s.warnings)]).toEqual([cmd, 0, [2]]);
    }
  });

  it('validates the project graph once however many templates use it', async () => {
    const dir = project();
    writeFileSync(join(dir, 'p/templates/again.tmpl'), TEMPLATE.replace('to: people.txt', 'to: again.txt'));
    const r = await runGgen(['-v', 'project', 'gen', 'p'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 templates rendered, 0 reused (inputs unchanged); graph parsed; SHACL: 1 validated, 0 unchanged since they passed');
  });

  it('generates on the next run once the data is fixed', async () => {
    const dir = project(BAD);
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(1);
    writeFileSync(join(dir, 'p/data.ttl'), GOOD);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, 'create    p/out/people.txt\n']);
    expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\nBob\n');
  });

  it('incremental: an unchanged run skips validation; editing only the shapes makes the next run refuse', async () => {
    const dir = project();
    expect((await runGgen(['project', 'gen', 'p'], { cwd: dir })).code).toBe(0);
    const second = await runGgen(['-v', 'project', 'gen', 'p'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 templates rendered, 1 reused (inputs unchanged); graph not parsed; SHACL: 0 validated, 1 unchanged since they passed');
    writeFileSync(join(dir, 'p/shapes.ttl'), SHAPES_AGE);
    const before = snapshot(dir);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe([
      'error: the project graph does not conform to its SHACL shapes (2 violations); nothing was written',
      '  the project graph against shapes.ttl:',
      '    Violation: every person needs an age (focus ex:alice, path ex:age, shape ex:AgeShape)',
      '    Violation: every person needs an age (focus ex:bob, path ex:age, shape ex:AgeShape)',
      '    2 violations, 0 warnings, 0 info',
      '  hint: fix the data or the shapes (`ggen graph validate DATA --shapes SHAPES` shows the full report); --no-validate generates anyway',
      '',
    ].join('\n'));
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('SHACL gate: gen, --shapes and frontmatter shape:', () => {
  it('gen --shapes checks the --graph files', async () => {
    const dir = tree({ 'data.ttl': BAD, 'shapes.ttl': SHAPES, 't.tmpl': TEMPLATE });
    const refused = await runGgen(['gen', 't.tmpl', '--graph', 'data.ttl', '--shapes', 'shapes.ttl', '--out', 'out'], { cwd: dir });
    expect([refused.code, refused.stderr]).toEqual([1, REFUSED]);
    expect(Object.keys(snapshot(dir))).toEqual(['data.ttl', 'shapes.ttl', 't.tmpl']);
    const skipped = await runGgen(['gen', 't.tmpl', '--graph', 'data.ttl', '--shapes', 'shapes.ttl', '--out', 'out', '--no-validate'], { cwd: dir });
    expect(skipped.code).toBe(0);
    expect(readFileSync(join(dir, 'out/people.txt'), 'utf8')).toBe('Alice\n');
  });

  it('validates the template graph (project graph + rdf_inline) against shape: files relative to the template', async () => {
    const withInline = (extra: string) => `---\nto: people.txt\nshape: ../shapes/people.ttl\nprefixes:\n  ex: "http://example.org/"\nrdf_inline:\n  - "${extra}"\nsparql:\n  people: "SELECT ?name WHERE { ?p a ex:Person ; ex:name ?name } ORDER BY ?name"\n---\n{% for r in sparql_results.people %}{{ r.name }}\n{% endfor %}`;
    const dir = tree({
      'data.ttl': GOOD, 'shapes/people.ttl': SHAPES,
      'templates/t.tmpl': withInline('ex:carol a ex:Person .'),
    });
    const before = snapshot(dir);
    const r = await runGgen(['gen', 'templates/t.tmpl', '--graph', 'data.ttl', '--out', 'out'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', [
      'error: the graph of templates/t.tmpl does not conform to its SHACL shapes (1 violation); nothing was written',
      '  the graph of templates/t.tmpl against shapes/people.ttl:',
      '    Violation: every person needs a name (focus ex:carol, path ex:name, shape ex:NameShape)',
      '    1 violation, 0 warnings, 0 info',
      '  hint: fix the data or the shapes (`ggen graph validate DATA --shapes SHAPES` shows the full report); --no-validate generates anyway',
      '',
    ].join('\n')]);
    expect(snapshot(dir)).toEqual(before);
    writeFileSync(join(dir, 'templates/t.tmpl'), withInline('ex:carol a ex:Person ; ex:name \\"Carol\\" .'));
    const ok = await runGgen(['gen', 'templates/t.tmpl', '--graph', 'data.ttl', '--out', 'out'], { cwd: dir });
    expect([ok.code, ok.stderr]).toEqual([0, '1 created · receipt out/.ggen/receipt.json\n']);
    expect(readFileSync(join(dir, 'out/people.txt'), 'utf8')).toBe('Alice\nBob\nCarol\n');
  });

  it('a missing shape: file is an error at the frontmatter key', async () => {
    const dir = tree({ 't.tmpl': '---\nto: x.txt\nshape: nope.ttl\n---\nx\n' });
    const r = await runGgen(['gen', 't.tmpl', '--out', 'out'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, `error: t.tmpl:3:8: shapes file not found: nope.ttl (resolved to ${join(dir, 'nope.ttl')})\n  hint: shape: paths are relative to the template file\n`]);
    const lint = await runGgen(['template', 'lint', 't.tmpl'], { cwd: dir });
    expect([lint.code, lint.stdout]).toEqual([1, 't.tmpl:3:8: error: shapes file not found: nope.ttl\n  hint: shape: paths are relative to the template file\n']);
  });
});

describe('SHACL gate: missing shapes files', () => {
  it('a missing ggen.toml shapes file is an error, unless --no-validate', async () => {
    const dir = project();
    writeFileSync(join(dir, 'p/ggen.toml'), 'graph = ["data.ttl"]\nshapes = ["nope.ttl"]\noutput = "out"\n');
    const r = await runGgen(['project', 'gen', 'p'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `error: shapes file not found: nope.ttl (resolved to ${join(dir, 'p/nope.ttl')})\n  hint: ggen.toml \`shapes\` paths are relative to the project directory; --shapes paths to the working directory\n`]);
    expect((await runGgen(['project', 'gen', 'p', '--no-validate'], { cwd: dir })).code).toBe(0);
  });
});

describe('SHACL gate: watch', () => {
  it('reports a violation and keeps watching; the fix generates', async () => {
    const dir = project();
    await withWatch(['project', 'watch', 'p', '--debounce', '50'], dir, async ({ waitFor }) => {
      await waitFor('watching 1 template');
      writeFileSync(join(dir, 'p/data.ttl'), BAD);
      await waitFor('[watch] error: the project graph does not conform to its SHACL shapes (1 violation); nothing was written\n  the project graph against shapes.ttl:\n    Violation: every person needs a name (focus ex:bob, path ex:name, shape ex:NameShape)');
      await waitFor('still watching');
      expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\nBob\n');
      writeFileSync(join(dir, 'p/shapes.ttl'), `${PREFIXES}ex:S a sh:NodeShape .\n`);
      await waitFor('[watch] wrote 1 file: people.txt');
      expect(readFileSync(join(dir, 'p/out/people.txt'), 'utf8')).toBe('Alice\n');
    });
  });
});
