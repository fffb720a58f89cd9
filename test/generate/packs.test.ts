// Pack references: `gen PACK_ID:path` and `project gen PACK_ID` resolve installed packs through ggen.lock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

it('generates from a pack installed from the bundled registry, with its preset', async () => {
  const dir = tree({});
  const env = { GGEN_CACHE_DIR: join(dir, 'cache') };
  expect((await runGgen(['market', 'add', 'io.ggen.typescript.types'], { cwd: dir, env })).code).toBe(0);
  const one = await runGgen(['gen', 'io.ggen.typescript.types:types.ts.tmpl', '--graph', join(repoRoot, 'examples/shop.ttl'), '--out', 'a'], { cwd: dir, env });
  expect([one.code, one.stdout]).toEqual([0, 'create    a/generated/typescript/model.types.ts\n']);
  const all = await runGgen(['project', 'gen', 'io.ggen.typescript.types', '--graph', join(repoRoot, 'examples/shop.ttl'), '--out', 'b'], { cwd: dir, env });
  expect(all.code).toBe(0);
  expect(readFileSync(join(dir, 'b/generated/typescript/model.types.ts'), 'utf8')).toBe(readFileSync(join(dir, 'a/generated/typescript/model.types.ts'), 'utf8'));
  const receipt = JSON.parse(readFileSync(join(dir, 'b/.ggen/receipt.json'), 'utf8'));
  expect(receipt.templates.map((t: { path: string }) => t.path)).toEqual(['io.ggen.typescript.types:templates/types.ts.tmpl']);
  const missing = await runGgen(['gen', 'io.ggen.nothing:x.tmpl'], { cwd: dir, env });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^error: .*ggen\.lock: gpack "io\.ggen\.nothing" is not installed in this project\n/);
});

it('ggen.toml packs = [...] adds installed packs\' templates to the project\'s own; a pack not installed is an error', async () => {
  const dir = tree({
    'ggen.toml': `templates = "templates"\npacks = ["io.ggen.typescript.types"]\ngraph = ["${join(repoRoot, 'examples/shop.ttl')}"]\noutput = "out"\n[vars]\npackage = "shop"\n`,
    'templates/hello.tmpl': '---\nto: hello.txt\n---\nhello {{ package }}\n',
  });
  const env = { GGEN_CACHE_DIR: join(dir, 'cache') };
  const before = await runGgen(['project', 'gen'], { cwd: dir, env });
  expect(before.code).toBe(1);
  expect(before.stderr).toBe(`error: ${join(dir, 'ggen.lock')}: gpack "io.ggen.typescript.types" is not installed in this project\n  hint: run \`ggen market add io.ggen.typescript.types\`\n`);
  expect((await runGgen(['market', 'add', 'io.ggen.typescript.types'], { cwd: dir, env })).code).toBe(0);
  const gen = await runGgen(['project', 'gen'], { cwd: dir, env });
  expect([gen.code, gen.stdout]).toEqual([0, 'create    out/generated/typescript/shop.types.ts\ncreate    out/hello.txt\n']);
  const receipt = JSON.parse(readFileSync(join(dir, 'out/.ggen/receipt.json'), 'utf8'));
  expect(receipt.templates.map((t: { path: string }) => t.path).sort()).toEqual(['io.ggen.typescript.types:templates/types.ts.tmpl', 'templates/hello.tmpl']);
  expect((await runGgen(['project', 'diff', '--check'], { cwd: dir, env })).code).toBe(0);
});
