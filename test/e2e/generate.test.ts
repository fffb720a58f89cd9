// Generation end to end: `ggen gen` in cleanrooms against golden trees, determinism across envs,
// idempotent re-runs, dry runs that write nothing, compilable outputs, and located template errors.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationSuite, compiles, ggenBinPath } from '../../src/cleanroom/index.js';
import { CleanroomEnv, assertTreeMatchesGolden, fixtures, golden } from './helpers.js';

const GEN = ['gen', 'templates', '--graph', 'model.ttl', '--out', 'out'];
let env: CleanroomEnv;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await env.copyIn(join(fixtures, 'gen-basic'));
});
afterAll(() => env.dispose());

describe('ggen gen', () => {
  it('generates the golden tree', async () => {
    const r = await env.ggen(GEN);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toContain('error');
    expect(r.stdout).toContain('create    out/ts/loan_record.ts');
    await assertTreeMatchesGolden(env, join(golden, 'gen-basic'), { under: 'out', exclude: ['.ggen'] });
  });

  it('is idempotent: a second run changes nothing', async () => {
    const before = await env.tree();
    const r = await env.ggen(GEN);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('create ');
    expect(r.stdout).not.toContain('update ');
    expect(await env.tree()).toEqual(before);
  });

  it('produces byte-identical trees in separate cleanrooms', async () => {
    await using other = await CleanroomEnv.create();
    await other.copyIn(join(fixtures, 'gen-basic'));
    expect((await other.ggen(GEN)).exitCode).toBe(0);
    // `.ggen/cache` is machine-local (signed with each user's key), like .git/index.
    expect(withoutCache(await other.tree())).toEqual(withoutCache(await env.tree()));
  });

  it('writes nothing on --dry-run', async () => {
    await using dry = await CleanroomEnv.create();
    await dry.copyIn(join(fixtures, 'gen-basic'));
    const before = await dry.tree();
    const r = await dry.ggen([...GEN, '--dry-run']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('would create    out/ts/book.ts');
    expect(await dry.tree()).toEqual(before);
  });

  it('generates code that compiles (tsc, python3)', async () => {
    const suite = new ValidationSuite('generated code')
      .add(compiles('typescript', ['out/ts/author.ts', 'out/ts/book.ts', 'out/ts/loan_record.ts']))
      .add(compiles('python', ['out/py/models.py']));
    const result = await suite.run(env);
    expect(result.results.flatMap((r) => r.messages)).toEqual([]);
    expect(result).toMatchObject({ passed: true, score: 1 });
  });

  it('points at the template with an unknown filter and exits 1', async () => {
    await using bad = await CleanroomEnv.create();
    await bad.writeFile('bad.tmpl', '---\nto: "x.txt"\n---\n{{ name | pascall }}\n');
    const r = await bad.ggen(['gen', 'bad.tmpl', '--var', 'name=x']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: bad\.tmpl:4:1: filter "pascall" not found\n/);
    expect(r.stderr).toContain('hint: did you mean "pascal"?');
    expect(await bad.exists('x.txt')).toBe(false);
  });
});

describe('ggen project plan → apply → diff/verify', () => {
  it('applies a saved plan; diff --check and verify agree that a kept hand edit is not drift', async () => {
    await using room = await CleanroomEnv.create();
    await room.copyIn(join(fixtures, 'gen-basic'));
    await room.writeFile('ggen.toml', 'templates = "templates"\ngraph = ["model.ttl"]\noutput = "out"\n');
    const plan = await room.ggen(['project', 'plan', '.', '-o', 'plan.json']);
    expect(plan.exitCode).toBe(0);
    expect(await room.exists('out')).toBe(false);
    expect((await room.ggen(['project', 'apply', 'plan.json'])).exitCode).toBe(0);
    await assertTreeMatchesGolden(room, join(golden, 'gen-basic'), { under: 'out', exclude: ['.ggen'] });
    expect((await room.ggen(['project', 'diff', '.', '--check'])).exitCode).toBe(0);
    await room.writeFile('out/ts/book.ts', `${await room.readFile('out/ts/book.ts')}// hand edit\n`);
    // A hand edit regeneration keeps (nothing new to merge) is not drift: gen, diff --check and verify agree.
    const diff = await room.ggen(['project', 'diff', '.', '--check']);
    expect(diff.exitCode).toBe(0);
    const verify = await room.ggen(['project', 'verify', '.', '--json']);
    expect(verify.exitCode).toBe(0);
    expect(JSON.parse(verify.stdout).kept).toEqual(['ts/book.ts']);
    // --force takes the new render, so the diff shows the edit going away.
    const forced = await room.ggen(['project', 'diff', '.', '--check', '--force']);
    expect(forced.exitCode).toBe(1);
    expect(forced.stdout).toContain('-// hand edit');
  });
});

describe('ggen project watch', () => {
  it('regenerates when the graph changes, until stopped', async () => {
    await using room = await CleanroomEnv.create();
    await room.copyIn(join(fixtures, 'gen-basic'));
    await room.writeFile('ggen.toml', 'templates = "templates"\ngraph = ["model.ttl"]\noutput = "out"\n');
    const watch = await room.start(process.execPath, [ggenBinPath(), 'project', 'watch', '.']);
    try {
      await watch.waitForOutput(/\[watch\] watching 2 templates/, { timeoutMs: 20_000 });
      expect(await room.exists('out/ts/book.ts')).toBe(true);
      await room.writeFile('model.ttl', `${await room.readFile('model.ttl')}ex:Shelf a rdfs:Class ; rdfs:label "Shelf" .\n`);
      await watch.waitForOutput(/\[watch\] wrote 2 files: py\/models\.py, ts\/shelf\.ts/, { timeoutMs: 20_000 });
      expect(await room.readFile('out/ts/shelf.ts')).toBe('/** No description. */\nexport interface Shelf {\n  id: string;\n}\n');
    } finally {
      await watch.stop();
    }
  });
});

function withoutCache<T extends { path: string }>(entries: T[]): T[] {
  return entries.filter((e) => !e.path.includes('.ggen/cache/'));
}
