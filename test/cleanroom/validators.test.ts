// The built-in validators, each passing and failing on real files, processes and compilers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CleanroomEnv, ValidationSuite, commandSucceeds, compiles, fileEqualsGolden, fileExists, parsesAs, readReadinessJson, runValidator, shaclConforms, treeEqualsSnapshot } from './api.js';

const scratch = mkdtempSync(join(tmpdir(), 'ggen-validators-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('file validators', () => {
  it('fileExists scores the fraction of paths present', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('a.txt', '');
    expect(await runValidator(fileExists('a.txt'), env)).toEqual({ validator: 'file exists: a.txt', passed: true, messages: [], score: 1 });
    expect(await runValidator(fileExists('a.txt', 'b.txt', 'c.txt', 'a.txt'), env)).toMatchObject({ passed: false, messages: ['missing: b.txt', 'missing: c.txt'], score: 0.5 });
  });

  it('fileEqualsGolden shows a line diff, and writes the golden in update mode', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('out.ts', 'line 1\nline 2\nchanged\nline 4\n');
    const golden = join(scratch, 'golden-out.ts');
    writeFileSync(golden, 'line 1\nline 2\nline 3\nline 4\n');
    const r = await runValidator(fileEqualsGolden('out.ts', golden), env);
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toBe([
      `~ ${join(env.path, 'out.ts')}`,
      '    @@ line 1 @@',
      '     line 1',
      '     line 2',
      '    -line 3',
      '    +changed',
      '     line 4',
      '     ',
      '(run with GGEN_UPDATE_GOLDEN=1 to accept the actual output as the new golden)',
    ].join('\n'));
    expect(await runValidator(fileEqualsGolden('out.ts', golden, { update: true }), env)).toMatchObject({ passed: true, messages: [`updated golden ${golden}`] });
    expect(readFileSync(golden, 'utf8')).toBe('line 1\nline 2\nchanged\nline 4\n');
    expect((await runValidator(fileEqualsGolden('out.ts', golden), env)).passed).toBe(true);
    expect(await runValidator(fileEqualsGolden('out.ts', join(scratch, 'none')), env)).toMatchObject({ passed: false, messages: [`no golden file ${join(scratch, 'none')} (run with GGEN_UPDATE_GOLDEN=1 to accept the actual output as the new golden)`] });
  });

  it('treeEqualsSnapshot lists missing, unexpected and changed files', async () => {
    const golden = join(scratch, 'golden-tree');
    mkdirSync(join(golden, 'src'), { recursive: true });
    writeFileSync(join(golden, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(golden, 'src', 'gone.ts'), '');
    writeFileSync(join(golden, 'README.md'), '# x\n');
    await using env = await CleanroomEnv.create();
    await env.writeFile('out/src/a.ts', 'export const a = 2;\n');
    await env.writeFile('out/src/new.ts', '');
    await env.writeFile('out/README.md', '# x\n');
    const r = await runValidator(treeEqualsSnapshot(golden, { under: 'out' }), env);
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toBe([
      `tree ${join(env.path, 'out')} differs from golden ${golden}:`,
      '- missing: src/gone.ts',
      '+ unexpected: src/new.ts',
      '~ src/a.ts',
      '    @@ line 1 @@',
      '    -export const a = 1;',
      '    +export const a = 2;',
      '     ',
      '(run with GGEN_UPDATE_GOLDEN=1 to accept the actual output as the new golden)',
    ].join('\n'));
    await runValidator(treeEqualsSnapshot(golden, { under: 'out', update: true }), env);
    expect((await runValidator(treeEqualsSnapshot(golden, { under: 'out' }), env)).passed).toBe(true);
  });
});

describe('parsesAs', () => {
  const cases: Array<[string, 'json' | 'toml' | 'yaml' | 'turtle', string, string | undefined]> = [
    ['ok.json', 'json', '{"a": [1, 2]}', undefined],
    ['bad.json', 'json', '{\n  "a": 1,\n}', 'line 3'],
    ['ok.toml', 'toml', 'a = 1\n[t]\nb = "x"\n', undefined],
    ['bad.toml', 'toml', 'a = 1\nb =\n', 'invalid value'],
    ['ok.yaml', 'yaml', 'a: [1, 2]\nb: {c: d}\n', undefined],
    ['bad.yaml', 'yaml', 'a: [1, 2\nb: c\n', 'Flow sequence'],
    ['ok.ttl', 'turtle', '@prefix ex: <http://ex/> .\nex:a ex:b "c" .\n', undefined],
    ['bad.ttl', 'turtle', '@prefix ex: <http://ex/> .\nex:a ex:b .\n', 'line 2'],
  ];
  it.each(cases)('%s as %s', async (file, format, content, error) => {
    await using env = await CleanroomEnv.create();
    await env.writeFile(file, content);
    const r = await runValidator(parsesAs(file, format), env);
    expect(r.passed).toBe(error === undefined);
    if (error !== undefined) expect(r.messages[0]).toContain(error);
    if (error !== undefined) expect(r.messages[0]!.startsWith(`${file}: `)).toBe(true);
  });

  it('fails for a missing file', async () => {
    await using env = await CleanroomEnv.create();
    expect(await runValidator(parsesAs('none.json', 'json'), env)).toMatchObject({ passed: false, messages: ['missing: none.json'] });
  });
});

describe('shaclConforms', () => {
  const shapes = `@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "a person needs a name" ] .`;
  it('passes for conforming data and lists violations otherwise', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('shapes.ttl', shapes);
    await env.writeFile('good.ttl', '@prefix ex: <http://example.org/> . ex:alice a ex:Person ; ex:name "Alice" .');
    await env.writeFile('bad.ttl', '@prefix ex: <http://example.org/> . ex:bob a ex:Person . ex:carol a ex:Person .');
    expect(await runValidator(shaclConforms('good.ttl', 'shapes.ttl'), env)).toEqual({ validator: 'SHACL conforms: good.ttl', passed: true, messages: [], score: 1 });
    expect(await runValidator(shaclConforms('bad.ttl', 'shapes.ttl'), env)).toMatchObject({
      passed: false,
      messages: ['Violation: <http://example.org/bob> <http://example.org/name>: a person needs a name', 'Violation: <http://example.org/carol> <http://example.org/name>: a person needs a name'],
    });
    await env.writeFile('broken.ttl', 'ex:x ex:y ex:z .');
    const broken = await runValidator(shaclConforms('broken.ttl', 'shapes.ttl'), env);
    expect(broken.passed).toBe(false);
    expect(broken.messages[0]).toBe('broken.ttl:1:1: Turtle syntax error: The prefix ex: has not been declared (at "ex:x")');
  });
});

describe('process validators', () => {
  it('commandSucceeds reports the exit code and the end of stderr', async () => {
    await using env = await CleanroomEnv.create();
    expect((await runValidator(commandSucceeds('true'), env)).passed).toBe(true);
    expect(await runValidator(commandSucceeds('sh', ['-c', 'echo nope >&2; exit 4']), env)).toEqual({ validator: 'command succeeds: sh -c echo nope >&2; exit 4', passed: false, messages: ['sh -c echo nope >&2; exit 4 exited 4:\nnope'], score: 0 });
  });

  it('compiles TypeScript with tsc', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('ok.ts', 'export const n: number = 1;\n');
    await env.writeFile('bad.ts', 'export const n: number = "one";\n');
    expect((await runValidator(compiles('typescript', ['ok.ts']), env)).passed).toBe(true);
    const bad = await runValidator(compiles('typescript', ['bad.ts']), env);
    expect(bad.passed).toBe(false);
    expect(bad.messages[0]).toContain("bad.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  });

  it('compiles Python without writing bytecode, and imports modules', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('pkg/ok.py', 'def f(x: int) -> int:\n    return x + 1\n');
    await env.writeFile('pkg/__init__.py', '');
    await env.writeFile('bad.py', 'def f(:\n');
    expect((await runValidator(compiles('python', ['pkg/ok.py'], { importModules: ['pkg.ok'] }), env)).passed).toBe(true);
    const bad = await runValidator(compiles('python', ['bad.py']), env);
    expect(bad.passed).toBe(false);
    expect(bad.messages[0]).toContain('SyntaxError');
    expect((await env.tree()).map((e) => e.path)).toEqual(['bad.py', 'pkg/__init__.py', 'pkg/ok.py']);
  });

  it('compiles Rust library crates with rustc, scoring per file', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('ok.rs', 'pub fn add(a: i32, b: i32) -> i32 { a + b }\n');
    await env.writeFile('bad.rs', 'pub fn add(a: i32) -> i32 { a + "x" }\n');
    const r = await runValidator(compiles('rust', ['ok.rs', 'bad.rs']), env);
    expect(r).toMatchObject({ passed: false, score: 0.5 });
    expect(r.messages[0]).toContain('error[E0277]');
    expect((await env.tree()).map((e) => e.path)).toEqual(['bad.rs', 'ok.rs']);
  });

  it('reads the readiness JSON in either naming style', () => {
    expect(readReadinessJson('{"overallScore": 91.5, "blockingRequirements": []}')).toEqual({ score: 91.5, blockers: [] });
    expect(readReadinessJson('{"overall_score": 40, "blocking_requirements": ["auth-basic"]}')).toEqual({ score: 40, blockers: ['auth-basic'] });
    expect(() => readReadinessJson('{}')).toThrow('no overall score in the readiness JSON');
  });
});

describe('ValidationSuite', () => {
  it('runs validators in order and averages the scores', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('a.json', '{}');
    const suite = new ValidationSuite('output').add(fileExists('a.json', 'b.json')).add(parsesAs('a.json', 'json'));
    const r = await suite.run(env);
    expect(r).toMatchObject({ suite: 'output', passed: false, score: 0.75 });
    expect(r.results.map((x) => x.validator)).toEqual(['file exists: a.json, b.json', 'parses as json: a.json']);
    expect(await new ValidationSuite('empty').run(env)).toEqual({ suite: 'empty', passed: true, score: 1, results: [] });
  });
});
