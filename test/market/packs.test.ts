// The starter packs: installed from the served bundled registry into a temp project, generated from the example
// ontology, and the output compiled or validated with the real tools (tsc, python3, rustc, sqlite3, an OpenAPI parser).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot } from '../helpers/cli.js';
import { ggen, serveDir, type Served } from './helpers.js';

const exampleOntology = join(repoRoot, 'examples', 'shop.ttl');
const fixtureOntology = join(repoRoot, 'test', 'market', 'fixtures', 'shop.ttl');
const bundled = join(repoRoot, 'registry-bundled');
/** Where each pack's output goes in the tests below (the generation runs start in beforeAll). */
const OUT_DIRS: Array<[string, string]> = [['io.ggen.typescript.types', 'ts'], ['io.ggen.python.dataclasses', 'py'], ['io.ggen.rust.structs', 'rs'], ['io.ggen.sql.ddl', 'sql'], ['io.ggen.openapi', 'api'], ['io.ggen.markdown.docs', 'md'], ['io.ggen.starter.fullstack', 'full']];
const PACKS = ['io.ggen.markdown.docs', 'io.ggen.openapi', 'io.ggen.python.dataclasses', 'io.ggen.rust.structs', 'io.ggen.sql.ddl', 'io.ggen.starter.fullstack', 'io.ggen.typescript.types'];

const ontologies = [['example', exampleOntology], ['fixture', fixtureOntology]].filter(([, f]) => existsSync(f!)) as Array<[string, string]>;

let root: string;
let cleanup: () => void;
let cache: string;
let served: Served;
let proj: string;

beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('ggen-market-packs-'));
  cache = join(root, 'cache');
  proj = join(root, 'project');
  served = await serveDir(bundled);
  mkdirSync(proj, { recursive: true });
  const add = await ggen(['market', 'add', ...PACKS], proj, cache, { env: { GGEN_REGISTRY_URL: served.url } });
  expect(add.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  expect(add.code).toBe(0);
  for (const [name, ontology] of ontologies) for (const [pack, sub] of OUT_DIRS) void generate(pack, ontology, join(root, `out-${name}`, sub));
});

afterAll(async () => {
  await served.stop();
  cleanup();
});

// Generation runs are started ahead, a few at a time, and awaited by the tests that check them.
const runs = new Map<string, Promise<string[]>>();
let slots = 3;
const waiting: Array<() => void> = [];
async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  while (slots === 0) await new Promise<void>((r) => waiting.push(r));
  slots--;
  try {
    return await fn();
  } finally {
    slots++;
    waiting.shift()?.();
  }
}

function generate(pack: string, ontology: string, out: string): Promise<string[]> {
  const key = `${pack}|${ontology}|${out}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = withSlot(() => generateNow(pack, ontology, out));
    run.catch(() => undefined); // reported by the test that awaits it
    runs.set(key, run);
  }
  return run;
}

async function generateNow(pack: string, ontology: string, out: string): Promise<string[]> {
  const r = await ggen(['project', 'gen', pack, '--graph', ontology, '--var', 'package=shop', '--out', out, '--no-receipt'], proj, cache);
  expect(r.stderr).not.toMatch(/^(error|warning)/m);
  expect(r.code).toBe(0);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(out);
  return files.sort();
}


describe('starter registry', () => {
  it('is bundled and searchable offline on a fresh install', async () => {
    const fresh = join(root, 'fresh');
    mkdirSync(fresh, { recursive: true });
    const r = await ggen(['market', 'search', '--json', '--limit', '100'], fresh, join(root, 'fresh-cache'));
    expect(JSON.parse(r.stdout).map((p: { id: string }) => p.id).sort()).toEqual(PACKS);
    const cats = await ggen(['market', 'categories'], fresh, join(root, 'fresh-cache'));
    expect(cats.stdout).toBe('api (1 pack)\ndocs (1 pack)\npython (1 pack)\nrust (1 pack)\nsql (1 pack)\nstarter (1 pack)\ntypescript (1 pack)\n');
  });

  it('installed every pack with its dependencies through HTTP', async () => {
    const list = JSON.parse((await ggen(['market', 'list', '--json'], proj, cache)).stdout) as Array<{ id: string; source: string }>;
    expect(list.map((p) => p.id)).toEqual(PACKS);
    expect(new Set(list.map((p) => p.source))).toEqual(new Set([served.url]));
  });

  describe.each(ontologies)('generated from the %s ontology', (name, ontology) => {
    const out = () => join(root, `out-${name}`);

    it('TypeScript types compile under tsc --strict and the validators work', async () => {
      const [file] = await generate('io.ggen.typescript.types', ontology, join(out(), 'ts'));
      expect(file).toMatch(/generated\/typescript\/shop\.types\.ts$/);
      const tsc = (() => {
        try {
          return execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--strict', '--noEmit', '--target', 'es2022', '--module', 'es2022', file!], { encoding: 'utf8', cwd: join(file!, '..') });
        } catch (err) {
          return String((err as { stdout?: string }).stdout);
        }
      })();
      expect(tsc).toBe('');
      const { transformSync } = await import('esbuild');
      const js = transformSync(readFileSync(file!, 'utf8'), { loader: 'ts', format: 'esm' }).code;
      const mod = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
      expect(mod.isOrderStatus('paid')).toBe(true);
      expect(mod.isOrderStatus('lost')).toBe(false);
      expect(mod.isCustomer({})).toBe(false);
    });

    it('Python dataclasses import and construct', async () => {
      const [file] = await generate('io.ggen.python.dataclasses', ontology, join(out(), 'py'));
      const dir = join(file!, '..');
      const script = 'import shop_models as m\nassert m.OrderStatus("paid") is m.OrderStatus.PAID\nprint(sorted(m.__all__))';
      const printed = execFileSync('python3', ['-c', script], { cwd: dir, encoding: 'utf8' });
      expect(printed).toContain("'Customer'");
      expect(printed).toContain("'OrderStatus'");
    });

    it('Rust structs compile with rustc (serde behind a feature)', async () => {
      const [file] = await generate('io.ggen.rust.structs', ontology, join(out(), 'rs'));
      expect(readFileSync(file!, 'utf8')).toContain('#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]');
      execFileSync('rustc', ['--crate-type', 'lib', '--edition', '2021', '-D', 'warnings', '-A', 'unexpected_cfgs', '--out-dir', join(out(), 'rs-build'), file!], { stdio: 'pipe' });
    });

    it('SQL DDL runs in sqlite3 and enforces keys', async () => {
      const [file] = await generate('io.ggen.sql.ddl', ontology, join(out(), 'sql'));
      const db = join(out(), 'shop.db');
      execFileSync('sqlite3', [db], { input: readFileSync(file!, 'utf8') });
      const tables = execFileSync('sqlite3', [db, '.tables'], { encoding: 'utf8' });
      expect(tables).toMatch(/customer/);
      expect(tables).toMatch(/order/);
      expect(() => execFileSync('sqlite3', [db], { input: 'PRAGMA foreign_keys = ON;\nINSERT INTO "order" ("id", "customer_id", "status") VALUES (\'o1\', \'nobody\', \'paid\');\n', stdio: 'pipe' })).toThrow();
    });

    it('the OpenAPI 3.1 document validates', async () => {
      const [file] = await generate('io.ggen.openapi', ontology, join(out(), 'api'));
      const { validate } = await import('@readme/openapi-parser');
      const result = await validate(file!);
      expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
      expect(readFileSync(file!, 'utf8')).toContain('openapi: 3.1.0\n');
    });

    it('Markdown docs list every entity with a field table', async () => {
      const [file] = await generate('io.ggen.markdown.docs', ontology, join(out(), 'md'));
      const md = readFileSync(file!, 'utf8');
      expect(md).toMatch(/^# The shop model\n/);
      expect(md).toContain('\n## Customer\n');
      expect(md).toContain('| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n');
      expect(md).toContain('\n## Enumerations\n');
    });

    it('the full-stack starter renders its overview', async () => {
      const [file] = await generate('io.ggen.starter.fullstack', ontology, join(out(), 'full'));
      expect(readFileSync(file!, 'utf8')).toContain('| Customer | `Customer` | `customer` | `/customer` |');
    });
  });

  it('a starter pack passes its own scenarios with `market test`', async () => {
    const r = await ggen(['market', 'test', 'io.ggen.rust.structs', '--json'], proj, cache);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).scenarios.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([['io.ggen.rust.structs projects a small ontology', 'passed']]);
  });

  it('one template of a pack through PACK_ID:path with `ggen gen`', async () => {
    const r = await ggen(['gen', 'io.ggen.sql.ddl:schema.sql.tmpl', '--graph', fixtureOntology, '--out', join(root, 'one'), '--no-receipt'], proj, cache);
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'one', 'generated', 'sql', 'model_schema.sql'), 'utf8')).toContain('CREATE TABLE "order_products" (\n  "order_order_number" INTEGER NOT NULL REFERENCES "order" ("order_number") ON DELETE CASCADE,\n  "product_sku" TEXT NOT NULL REFERENCES "product" ("sku"),');
    const missing = await ggen(['gen', 'io.ggen.sql.ddl:nope.tmpl', '--graph', fixtureOntology], proj, cache);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: template "nope.tmpl" not found in gpack "io.ggen.sql.ddl@1.0.0"');
    const notInstalled = await ggen(['gen', 'io.ggen.other:x.tmpl'], proj, cache);
    expect(notInstalled.stderr).toContain('gpack "io.ggen.other" is not installed in this project');
  });
});
