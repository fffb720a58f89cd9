// Scenario files: parsing (with positions and "did you mean"), running every step and expectation kind, reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CleanroomEnv, formatScenarioReport, parseScenario, runScenarioFiles, scenarioReportJson, splitWords, toJUnitXml, type ScenarioReport } from './api.js';

const dir = new URL('./fixtures/scenarios/', import.meta.url).pathname;
const fixture = (name: string) => join(dir, name);

/** Report text with durations and temp paths replaced, so it can be compared exactly. */
function stable(text: string): string {
  return text.replace(/\d+(\.\d+)? (ms|s)\b/g, 'N ms').replace(/\/tmp\/ggen-cleanroom-[0-9a-f-]{36}/g, '<env>');
}

describe('parseScenario', () => {
  const broken: Array<[title: string, toml: string, message: string, line: number | undefined, hint?: string]> = [
    ['bad TOML', 'name = "x"\n[[steps]]\nrun = \n', 'invalid TOML: invalid value', 3],
    ['unknown top-level key', 'nmae = "x"\n[[steps]]\nrun = "true"\n', 'unknown key "nmae" in the scenario', 1, 'did you mean "name"?'],
    ['unknown step key', '[[steps]]\nrun = "true"\n\n[[steps]]\nrun = "true"\nexit_cod = 1\n', 'unknown key "exit_cod" in steps[1]', 6, 'did you mean "exit_code"?'],
    ['step without action', '[[steps]]\nname = "x"\n', 'steps[0] has no action', 1, 'give each step exactly one of: write, copy, mkdir, ggen, run'],
    ['mistyped action', '[[steps]]\nname = "x"\nrnu = "true"\n', 'unknown action "rnu" in steps[0]', 3, 'did you mean "run"?'],
    ['mistyped ggen action', '[[steps]]\nrun = "true"\n\n[[steps]]\ngen = "--version"\n', 'unknown action "gen" in steps[1]', 5, 'did you mean "ggen"?'],
    ['step with two actions', '[[steps]]\nrun = "a"\nggen = "b"\n', 'steps[0] has more than one action (ggen, run)', 1],
    ['bad regex', '[[steps]]\nrun = "true"\nstdout = "("\n', 'steps[0].stdout is not a valid regular expression: Invalid regular expression: /(/m: Unterminated group', 3],
    ['unknown validator', '[[expect.validators]]\ntype = "compile"\n', 'unknown validator type "compile" in expect.validators[0]', 1, 'did you mean "compiles"?'],
    ['bad parse format', '[[expect.validators]]\ntype = "parses"\nfile = "a"\nformat = "jsn"\n', 'expect.validators[0].format must be one of json, toml, yaml, turtle', 1, 'did you mean "json"?'],
    ['min_score out of range', '[[expect.validators]]\ntype = "file_exists"\npaths = ["a"]\nmin_score = 2\n', 'expect.validators[0].min_score must be between 0 and 1', 1],
    ['empty scenario', 'name = "x"\n', 'the scenario has no steps and no expectations', undefined],
    ['unterminated quote', '[[steps]]\nggen = "gen \'x"\n', `steps[0].ggen: unterminated ' quote in "gen 'x"`, 1],
  ];
  it.each(broken)('rejects %s', async (_title, toml, message, line, hint) => {
    const err = await parseScenario(toml, 'bad.toml').then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_CONFIG', message, at: { file: 'bad.toml', ...(line === undefined ? {} : { line }) } });
    if (hint !== undefined) expect(err).toMatchObject({ hint });
  });

  it('normalises steps and expectations', async () => {
    const s = await parseScenario('[[steps]]\nggen = "gen \'a b\' --x"\ncwd = "sub"\n[[steps]]\nrun = ["ls", "-a"]\n[expect]\ntree = "g"\n', '/x/s.toml');
    expect(s).toMatchObject({
      name: 's',
      steps: [
        { kind: 'ggen', args: ['gen', 'a b', '--x'], cwd: 'sub', name: "ggen gen a b --x", line: 1, expect: { exitCode: 0 } },
        { kind: 'run', command: 'ls', args: ['-a'], line: 4 },
      ],
      expectations: [{ spec: { type: 'tree', dir: '.', golden: '/x/g' } }],
    });
  });

  it('splits words like a shell (quotes and backslashes, no expansion)', () => {
    expect(splitWords(`a 'b c' "d \\"e\\"" f\\ g $HOME ''`)).toEqual(['a', 'b c', 'd "e"', 'f g', '$HOME', '']);
  });
});

describe('runScenarioFiles', () => {
  it('runs a scenario with every step kind and expectation', async () => {
    const report = await runScenarioFiles([fixture('passing.toml')]);
    const s = report.scenarios[0]!;
    expect(s.failures).toEqual([]);
    expect(report).toMatchObject({ passed: true, total: 1, failed: 0 });
    expect(s.steps.map((st) => [st.kind, st.status, st.exitCode])).toEqual([
      ['write', 'passed', undefined], ['copy', 'passed', undefined], ['mkdir', 'passed', undefined],
      ['run', 'passed', 0], ['run', 'passed', 0], ['run', 'passed', 3], ['run', 'passed', 0], ['ggen', 'passed', 0], ['ggen', 'passed', 2],
    ]);
    expect(s.steps[3]!.name).toBe('shout the fixture');
    expect(s.expectations.map((e) => [e.validator, e.passed, e.score])).toEqual([
      ['file exists: out/upper.txt, tpl/greeting.txt', true, 1],
      ['file equals golden: out/upper.txt', true, 1],
      ['tree equals snapshot: out', true, 1],
      ['parses as json: out/data.json', true, 1],
      ['command succeeds: sh -c grep -q HELLO out/upper.txt', true, 1],
      ['file exists: out/upper.txt, out/missing.txt', true, 0.5],
    ]);
  });

  it('stops at a failing step, skips the rest, and reports text, JSON and JUnit', async () => {
    const report = await runScenarioFiles([fixture('failing.toml'), fixture('expect-fails.toml')], { concurrency: 2 });
    expect(report).toMatchObject({ passed: false, total: 2, failed: 2 });
    expect(report.scenarios[0]!.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped']);
    expect(report.scenarios[0]!.expectations).toEqual([]);
    expect(stable(formatScenarioReport(report))).toBe([
      `FAIL  a step fails (${fixture('failing.toml')}, N ms)`,
      '      step 2 (echo to stdout; echo broken >&2; exit 1, line 7): exit code 1, expected 0',
      '      sh -c echo to stdout; echo broken >&2; exit 1 exited 1:',
      '      broken',
      `FAIL  an expectation fails (${fixture('expect-fails.toml')}, N ms)`,
      `      expect parses as json: out/data.json (line 7): out/data.json: Expected property name or '}' in JSON at position 2 (line 1, column 3)`,
      '      expect file exists: out/data.json, a, b (line 12): score 0.33 is below 0.5',
      '      missing: a',
      '      missing: b',
      '',
      '2 scenarios: 0 passed, 2 failed',
    ].join('\n'));
    const json = scenarioReportJson(report) as ScenarioReport;
    expect(json.scenarios[1]!.expectations[1]).toMatchObject({ validator: 'file exists: out/data.json, a, b', passed: false, score: 1 / 3, minScore: 0.5, messages: ['score 0.33 is below 0.5', 'missing: a', 'missing: b'] });
    const xml = toJUnitXml(report);
    expect(xml).toContain('<testsuites name="ggen cleanroom" tests="2" failures="2" errors="0"');
    expect(xml).toContain(`<testcase classname="${fixture('failing.toml')}" name="a step fails"`);
    expect(xml).toContain('<failure message="step 2 (echo to stdout; echo broken &gt;&amp;2; exit 1, line 7): exit code 1, expected 0">');
  });

  it('runs a setup hook and extra env in every scenario env, and keeps failing envs when asked', async () => {
    const seen: string[] = [];
    const report = await runScenarioFiles([fixture('failing.toml')], {
      env: { EXTRA: 'yes' },
      keepOnFailure: true,
      config: { logger: () => undefined },
      setup: async (env: CleanroomEnv) => { seen.push(env.path); await env.writeFile('from-setup.txt', 'x'); },
    });
    const kept = report.scenarios[0]!.keptPath!;
    expect(kept).toBe(seen[0]);
    expect(readFileSync(join(kept, 'from-setup.txt'), 'utf8')).toBe('x');
    expect(formatScenarioReport(report)).toContain(`      kept: ${kept}`);
    await import('node:fs').then((fs) => fs.rmSync(join(kept, '..'), { recursive: true, force: true }));
  });

  it('loads directories of *.toml; a missing file stops the run before anything runs', async () => {
    const report = await runScenarioFiles([dir], { concurrency: 3 });
    expect(report.scenarios.map((x) => [x.name, x.status])).toEqual([['an expectation fails', 'failed'], ['a step fails', 'failed'], ['every step kind', 'passed']]);
    await expect(runScenarioFiles([fixture('passing.toml'), join(dir, 'nope.toml')])).rejects.toMatchObject({ code: 'E_IO', message: 'scenario file not found' });
  });

  it('reports status error when the setup throws', async () => {
    const report = await runScenarioFiles([fixture('passing.toml')], { setup: () => Promise.reject(new Error('pack not installed')) });
    expect(report.scenarios[0]).toMatchObject({ status: 'error', failures: ['pack not installed'] });
    expect(toJUnitXml(report)).toContain('<error message="pack not installed">pack not installed</error>');
  });
});
