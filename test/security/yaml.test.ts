// Frontmatter YAML: aliases render the same in `gen` and `template render` (one parser, one value renderer),
// and alias bombs are bounded with a one-line error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { expectOneLineError, snapshot, world, type World } from './helpers.js';

let current: World | undefined;
afterEach(() => current?.cleanup());

function bomb(levels: number): string {
  const lines = ['---', 'to: out.txt', 'vars:', '  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n---\nx\n`;
}

describe('YAML in frontmatter', () => {
  it('aliases render their value in gen and in template render alike', async () => {
    current = world({ 't.tmpl': '---\nto: out.txt\nvars:\n  a: &x "hello"\n  b: *x\n  list: [*x, *x]\n  map: &m { k: v }\n  again: *m\n---\n{{ b }} {{ list | join(sep=",") }} {{ again.k }}\n' });
    const g = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(g.code).toBe(0);
    const written = readFileSync(join(current.project, 'out.txt'), 'utf8');
    expect(written).toBe('hello hello,hello v\n');
    const r = await runGgen(['template', 'render', 't.tmpl'], { cwd: current.project });
    expect(r.stdout).toBe(written);
  });

  it.each([['gen', ['gen', 't.tmpl']], ['template render', ['template', 'render', 't.tmpl']], ['template lint', ['template', 'lint', 't.tmpl']]])('an alias bomb is refused quickly by %s', async (_name, args) => {
    current = world({ 't.tmpl': bomb(9) });
    const before = snapshot(current.root);
    const started = Date.now();
    const r = await runGgen(args as string[], { cwd: current.project });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    // lint reports findings as a list (file:line:col: error: …); the others fail with one error line.
    if (args[1] !== 'lint') expectOneLineError(r.stderr);
    expect(r.stdout + r.stderr).toContain('frontmatter YAML expands aliases too much');
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a deeply nested frontmatter value is refused, not a stack overflow', async () => {
    current = world({ 't.tmpl': `---\nto: out.txt\nvars:\n  deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\nx\n` });
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
  });
});
