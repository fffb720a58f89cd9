// Tera 1.20.1's own test material (test/template/tera-upstream): every case renders byte for byte like the oracle
// (NAME.expected) or is refused like it (NAME.error), apart from the listed allow-list entries, each with a reason.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { createTemplateEngine, parseContextJson } from '../../src/template/index.js';

const root = fileURLToPath(new URL('./tera-upstream/', import.meta.url));
const dir = join(root, 'cases');
const allowList = JSON.parse(readFileSync(join(root, 'allow-list.json'), 'utf8')) as Record<string, string>;

interface Case {
  name: string;
  /** Path of the case without extension: NAME or NAME/case. */
  stem: string;
  partials?: string;
}
const cases: Case[] = readdirSync(dir)
  .sort()
  .flatMap((f): Case[] => {
    if (f.endsWith('.tera')) return [{ name: f.slice(0, -'.tera'.length), stem: join(dir, f.slice(0, -'.tera'.length)) }];
    if (statSync(join(dir, f)).isDirectory()) return [{ name: f, stem: join(dir, f, 'case'), partials: join(dir, f, '_partials') }];
    return [];
  });
const read = (file: string): string => readFileSync(file, 'utf8');

function render(c: Case): string {
  const engine = createTemplateEngine({ templatesDir: c.partials ?? join(dir, '_none') });
  const context = existsSync(`${c.stem}.json`) ? parseContextJson(read(`${c.stem}.json`)) : {};
  return engine.compile(read(`${c.stem}.tera`), `${c.name}.tera`).render(context);
}

describe('Tera 1.20.1 upstream corpus (expectations from the oracle)', () => {
  it('holds every case with an oracle outcome, and an allow-list of existing cases with reasons', () => {
    expect(cases.length).toBeGreaterThanOrEqual(700);
    for (const c of cases) expect(existsSync(`${c.stem}.expected`) || existsSync(`${c.stem}.error`), c.name).toBe(true);
    for (const [name, reason] of Object.entries(allowList)) {
      expect(cases.some((c) => c.name === name), name).toBe(true);
      expect(reason.length, name).toBeGreaterThan(10);
    }
  });

  const checked = cases.filter((c) => !Object.hasOwn(allowList, c.name));
  it.each(checked.filter((c) => existsSync(`${c.stem}.expected`)).map((c) => [c.name, c] as const))('%s renders like Tera', (_, c) => {
    expect(render(c)).toBe(read(`${c.stem}.expected`));
  });

  it.each(checked.filter((c) => existsSync(`${c.stem}.error`)).map((c) => [c.name, c] as const))('%s is refused like Tera', (_, c) => {
    let err: unknown;
    try {
      render(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GgenError);
    expect(['E_TEMPLATE_SYNTAX', 'E_TEMPLATE_RENDER']).toContain((err as GgenError).code);
  });
});
