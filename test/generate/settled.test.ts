// The settled-run memo (src/generate/settled.ts): a run repeated with nothing changed is answered from the signed
// memo without the pipeline, with exactly the plan the full pipeline gives; any change to an input, an output, the
// options or the state sends the run down the full pipeline.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputsRecordPath } from '../../src/generate/inputs.js';
import { planGeneration } from '../../src/generate/plan.js';
import { runGeneration, type RunOptions } from '../../src/generate/run.js';
import { lockOutputRoot } from '../../src/generate/root-lock.js';
import { runKey, runSettled, settledPlan } from '../../src/generate/settled.js';
import { runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

const MODEL = '@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:Alpha a rdfs:Class ; rdfs:label "Alpha" .\nex:Beta a rdfs:Class ; rdfs:label "Beta" .\n';
const CLASSES = '---\nto: "cls/{{ row.label }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label"\n---\n{{ row.label }} {% include "parts/head.txt" %} {{ get_env(name="GGEN_SETTLED_FLAVOUR", default="plain") }}\n';

function project(extra: Record<string, string> = {}): { dir: string; opts: RunOptions } {
  const dir = tree({ 'model.ttl': MODEL, 't/classes.tmpl': CLASSES, 't/one.tmpl': '---\nto: one.txt\n---\none {{ v }}\nmiddle\nend\n', 'parts/head.txt': 'head', ...extra });
  const opts: RunOptions = {
    templates: ['t/classes.tmpl', 't/one.tmpl'], graphFiles: ['model.ttl'], outDir: 'out', cwd: dir, vars: { v: '1' }, env: { ...process.env, GGEN_SETTLED_FLAVOUR: 'plain' },
  };
  return { dir, opts };
}

async function settledProject(extra: Record<string, string> = {}) {
  const p = project(extra);
  await runGeneration(p.opts);
  expect(await settledPlan(p.opts)).toBeDefined();
  return p;
}

describe('a settled run repeated with nothing changed', () => {
  it('is answered from the memo with the plan the full pipeline gives', async () => {
    const { opts } = project();
    const cold = await runGeneration(opts);
    expect(cold.applied?.written).toEqual(['cls/Alpha.txt', 'cls/Beta.txt', 'one.txt']);
    const quick = await settledPlan(opts);
    const full = await planGeneration(opts);
    expect(quick).toBeDefined();
    expect(quick!.operations).toEqual(full.operations);
    expect(quick!.receipt).toEqual(full.receipt);
    expect(quick!.stats).toEqual(full.stats);
    expect(quick!.operations.map((o) => `${o.kind} ${o.path}`)).toEqual(['unchanged cls/Alpha.txt', 'unchanged cls/Beta.txt', 'unchanged one.txt']);
  });

  it('answers the CLI the same way, text and --json', async () => {
    const dir = tree({ 'model.ttl': MODEL, 'classes.tmpl': CLASSES.replace('{% include "parts/head.txt" %} ', ''), 'one.tmpl': '---\nto: one.txt\n---\none\n' });
    const args = ['gen', 'classes.tmpl', 'one.tmpl', '--graph', 'model.ttl', '--out', 'out'];
    expect((await runGgen(args, { cwd: dir })).code).toBe(0);
    // The first repeat may come from the full pipeline or the memo: both must print the same.
    const again = await runGgen([...args, '--verbose'], { cwd: dir });
    const json = await runGgen(['--json', ...args], { cwd: dir });
    expect([again.code, again.stdout, again.stderr]).toEqual([0, [
      'unchanged out/cls/Alpha.txt  (unchanged: same inputs, file as ggen wrote it)', 'unchanged out/cls/Beta.txt  (unchanged: same inputs, file as ggen wrote it)',
      'unchanged out/one.txt  (unchanged: same inputs, file as ggen wrote it)', '0 templates rendered, 2 reused (inputs unchanged); graph not parsed', '',
    ].join('\n'), '3 unchanged · receipt out/.ggen/receipt.json\n']);
    const parsed = JSON.parse(json.stdout) as { operations: Array<{ kind: string; path: string }>; templates: unknown; graphParsed: boolean; written: string[]; receipt: string };
    expect([parsed.operations.map((o) => `${o.kind} ${o.path}`), parsed.templates, parsed.graphParsed, parsed.written, parsed.receipt]).toEqual([
      ['unchanged cls/Alpha.txt', 'unchanged cls/Beta.txt', 'unchanged one.txt'], { rendered: [], reused: ['classes.tmpl', 'one.tmpl'] }, false, [], join(dir, 'out', '.ggen', 'receipt.json'),
    ]);
  });
});

describe('anything changed goes down the full pipeline', () => {
  const cases: Array<[string, (dir: string, opts: RunOptions) => RunOptions | void]> = [
    ['a template edited', (dir) => appendFileSync(join(dir, 't/one.tmpl'), 'more\n')],
    ['the graph edited', (dir) => appendFileSync(join(dir, 'model.ttl'), 'ex:Gamma a rdfs:Class ; rdfs:label "Gamma" .\n')],
    ['the graph removed', (dir) => rmSync(join(dir, 'model.ttl'))],
    ['a partial edited', (dir) => writeFileSync(join(dir, 'parts/head.txt'), 'HEAD')],
    ['an environment variable a render read', (_dir, opts) => ({ ...opts, env: { ...opts.env, GGEN_SETTLED_FLAVOUR: 'spicy' } })],
    ['an output edited by hand', (dir) => appendFileSync(join(dir, 'out/one.txt'), 'mine\n')],
    ['an output deleted', (dir) => rmSync(join(dir, 'out/cls/Beta.txt'))],
    ['another --var', (_dir, opts) => ({ ...opts, vars: { v: '2' } })],
    ['another seed', (_dir, opts) => ({ ...opts, seed: '7' })],
    ['a template more', (dir, opts) => { writeFileSync(join(dir, 't/two.tmpl'), '---\nto: two.txt\n---\ntwo\n'); return { ...opts, templates: [...opts.templates, 't/two.tmpl'] }; }],
    ['a template fewer', (_dir, opts) => ({ ...opts, templates: ['t/classes.tmpl'] })],
    ['a dry run', (_dir, opts) => ({ ...opts, dryRun: true })],
    ['--no-cache', (_dir, opts) => ({ ...opts, incremental: false })],
    ['the memo edited (its signature no longer matches)', (dir) => {
      const file = inputsRecordPath(join(dir, 'out'));
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { record: { settled: { files: Array<[string, string]> } } };
      stored.record.settled.files = stored.record.settled.files.filter(([f]) => !f.endsWith('model.ttl'));
      writeFileSync(file, JSON.stringify(stored));
      appendFileSync(join(dir, 'model.ttl'), 'ex:Gamma a rdfs:Class ; rdfs:label "Gamma" .\n');
    }],
    ['another user\'s key', (dir, opts) => ({ ...opts, env: { ...opts.env, XDG_STATE_HOME: join(dir, 'other-user') } })],
    ['a run killed half-way (its staging directory)', (dir) => { mkdirSync(join(dir, 'out/.ggen/staging-2147483646-0000abcd')); }],
  ];
  it.each(cases)('%s', async (_name, change) => {
    const { dir, opts } = await settledProject();
    const changed = change(dir, opts) ?? opts;
    expect(await settledPlan(changed)).toBeUndefined();
  });

  it('another run holding the root (the full path then waits for it)', async () => {
    const { dir, opts } = await settledProject();
    const held = await lockOutputRoot(join(dir, 'out'));
    try {
      expect(await runSettled(opts)).toBeUndefined();
    } finally {
      held.release();
    }
    expect(await runSettled(opts)).toBeDefined();
  });

  it('and the full pipeline then renders what changed', async () => {
    const { dir, opts } = await settledProject();
    writeFileSync(join(dir, 'parts/head.txt'), 'HEAD');
    const run = await runGeneration(opts);
    expect(run.applied?.written).toEqual(['cls/Alpha.txt', 'cls/Beta.txt']);
    expect(readFileSync(join(dir, 'out/cls/Alpha.txt'), 'utf8')).toBe('Alpha HEAD plain\n');
    expect(await settledPlan(opts)).toBeDefined();
  });
});

describe('runs that leave the tree unsettled record no memo', () => {
  it('a query with zero rows (a warning), a hand edit merged, a --no-receipt run', async () => {
    const empty = project({ 't/none.tmpl': '---\nto: "none/{{ row.x }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?x WHERE { ?x a <http://example.org/Nothing> }"\n---\nx\n' });
    const withEmpty = { ...empty.opts, templates: [...empty.opts.templates, 't/none.tmpl'] };
    await runGeneration(withEmpty);
    expect(await settledPlan(withEmpty)).toBeUndefined();

    const { dir, opts } = await settledProject();
    appendFileSync(join(dir, 'out/one.txt'), 'mine\n');
    const merged = await runGeneration({ ...opts, vars: { v: '2' } });
    expect(merged.plan.operations.find((o) => o.path === 'one.txt')?.kind).toBe('merge');
    expect(readFileSync(join(dir, 'out/one.txt'), 'utf8')).toBe('one 2\nmiddle\nend\nmine\n');
    expect(await settledPlan({ ...opts, vars: { v: '2' } })).toBeUndefined();

    expect(runKey({ ...opts, writeReceipt: false })).toBeUndefined();
    expect(runKey({ ...opts, endpoint: { url: 'http://127.0.0.1:1/sparql' } })).toBeUndefined();
    expect(runKey({ ...opts, plugins: ['p.mjs'] })).toBeUndefined();
  });
});
