// `ggen project plan|apply|diff|verify|watch`: plans with hashes, stale-plan refusal, CI check, drift, incremental watch.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ggenBin, runGgen } from '../helpers/cli.js';
import { withWatch } from '../helpers/watch.js';
import { PEOPLE_TTL, tree } from './fixtures.js';

const project = () => tree({
  'p/ggen.toml': 'graph = ["people.ttl"]\noutput = "out"\n[vars]\ngreeting = "Hello"\n',
  'p/people.ttl': PEOPLE_TTL,
  'p/templates/person.tmpl': '---\nto: "{{ row.name }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?name WHERE { ?p a ex:Person ; rdfs:label ?name } ORDER BY ?name"\n---\n{{ greeting }}, {{ row.name }}!\n',
  'p/templates/static.tmpl': '---\nto: static.txt\n---\nstatic\n',
});

describe('project plan / apply', () => {
  it('plans every operation with hash and reason, applies it, and refuses a stale plan', async () => {
    const dir = project();
    const plan = await runGgen(['project', 'plan', 'p', '-o', 'plan.json'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n').map((l) => l.replace(/ [0-9a-f]{12} /, ' HASH '))).toEqual([
      'create    Alice.txt  HASH  new file', 'create    Bob.txt  HASH  new file', 'create    static.txt  HASH  new file', '',
    ]);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(saved.operations.map((o: { kind: string; path: string }) => `${o.kind} ${o.path}`)).toEqual(['create Alice.txt', 'create Bob.txt', 'create static.txt']);
    const applied = await runGgen(['project', 'apply', 'plan.json'], { cwd: dir });
    expect(applied.code).toBe(0);
    expect(readFileSync(join(dir, 'p/out/Alice.txt'), 'utf8')).toBe('Hello, Alice!\n');

    const plan2 = await runGgen(['project', 'plan', 'p', '-o', 'plan2.json', '--var', 'greeting=Hi'], { cwd: dir });
    expect(plan2.code).toBe(0);
    writeFileSync(join(dir, 'p/out/Bob.txt'), 'changed meanwhile\n');
    const stale = await runGgen(['project', 'apply', 'plan2.json'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe('error: Bob.txt changed since the plan was made\n  hint: make a new plan (ggen project plan) and apply that\n');
    expect(readFileSync(join(dir, 'p/out/Alice.txt'), 'utf8')).toBe('Hello, Alice!\n');
  });
});

describe('project diff --check and verify', () => {
  it('reports nothing after gen, then the change, and drift', async () => {
    const dir = project();
    await runGgen(['project', 'gen', 'p'], { cwd: dir });
    const clean = await runGgen(['project', 'diff', 'p', '--check'], { cwd: dir });
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, '', 'no changes\n']);
    expect((await runGgen(['project', 'verify', 'p'], { cwd: dir })).stdout).toBe('ok: outputs, templates and graph match the receipt\n');

    writeFileSync(join(dir, 'p/people.ttl'), PEOPLE_TTL.replace('"Bob"', '"Bobby"'));
    const diff = await runGgen(['project', 'diff', 'p', '--check'], { cwd: dir });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toBe('--- /dev/null\n+++ b/Bobby.txt\n@@ -0,0 +1,1 @@\n+Hello, Bobby!\norphan    Bob.txt  (no longer generated (--prune deletes it))\n');
    expect(diff.stderr).toBe('2 files would change\n');

    writeFileSync(join(dir, 'p/out/static.txt'), 'hand edit\n');
    const verify = await runGgen(['project', 'verify', 'p'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout.split('\n').map((l) => l.replace(/[0-9a-f]{12} → [0-9a-f]{12}/, 'H → H'))).toEqual([
      'output-gone       Bob.txt  generation no longer produces this file',
      'output-new        Bobby.txt  generation would add this file',
      'graph-changed     people.ttl  graph hash H → H',
      '',
    ]);
  });
});

describe('project watch', () => {
  it('re-renders only the affected template, survives errors, and logs clearly', async () => {
    const dir = project();
    await withWatch(['project', 'watch', 'p', '--debounce', '50'], dir, async ({ waitFor, log }) => {
      await waitFor('watching 2 templates');
      expect(log()).toContain('[watch] wrote 3 files: Alice.txt, Bob.txt, static.txt (0 unchanged)');
      writeFileSync(join(dir, 'p/templates/static.tmpl'), '---\nto: static.txt\n---\nstatic 2\n');
      await waitFor('re-rendering templates/static.tmpl');
      await waitFor('[watch] wrote 1 file: static.txt (0 unchanged)');
      expect(readFileSync(join(dir, 'p/out/static.txt'), 'utf8')).toBe('static 2\n');
      writeFileSync(join(dir, 'p/templates/static.tmpl'), '---\nto: static.txt\n---\n{{ oops(\n');
      await waitFor('still watching');
      writeFileSync(join(dir, 'p/people.ttl'), PEOPLE_TTL.replace('"Alice"', '"Alicia"'));
      await waitFor('re-rendering (all templates)');
      // The full run fails on the broken template (nothing written) before the fix arrives.
      await waitFor('still watching');
      writeFileSync(join(dir, 'p/templates/static.tmpl'), '---\nto: static.txt\n---\nstatic 3\n');
      await waitFor('[watch] wrote 1 file: static.txt');
      expect(readFileSync(join(dir, 'p/out/static.txt'), 'utf8')).toBe('static 3\n');
    });
  });

  it('ignores its own outputs when they are written into the project directory, and follows rdf: files', async () => {
    const dir = tree({
      'p/t.tmpl': '---\nto: "out-{{ row.n }}.txt"\nforeach: q\nrdf: ../data/d.ttl\nsparql:\n  q: "SELECT ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n"\n---\n{{ row.n }}\n',
      'data/d.ttl': '<http://x/a> <http://x/n> "one" .\n',
    });
    const child = spawn(process.execPath, [ggenBin, 'project', 'watch', 'p', '--debounce', '50'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 200 && !log.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      expect(log).toContain(text);
    };
    try {
      await waitFor('watching 1 template');
      writeFileSync(join(dir, 'data/d.ttl'), '<http://x/a> <http://x/n> "two" .\n');
      await waitFor('data/d.ttl → re-rendering t.tmpl');
      await waitFor('wrote 1 file: out-two.txt');
      await new Promise((r) => setTimeout(r, 400));
      // Writing out-two.txt into the watched directory did not trigger another run.
      expect(log.match(/changed:/g)).toHaveLength(1);
      expect(readFileSync(join(dir, 'p/out-two.txt'), 'utf8')).toBe('two\n');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  });
});
