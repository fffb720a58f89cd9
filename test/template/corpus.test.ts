// The golden corpus: every NAME.tera renders byte for byte like the real Tera (NAME.expected) or is refused like it (NAME.error).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { createTemplateEngine, parseContextJson } from '../../src/template/index.js';

const dir = fileURLToPath(new URL('./corpus/', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.tera'))
  .map((f) => f.slice(0, -'.tera'.length))
  .sort();
const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
const contextOf = (name: string): Record<string, unknown> => (existsSync(join(dir, `${name}.json`)) ? parseContextJson(read(`${name}.json`)) : {});
const engine = createTemplateEngine({ templatesDir: join(dir, '_partials') });

describe('golden corpus (expectations from the real Tera 1.x)', () => {
  it('holds at least 400 cases, each with an oracle outcome', () => {
    expect(names.length).toBeGreaterThanOrEqual(400);
    for (const name of names) expect(existsSync(join(dir, `${name}.expected`)) || existsSync(join(dir, `${name}.error`)), name).toBe(true);
  });

  it.each(names.filter((n) => existsSync(join(dir, `${n}.expected`))))('%s renders like Tera', (name) => {
    expect(engine.compile(read(`${name}.tera`), `${name}.tera`).render(contextOf(name))).toBe(read(`${name}.expected`));
  });

  it.each(names.filter((n) => existsSync(join(dir, `${n}.error`))))('%s is refused like Tera', (name) => {
    let err: unknown;
    try {
      engine.compile(read(`${name}.tera`), `${name}.tera`).render(contextOf(name));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GgenError);
    const g = err as GgenError;
    expect(['E_TEMPLATE_SYNTAX', 'E_TEMPLATE_RENDER']).toContain(g.code);
    // Errors inside a partial name the partial; everything else names the case's template.
    expect(g.at?.file.endsWith('.tera')).toBe(true);
    expect(g.at?.file === `${name}.tera` || g.at?.file.includes('_partials')).toBe(true);
    expect(g.at?.line).toBeGreaterThanOrEqual(1);
  });
});
