// `ggen init` from the built CLI in temp dirs: the scaffold generates, compiles (tsc, python3) and passes its own
// `lifecycle run test` at once; non-empty directories, --force, presets and --pack.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggenBin, makeTempDir, repoRoot, runGgen } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;

beforeAll(() => {
  tmp = makeTempDir('ggen-init-');
  // make.toml phases call `ggen` from PATH, as on a machine with ggen installed: put the built CLI there.
  const bin = join(tmp.dir, 'bin');
  mkdirSync(bin);
  symlinkSync(ggenBin, join(bin, 'ggen'));
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, GGEN_CACHE_DIR: join(tmp.dir, 'cache'), GGEN_REGISTRY_URL: '' };
});
afterAll(() => tmp.cleanup());

const ggen = (args: string[], cwd = tmp.dir) => runGgen(args, { cwd, env });

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function tsc(file: string): string {
  try {
    return execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--strict', '--noEmit', '--target', 'es2022', '--module', 'es2022', file], { encoding: 'utf8', cwd: join(file, '..') });
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe('ggen init', () => {
  it('scaffolds, generates, compiles and passes lifecycle test at once (default preset: TypeScript and Python)', async () => {
    const r = await ggen(['init', 'shop']);
    expect(r.stderr).toBe('initialised shop: 7 files created, 2 generated\nnext: cd shop && ggen lifecycle run test\n');
    expect(r.stdout).toBe([
      'create    shop/ggen.toml', 'create    shop/ontology/model.ttl', 'create    shop/shapes/model.shapes.ttl',
      'create    shop/templates/typescript.tmpl', 'create    shop/templates/python.tmpl', 'create    shop/make.toml', 'create    shop/README.md',
      'generate  shop/generated/python/model.py', 'generate  shop/generated/typescript/model.ts', '',
    ].join('\n'));
    expect(r.code).toBe(0);
    const dir = join(tmp.dir, 'shop');
    expect(readFileSync(join(dir, 'ggen.toml'), 'utf8')).toContain('templates = "templates"\ngraph = ["ontology/model.ttl"]\noutput = "generated"\n\n[vars]\npackage = "shop"\n');
    expect(readFileSync(join(dir, 'make.toml'), 'utf8')).toContain('[lifecycle.test]\ndescription = "Fail when the generated files are out of date (for CI)"\ncommand = "ggen project diff --check"\n');

    const ts = join(dir, 'generated', 'typescript', 'model.ts');
    expect(readFileSync(ts, 'utf8')).toContain('export type OrderStatus = "pending" | "paid" | "shipped";');
    expect(readFileSync(ts, 'utf8')).toContain('export interface Order {\n  id: string;\n  total: number;\n  paid?: boolean;\n  customer: Customer;\n  status: OrderStatus;\n}');
    expect(tsc(ts)).toBe('');
    const py = join(dir, 'generated', 'python');
    const pyOut = execFileSync('python3', ['-c', [
      'import sys; sys.path.insert(0, sys.argv[1])', 'from decimal import Decimal', 'import model',
      'c = model.Customer(id="c1", name="Ada")', 'o = model.Order(id="o1", total=Decimal("9.5"), customer=c, status=model.OrderStatus.PAID)',
      'print(o.customer.name, o.status.value, c.email)',
    ].join('\n'), py], { encoding: 'utf8' });
    expect(pyOut).toBe('Ada paid None\n');

    const gen = await ggen(['project', 'gen'], dir);
    expect(gen).toMatchObject({ code: 0, stdout: '', stderr: '2 unchanged · receipt generated/.ggen/receipt.json\n' });
    const test = await ggen(['lifecycle', 'run', 'test'], dir);
    expect(test.stdout).toBe('Running phase: validate\n[validate] conforms: no SHACL results\nRunning phase: test\n');
    expect(test.stderr).toBe('[test] no changes\n');
    expect(test.code).toBe(0);
  });

  it('lifecycle test fails when the ontology changed and passes again after project gen', async () => {
    const r = await ggen(['init', 'drift']);
    expect(r.code).toBe(0);
    const dir = join(tmp.dir, 'drift');
    const ttl = join(dir, 'ontology', 'model.ttl');
    writeFileSync(ttl, `${readFileSync(ttl, 'utf8')}\nex:Invoice a rdfs:Class ; rdfs:label "Invoice" .\nex:invoiceId a rdf:Property ; rdfs:label "id" ; rdfs:domain ex:Invoice ; rdfs:range xsd:string .\n`);
    const stale = await ggen(['lifecycle', 'run', 'test'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('[test] +export interface Invoice {');
    expect(stale.stderr).toContain('[test] 2 files would change');
    expect((await ggen(['project', 'gen'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'generated', 'python', 'model.py'), 'utf8')).toContain('class Invoice:\n    """Invoice"""\n    id: Optional[str] = None');
    expect((await ggen(['lifecycle', 'run', 'test'], dir)).code).toBe(0);
  });

  it('--preset typescript and --preset python write one template each', async () => {
    const ts = await ggen(['init', 'only-ts', '--preset', 'typescript']);
    expect(ts.code).toBe(0);
    expect(tree(join(tmp.dir, 'only-ts')).filter((p) => !p.includes('.ggen'))).toEqual([
      'README.md', 'generated/typescript/model.ts', 'ggen.toml', 'make.toml', 'ontology/model.ttl', 'shapes/model.shapes.ttl', 'templates/typescript.tmpl',
    ]);
    const py = await ggen(['init', 'only-py', '--preset', 'python', '--json']);
    expect(py.code).toBe(0);
    const json = JSON.parse(py.stdout) as { preset: string; generated: string[]; files: Array<{ path: string; status: string }> };
    expect(json.preset).toBe('python');
    expect(json.generated).toEqual(['python/model.py']);
    expect(json.files.map((f) => f.path)).toEqual(['ggen.toml', 'ontology/model.ttl', 'shapes/model.shapes.ttl', 'templates/python.tmpl', 'make.toml', 'README.md']);
    expect((await ggen(['lifecycle', 'run', 'test'], join(tmp.dir, 'only-py'))).code).toBe(0);
  });

  it('refuses an unknown preset, and --preset with --pack (exit 2)', async () => {
    const bad = await ggen(['init', 'x1', '--preset', 'java']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: option '--preset <name>' argument 'java' is invalid. Allowed choices are default, typescript, python.\n(run with --help for usage)\n");
    const both = await ggen(['init', 'x2', '--preset', 'python', '--pack', 'io.ggen.typescript.types']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('error: --preset and --pack cannot be combined\n  hint: a pack brings its own templates; pick one\n');
    expect(existsSync(join(tmp.dir, 'x1'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'x2'))).toBe(false);
  });

  it('refuses a non-empty directory without --force and writes nothing', async () => {
    const dir = join(tmp.dir, 'busy');
    mkdirSync(join(dir, '.git'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = await ggen(['init', 'busy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: directory is not empty: ${dir} (notes.txt)\n  hint: init an empty or new directory, or pass --force (existing files are kept and listed, never overwritten)\n`);
    expect(readdirSync(dir).sort()).toEqual(['.git', 'notes.txt']);
    // A directory holding only .git (a fresh `git init`) counts as empty.
    mkdirSync(join(tmp.dir, 'fresh-git', '.git'), { recursive: true });
    expect((await ggen(['init', 'fresh-git'])).code).toBe(0);
  });

  it('--force lists existing files that differ and keeps them; identical ones are unchanged', async () => {
    const dir = join(tmp.dir, 'forced');
    mkdirSync(join(dir, 'ontology'), { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# my own readme\n');
    const first = await ggen(['init', 'scratch']);
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'ontology', 'model.ttl'), readFileSync(join(tmp.dir, 'scratch', 'ontology', 'model.ttl')));
    const r = await ggen(['init', 'forced', '--force', '--no-gen']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'create    forced/ggen.toml', 'unchanged forced/ontology/model.ttl', 'create    forced/shapes/model.shapes.ttl',
      'create    forced/templates/typescript.tmpl', 'create    forced/templates/python.tmpl', 'create    forced/make.toml',
      'kept      forced/README.md  (exists and differs from the scaffold; left as it was)', '',
    ].join('\n'));
    expect(r.stderr).toBe('initialised forced: 5 files created, 1 kept\nnext: cd forced && ggen lifecycle run test\n');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# my own readme\n');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('is deterministic: the same name gives the same bytes', async () => {
    mkdirSync(join(tmp.dir, 'a'));
    mkdirSync(join(tmp.dir, 'b'));
    expect((await ggen(['init', 'a/same'])).code).toBe(0);
    expect((await ggen(['init', 'b/same'])).code).toBe(0);
    const files = tree(join(tmp.dir, 'a', 'same')).filter((p) => !p.includes('.ggen'));
    expect(tree(join(tmp.dir, 'b', 'same')).filter((p) => !p.includes('.ggen'))).toEqual(files);
    for (const f of files) expect(readFileSync(join(tmp.dir, 'b', 'same', f), 'utf8')).toBe(readFileSync(join(tmp.dir, 'a', 'same', f), 'utf8'));
  });

  it('--pack installs a registry pack, wires its templates through ggen.toml, and its output compiles', async () => {
    const r = await ggen(['init', 'packed', '--pack', 'io.ggen.typescript.types']);
    expect(r.stdout).toBe([
      'create    packed/ggen.toml', 'create    packed/ontology/model.ttl', 'create    packed/shapes/model.shapes.ttl', 'create    packed/make.toml', 'create    packed/README.md',
      'install   io.ggen.typescript.types@1.0.0  (ggen.lock)', 'generate  packed/generated/typescript/packed.types.ts', '',
    ].join('\n'));
    expect(r.stderr).toBe('initialised packed: 5 files created, 1 generated\nnext: cd packed && ggen lifecycle run test\n');
    expect(r.code).toBe(0);
    const dir = join(tmp.dir, 'packed');
    expect(readFileSync(join(dir, 'ggen.toml'), 'utf8')).toContain('packs = ["io.ggen.typescript.types"]\ngraph = ["ontology/model.ttl"]\noutput = "."\n');
    expect(readFileSync(join(dir, 'ggen.lock'), 'utf8')).toContain('id = "io.ggen.typescript.types"\nversion = "1.0.0"');
    const out = join(dir, 'generated', 'typescript', 'packed.types.ts');
    expect(readFileSync(out, 'utf8')).toContain('export interface Order {');
    expect(tsc(out)).toBe('');
    const gen = await ggen(['project', 'gen'], dir);
    expect(gen).toMatchObject({ code: 0, stderr: '1 unchanged · receipt .ggen/receipt.json\n' });
    expect((await ggen(['lifecycle', 'run', 'test'], dir)).code).toBe(0);
  });

  it('--pack with a starter pack wires the packs it depends on too', async () => {
    const r = await ggen(['init', 'stack', '--pack', 'io.ggen.starter.fullstack']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('create'))).toEqual([
      'install   io.ggen.starter.fullstack@1.0.0  (ggen.lock)', 'generate  stack/generated/openapi/stack.openapi.yaml', 'generate  stack/generated/sql/stack_schema.sql',
      'generate  stack/generated/stack-overview.md', 'generate  stack/generated/typescript/stack.types.ts', '',
    ]);
    expect(readFileSync(join(tmp.dir, 'stack', 'ggen.toml'), 'utf8')).toContain('packs = ["io.ggen.starter.fullstack", "io.ggen.openapi", "io.ggen.sql.ddl", "io.ggen.typescript.types"]\n');
    expect((await ggen(['lifecycle', 'run', 'test'], join(tmp.dir, 'stack'))).code).toBe(0);
  });

  it('a scaffold path that is a directory refuses the init (with --force) before anything is written', async () => {
    const dir = join(tmp.dir, 'clash');
    mkdirSync(join(dir, 'make.toml'), { recursive: true });
    const r = await ggen(['init', 'clash', '--force', '--pack', 'io.ggen.typescript.types']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${join(dir, 'make.toml')}: a scaffold path exists and is not a file\n  hint: move it away, or init another directory\n`);
    expect(readdirSync(dir)).toEqual(['make.toml']);
  });

  it('an unknown pack is refused before anything is written', async () => {
    const r = await ggen(['init', 'nopack', '--pack', 'io.ggen.typescrpt.types']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: pack "io.ggen.typescrpt.types" not found in the registry\n  hint: did you mean "io.ggen.typescript.types"?\n');
    expect(existsSync(join(tmp.dir, 'nopack'))).toBe(false);
  });
});
