// Incremental regeneration (issue 11): a run whose inputs did not change reuses every template's outputs without
// parsing the graph or rendering; a changed template re-renders alone, its queries answered from the query cache;
// every other input (graph, vars, partials, from:, get_env, plugins) re-renders; forged or foreign state is ignored.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueryCache, queryCacheDir } from '../../src/generate/query-cache.js';
import { runGgen } from '../helpers/cli.js';
import { readTree, tree } from './fixtures.js';

const MODEL = (names: string[]) => `@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n${names.map((n) => `ex:${n} a rdfs:Class ; rdfs:label "${n}" .`).join('\n')}\n`;
const QUERY = 'SELECT ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label';
const classTemplate = (ext: string, body: string, query = QUERY) => `---\nto: "${ext}/{{ row.label }}.${ext}"\nforeach: classes\nsparql:\n  classes: "${query}"\n---\n${body}\n`;

function project(extra: Record<string, string> = {}): string {
  return tree({
    'p/ggen.toml': 'graph = ["model.ttl"]\noutput = "out"\ntemplates = "templates"\n',
    'p/model.ttl': MODEL(['Alpha', 'Beta']),
    'p/templates/a.tmpl': classTemplate('a', 'a {{ row.label }}'),
    'p/templates/b.tmpl': classTemplate('b', 'b {{ row.label }}'),
    ...extra,
  });
}

interface GenJson {
  operations: Array<{ kind: string; path: string; reason: string }>;
  templates: { rendered: string[]; reused: string[] };
  graphParsed: boolean;
  warnings: Array<{ message: string }>;
}

async function gen(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<GenJson> {
  const r = await runGgen(['--json', 'project', 'gen', 'p', ...args], { cwd: dir, env });
  if (r.code !== 0) throw new Error(`project gen failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as GenJson;
}

const kinds = (j: GenJson) => j.operations.map((o) => `${o.kind} ${o.path}`);
const mtimes = (dir: string) => Object.fromEntries(Object.keys(readTree(dir, { withGgen: true, withObjects: true, withCache: true })).map((p) => [p, statSync(join(dir, p)).mtimeMs]));

describe('a run whose inputs did not change', () => {
  it('reuses every template, parses no graph and writes nothing', async () => {
    const dir = project();
    const first = await gen(dir);
    expect([first.templates, first.graphParsed]).toEqual([{ rendered: ['templates/a.tmpl', 'templates/b.tmpl'], reused: [] }, true]);
    const outputs = () => Object.fromEntries(Object.entries(mtimes(join(dir, 'p/out'))).filter(([p]) => !p.startsWith('.ggen/cache/')));
    const before = outputs();
    // The second run reads the files it wrote and finds them as written: it records their stats (machine-local).
    const again = await gen(dir);
    expect([again.templates, again.graphParsed]).toEqual([{ rendered: [], reused: ['templates/a.tmpl', 'templates/b.tmpl'] }, false]);
    expect(kinds(again)).toEqual(['unchanged a/Alpha.a', 'unchanged a/Beta.a', 'unchanged b/Alpha.b', 'unchanged b/Beta.b']);
    expect(outputs()).toEqual(before);
    // From then on a no-op is decided from hashes and stats alone, and writes nothing at all.
    const state = mtimes(join(dir, 'p/out'));
    const third = await gen(dir);
    expect(third.operations.map((o) => o.reason)).toEqual(Array(4).fill('unchanged: same inputs, file as ggen wrote it'));
    expect(mtimes(join(dir, 'p/out'))).toEqual(state);
  });

  it('a file edited in place (same size) after ggen wrote it is noticed, not trusted by its stats', async () => {
    const dir = project();
    await gen(dir);
    await gen(dir);
    writeFileSync(join(dir, 'p/out/a/Alpha.a'), 'A Alpha\n');
    const j = await gen(dir);
    expect(j.operations.find((o) => o.path === 'a/Alpha.a')?.reason).toBe('hand edits kept (nothing new to merge)');
    expect(readFileSync(join(dir, 'p/out/a/Alpha.a'), 'utf8')).toBe('A Alpha\n');
  });

  it('says so with --verbose', async () => {
    const dir = project();
    await gen(dir);
    const r = await runGgen(['project', 'gen', 'p', '--verbose'], { cwd: dir });
    expect(r.stdout).toContain('0 templates rendered, 2 reused (inputs unchanged); graph not parsed\n');
  });
});

describe('what re-renders', () => {
  it('an edited template re-renders alone, its unchanged query answered from the cache (no parse)', async () => {
    const dir = project();
    await gen(dir);
    writeFileSync(join(dir, 'p/templates/a.tmpl'), classTemplate('a', 'A2 {{ row.label }}'));
    const j = await gen(dir);
    expect([j.templates, j.graphParsed]).toEqual([{ rendered: ['templates/a.tmpl'], reused: ['templates/b.tmpl'] }, false]);
    expect(kinds(j)).toEqual(['overwrite a/Alpha.a', 'overwrite a/Beta.a', 'unchanged b/Alpha.b', 'unchanged b/Beta.b']);
    expect(readFileSync(join(dir, 'p/out/a/Beta.a'), 'utf8')).toBe('A2 Beta\n');
  });

  it('an edited query runs against the parsed graph', async () => {
    const dir = project();
    await gen(dir);
    writeFileSync(join(dir, 'p/templates/a.tmpl'), classTemplate('a', 'a {{ row.label }}', QUERY.replace('ORDER BY ?label', 'ORDER BY DESC(?label)')));
    const j = await gen(dir);
    expect([j.templates.rendered, j.graphParsed]).toEqual([['templates/a.tmpl'], true]);
  });

  it.each([
    ['the graph file', (dir: string) => writeFileSync(join(dir, 'p/model.ttl'), MODEL(['Alpha', 'Beta', 'Gamma'])), [] as string[]],
    ['a --var', () => undefined, ['--var', 'x=1']],
    ['the seed', () => undefined, ['--seed', '7']],
    ['ggen.toml vars', (dir: string) => writeFileSync(join(dir, 'p/ggen.toml'), 'graph = ["model.ttl"]\noutput = "out"\ntemplates = "templates"\n[vars]\nx = "2"\n'), []],
    ['--no-cache', () => undefined, ['--no-cache']],
  ])('%s: every template re-renders', async (_name, change, args) => {
    const dir = project();
    await gen(dir);
    change(dir);
    const j = await gen(dir, args);
    expect(j.templates).toEqual({ rendered: ['templates/a.tmpl', 'templates/b.tmpl'], reused: [] });
  });

  it('a partial (include), a from: file and a get_env variable the renders read', async () => {
    const dir = project({
      'p/templates/inc.tmpl': '---\nto: inc.txt\n---\n{% include "parts/head.txt" %}\n',
      'p/parts/head.txt': 'head v1',
      'p/templates/from.tmpl': '---\nto: from.txt\nfrom: ../body.txt\n---\n',
      'p/body.txt': 'body v1\n',
      'p/templates/env.tmpl': '---\nto: env.txt\n---\n{{ get_env(name="GGEN_TEST_FLAVOUR", default="plain") }}\n',
    });
    const all = ['templates/a.tmpl', 'templates/b.tmpl', 'templates/env.tmpl', 'templates/from.tmpl', 'templates/inc.tmpl'];
    expect((await gen(dir)).templates.rendered).toEqual(all);
    expect((await gen(dir)).templates.reused).toEqual(all);
    writeFileSync(join(dir, 'p/parts/head.txt'), 'head v2');
    expect((await gen(dir)).templates.rendered).toEqual(all);
    expect(readFileSync(join(dir, 'p/out/inc.txt'), 'utf8')).toBe('head v2\n');
    writeFileSync(join(dir, 'p/body.txt'), 'body v2\n');
    expect((await gen(dir)).templates.rendered).toEqual(all);
    expect(readFileSync(join(dir, 'p/out/from.txt'), 'utf8')).toBe('body v2\n');
    expect((await gen(dir, [], { GGEN_TEST_FLAVOUR: 'spicy' })).templates.rendered).toEqual(all);
    expect(readFileSync(join(dir, 'p/out/env.txt'), 'utf8')).toBe('spicy\n');
    expect((await gen(dir, [], { GGEN_TEST_FLAVOUR: 'spicy' })).templates.reused).toEqual(all);
  });

  it('injections, unless_exists and zero-row warnings are never reused (the warning repeats)', async () => {
    const dir = project({
      'p/out/target.txt': 'top\n',
      'p/templates/inject.tmpl': '---\nto: target.txt\ninject: true\nappend: true\nskip_if: "added"\n---\nadded\n',
      'p/templates/once.tmpl': '---\nto: once.txt\nunless_exists: true\n---\nonce\n',
      'p/templates/empty.tmpl': classTemplate('e', 'e', 'SELECT ?label WHERE { ?c rdfs:labl ?label }'),
    });
    await gen(dir);
    const j = await gen(dir);
    expect(j.templates).toEqual({ rendered: ['templates/empty.tmpl', 'templates/inject.tmpl', 'templates/once.tmpl'], reused: ['templates/a.tmpl', 'templates/b.tmpl'] });
    expect(j.warnings.map((w) => w.message)).toEqual(['query "classes" returned no rows (foreach over it writes no files)']);
  });
});

describe('hand edits and lost files with reused templates', () => {
  it('an edited output of a reused template is kept; a deleted one comes back', async () => {
    const dir = project();
    await gen(dir);
    writeFileSync(join(dir, 'p/out/b/Alpha.b'), 'b Alpha\nmy note\n');
    const edited = await gen(dir);
    expect(edited.templates.reused).toEqual(['templates/a.tmpl', 'templates/b.tmpl']);
    expect(edited.operations.find((o) => o.path === 'b/Alpha.b')).toEqual({ kind: 'unchanged', path: 'b/Alpha.b', reason: 'hand edits kept (nothing new to merge)', templates: ['templates/b.tmpl'], contentHash: expect.any(String) });
    // The template changes later: the hand edit merges with the new render, from the reused base.
    writeFileSync(join(dir, 'p/templates/b.tmpl'), classTemplate('b', '// generated\nb {{ row.label }}'));
    const merged = await gen(dir);
    expect(merged.operations.find((o) => o.path === 'b/Alpha.b')?.kind).toBe('merge');
    expect(readFileSync(join(dir, 'p/out/b/Alpha.b'), 'utf8')).toBe('// generated\nb Alpha\nmy note\n');
    // Deleted by hand: the reused template writes it again.
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, 'p/out/a/Beta.a'));
    const back = await gen(dir);
    expect(back.templates.reused).toContain('templates/a.tmpl');
    expect(back.operations.find((o) => o.path === 'a/Beta.a')?.kind).toBe('create');
    expect(readFileSync(join(dir, 'p/out/a/Beta.a'), 'utf8')).toBe('a Beta\n');
  });
});

describe('state ggen did not write is not trusted', () => {
  it.each([
    ['an edited inputs record', (dir: string) => {
      const file = join(dir, 'p/out/.ggen/cache/inputs.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"templates/a.tmpl":"', '"templates/a.tmpl":"0'));
    }],
    ['a receipt edited to claim a forged file', (dir: string) => {
      writeFileSync(join(dir, 'p/out/a/Alpha.a'), 'forged\n');
      const file = join(dir, 'p/out/.ggen/receipt.json');
      const receipt = JSON.parse(readFileSync(file, 'utf8')) as { outputs: Array<{ path: string; hash: string; hashOutsideFrozen: string }> };
      const entry = receipt.outputs.find((o) => o.path === 'a/Alpha.a')!;
      entry.hash = entry.hashOutsideFrozen = createHash('sha256').update('forged\n').digest('hex');
      writeFileSync(file, `${JSON.stringify(receipt, null, 2)}\n`);
    }],
  ])('%s: everything renders again', async (_name, tamper) => {
    const dir = project();
    await gen(dir);
    tamper(dir);
    const j = await gen(dir);
    expect(j.templates.reused).toEqual([]);
    expect(readFileSync(join(dir, 'p/out/a/Alpha.a'), 'utf8')).toBe('a Alpha\n');
  });

  it('another user\'s (or machine\'s) state key: nothing is reused', async () => {
    const dir = project();
    const other = tree({});
    await gen(dir, [], { XDG_STATE_HOME: join(other, 'state-a') });
    expect((await gen(dir, [], { XDG_STATE_HOME: join(other, 'state-b') })).templates.reused).toEqual([]);
  });
});

describe('the query cache', () => {
  it('is written only by runs that write: plan, diff and a failed run leave none', async () => {
    const dir = project();
    expect((await runGgen(['project', 'plan', 'p'], { cwd: dir })).code).toBe(0);
    expect((await runGgen(['project', 'diff', 'p'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, 'p/out/.ggen'))).toBe(false);
    await gen(dir);
    expect(readdirSync(queryCacheDir(join(dir, 'p/out'))).length).toBe(1);
  });

  it('is signed: a planted or altered entry is not used, the query runs again', async () => {
    const dir = project();
    await gen(dir);
    const cacheDir = queryCacheDir(join(dir, 'p/out'));
    for (const name of readdirSync(cacheDir)) {
      const file = join(cacheDir, name);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"Beta"', '"Mallory"'));
    }
    writeFileSync(join(dir, 'p/templates/a.tmpl'), classTemplate('a', 'A2 {{ row.label }}'));
    const j = await gen(dir);
    expect([j.templates.rendered, j.graphParsed]).toEqual([['templates/a.tmpl'], true]);
    expect(readdirSync(join(dir, 'p/out/a')).sort()).toEqual(['Alpha.a', 'Beta.a']);
  });

  it('is never committed: git sees the receipt and merge bases, not the cache', async () => {
    const dir = project();
    await gen(dir);
    const out = join(dir, 'p/out');
    execFileSync('git', ['init', '-q', out]);
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: out, encoding: 'utf8' });
    expect(status.split('\n').filter((l) => l.includes('.ggen/')).map((l) => l.slice(3).replace(/[0-9a-f]{64}/g, 'H'))).toEqual([
      '.ggen/objects/H.idx.json', '.ggen/objects/H.pack', '.ggen/receipt.json',
    ]);
  });

  it('is bounded: the entries used longest ago go first', () => {
    const root = tree({});
    mkdirSync(join(root, '.ggen'));
    const cache = new QueryCache(root, { writable: true, maxBytes: 600 });
    const rows = (n: number) => ({ kind: 'select' as const, variables: ['x'], rows: Array.from({ length: n }, (_, i) => ({ x: { type: 'literal' as const, value: `value ${i}` } })) });
    for (const k of ['a', 'b', 'c']) {
      cache.put(k.repeat(64), rows(5));
      cache.flush();
    }
    const left = readdirSync(queryCacheDir(root)).sort();
    expect(left.length).toBeLessThan(3);
    expect(left).toContain(`${'c'.repeat(64)}.json`);
    expect(new QueryCache(root, { writable: false }).get('c'.repeat(64))).toEqual(rows(5));
    expect(new QueryCache(root, { writable: false }).get('0'.repeat(64))).toBeUndefined();
  });
});
