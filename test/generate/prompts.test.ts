// Prompts for missing variables: asked under a real pseudo-terminal (util-linux `script`), never when piped, in CI or
// with --json; --var and ggen.toml values win; the plain `vars: { name: value }` form keeps working.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ggenBin, runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

const SVC = `---
to: "{{ name }}.txt"
vars:
  name: { prompt: "Service name?", default: "api" }
  port: { prompt: "Port?" }
  tier: { prompt: "Tier?", choices: [free, pro], default: free }
  meta: { prompt: "not a prompt spec: it has another key", owner: ops }
  plain: value
---
service {{ name }} on {{ port }} ({{ tier }}, {{ meta.owner }}, {{ plain }})
`;

const hasScript = spawnSync('script', ['--version']).status === 0;

interface PtyRun {
  code: number;
  /** Everything the terminal showed (prompts included), without ANSI escapes. */
  screen: string;
}

const plainText = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, '').replace(/\r/g, '');

/**
 * Runs ggen on a pseudo-terminal. `steps` are [text the screen must show, keys to type then]; each step waits for
 * its text to appear, so keys are typed only once the prompt is on screen.
 */
function runOnPty(args: string[], cwd: string, steps: Array<[string, string]>, env: Record<string, string | undefined> = {}): Promise<PtyRun> {
  const quoted = [process.execPath, ggenBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env };
  delete childEnv.CI;
  if (env.CI !== undefined) childEnv.CI = env.CI;
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols 100 rows 40; exec ${quoted}`, '/dev/null'], { cwd, env: childEnv });
    let screen = '';
    let next = 0;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out; screen so far:\n${plainText(screen)}`)); }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d;
      while (next < steps.length && plainText(screen).includes(steps[next]![0])) child.stdin.write(steps[next++]![1]);
    });
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, screen: plainText(screen) }); });
  });
}

describe.skipIf(!hasScript)('prompts on a terminal', () => {
  it('asks for each variable with a prompt and no value, then generates; an empty answer keeps the default', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    const r = await runOnPty(['gen', 'svc.tmpl'], dir, [['Service name?', '\r'], ['Port?', '8080\r'], ['Tier?', '\u001b[B\r']]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'api.txt'), 'utf8')).toBe('service api on 8080 (pro, ops, value)\n');
    expect(r.screen).not.toContain('not a prompt spec');
    // The answers are recorded like --var values, so verify (piped, nothing asked) reproduces the tree.
    const receipt = JSON.parse(readFileSync(join(dir, '.ggen/receipt.json'), 'utf8'));
    expect(receipt.cliVars).toEqual({ port: '8080', tier: 'pro' });
  });

  it('typed answers become the values; --var and ggen.toml [vars] are never asked for', async () => {
    const dir = tree({ 'templates/svc.tmpl': SVC, 'ggen.toml': 'templates = "templates"\noutput = "out"\n[vars]\ntier = "pro"\n' });
    const r = await runOnPty(['project', 'gen', '.', '--var', 'port=9000'], dir, [['Service name?', 'billing\r']]);
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain('Port?');
    expect(r.screen).not.toContain('Tier?');
    expect(readFileSync(join(dir, 'out/billing.txt'), 'utf8')).toBe('service billing on 9000 (pro, ops, value)\n');
    const verify = await runGgen(['project', 'verify', '.'], { cwd: dir });
    expect([verify.code, verify.stdout]).toEqual([0, 'ok: outputs, templates and graph match the receipt\n']);
  });

  it('a prompt without a default does not accept an empty answer; Ctrl-C cancels with exit 130 and writes nothing', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    const r = await runOnPty(['gen', 'svc.tmpl', '--var', 'name=x', '--var', 'tier=free'], dir, [['Port?', '\r'], ['port needs a value', '\u0003']]);
    expect(r.code).toBe(130);
    expect(r.screen).toContain('error: cancelled at a prompt; nothing was generated');
    expect(existsSync(join(dir, 'x.txt'))).toBe(false);
  });

  it('in CI (CI=true) or with --json nothing is asked, even on a terminal', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    for (const [args, env] of [[['gen', 'svc.tmpl'], { CI: 'true' }], [['gen', 'svc.tmpl', '--json'], {}]] as const) {
      const r = await runOnPty([...args], dir, [], env);
      expect(r.code).toBe(1);
      expect(r.screen).not.toContain('Service name?');
      expect(r.screen).toContain('variable "port" is not defined');
    }
  });

  it('template render asks too, and prints only the rendered text on stdout', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    const r = await runOnPty(['template', 'render', 'svc.tmpl', '--var', 'name=web', '--var', 'tier=free'], dir, [['Port?', '81\r']]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain('service web on 81 (free, ops, value)\n');
  });
});

describe('prompts when piped', () => {
  it('nothing is asked: defaults apply and a variable without one is the missing-variable error, as before', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    const r = await runGgen(['gen', 'svc.tmpl'], { cwd: dir, input: 'billing\n8080\n' });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'error: svc.tmpl:10:1: variable "port" is not defined\n10 | service {{ name }} on {{ port }} ({{ tier }}, {{ meta.owner }}, {{ plain }})\n  hint: pass it with --var port=… (defined: meta, name, plain, sparql_results, tier)\n']);
    const ok = await runGgen(['gen', 'svc.tmpl', '--var', 'port=1'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'api.txt'), 'utf8')).toBe('service api on 1 (free, ops, value)\n');
  });

  it('template show lists prompts; lint counts a prompted variable as declared', async () => {
    const dir = tree({ 'svc.tmpl': SVC });
    const show = JSON.parse((await runGgen(['template', 'show', 'svc.tmpl', '--json'], { cwd: dir })).stdout);
    expect(show.prompts).toEqual({ name: { prompt: 'Service name?', default: 'api' }, port: { prompt: 'Port?' }, tier: { prompt: 'Tier?', choices: ['free', 'pro'], default: 'free' } });
    expect(show.vars).toEqual({ name: 'api', tier: 'free', meta: { prompt: 'not a prompt spec: it has another key', owner: 'ops' }, plain: 'value' });
    const lint = await runGgen(['template', 'lint', 'svc.tmpl'], { cwd: dir });
    expect([lint.code, lint.stdout, lint.stderr]).toEqual([0, '', '1 template: 0 errors, 0 warnings\n']);
  });
});
