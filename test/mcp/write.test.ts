// `ggen mcp --allow-write`: plan, generate, verify, drift and the receipt resource, through the real client.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CleanroomEnv } from '../../src/cleanroom/index.js';
import { call, connect, data, text, writeProject, type Connected } from './helpers.js';

let env: CleanroomEnv;
let c: Connected;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await writeProject(env);
  c = await connect(env, ['--allow-write']);
});

afterAll(async () => {
  await c?.close();
  await env?.dispose();
});

test('project_gen writes what project_plan showed, with a receipt', async () => {
  const plan = data(await call(c, 'project_plan', {}));
  const gen = data(await call(c, 'project_gen', {}));
  expect(gen.operations).toEqual(plan.operations);
  expect(gen).toMatchObject({ root: 'out', written: ['customer.ts', 'hello.txt', 'order.ts'], deleted: [], hookRuns: [], receipt: 'out/.ggen/receipt.json', hooks: [], warnings: [] });
  expect(await env.readFile('out/customer.ts')).toBe('// shop: Customer\nexport interface Customer {}\n');
  expect(await env.readFile('out/hello.txt')).toBe('Hello, World!\n');
  expect(await env.readFile('out/order.ts')).toBe('// shop: Order\nexport interface Order {}\n');
  // The same tree as the CLI writes for the same project.
  await env.copyIn(env.resolve('templates'), 'cli/templates');
  await env.writeFiles({ 'cli/ggen.toml': await env.readFile('ggen.toml'), 'cli/model.ttl': await env.readFile('model.ttl') });
  const r = await env.ggen(['project', 'gen', 'cli']);
  expect(r.exitCode, r.stderr).toBe(0);
  for (const f of ['customer.ts', 'hello.txt', 'order.ts']) expect(await env.readFile(`cli/out/${f}`)).toBe(await env.readFile(`out/${f}`));
});

test('a second project_gen and project_plan find nothing to change', async () => {
  const gen = data(await call(c, 'project_gen', {}));
  expect(gen.written).toEqual([]);
  expect((gen.operations as Array<{ kind: string }>).map((o) => o.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  expect(data(await call(c, 'project_plan', {})).diff).toBe('');
});

test('project_verify: ok; hand edits are kept, not drift; a graph change is drift', async () => {
  expect(data(await call(c, 'project_verify', {}))).toEqual({ receipt: 'out/.ggen/receipt.json', ok: true, drift: [], kept: [] });
  await env.writeFile('out/hello.txt', 'Hello, edited!\n');
  expect(data(await call(c, 'project_verify', {}))).toEqual({ receipt: 'out/.ggen/receipt.json', ok: true, drift: [], kept: ['hello.txt'] });
  await env.writeFile('model.ttl', (await env.readFile('model.ttl')).replace('"Order"', '"Purchase"'));
  const d = data(await call(c, 'project_verify', {}));
  expect(d.ok).toBe(false);
  expect(d.drift).toEqual([
    { kind: 'graph-changed', path: 'model.ttl', detail: expect.stringMatching(/^graph hash [0-9a-f]{12} → [0-9a-f]{12}$/) },
    { kind: 'output-gone', path: 'order.ts', detail: 'generation no longer produces this file' },
    { kind: 'output-new', path: 'purchase.ts', detail: 'generation would add this file' },
  ]);
});

test('project_gen with prune follows the graph and keeps the hand edit; force overwrites it', async () => {
  const gen = data(await call(c, 'project_gen', { prune: true }));
  expect(gen).toMatchObject({ written: ['purchase.ts'], deleted: ['order.ts'] });
  expect(await env.readFile('out/purchase.ts')).toBe('// shop: Purchase\nexport interface Purchase {}\n');
  expect(await env.exists('out/order.ts')).toBe(false);
  expect(await env.readFile('out/hello.txt')).toBe('Hello, edited!\n');
  expect(data(await call(c, 'project_verify', {}))).toMatchObject({ ok: true, drift: [] });
  const plan = data(await call(c, 'project_plan', { force: true }));
  expect(plan.diff).toBe('--- a/hello.txt\n+++ b/hello.txt\n@@ -1,1 +1,1 @@\n-Hello, edited!\n+Hello, World!\n');
  const forced = data(await call(c, 'project_gen', { force: true }));
  expect(forced.written).toEqual(['hello.txt']);
  expect(await env.readFile('out/hello.txt')).toBe('Hello, World!\n');
});

test('the receipt is a resource once generated', async () => {
  const { resources } = await c.client.listResources();
  expect(resources.map((r) => r.uri)).toContain('ggen://project/receipt.json');
  const res = await c.client.readResource({ uri: 'ggen://project/receipt.json' });
  const item = res.contents[0] as { text: string; mimeType: string };
  expect(item.mimeType).toBe('application/json');
  expect(item.text).toBe(await env.readFile('out/.ggen/receipt.json'));
  expect(Object.keys(JSON.parse(item.text) as object)).toContain('outputs');
});

test('templates with hooks need --allow-hooks', async () => {
  await env.writeFile('templates/hooked.tmpl', '---\nto: "hooked.txt"\nsh_after: "echo done"\n---\nhooked\n');
  const r = await call(c, 'project_gen', {});
  expect(r.isError).toBe(true);
  expect(text(r).split('\n')[0]).toBe('templates/hooked.tmpl: templates/hooked.tmpl declares a sh_after hook (echo done); hooks run only with --allow-hooks');
  expect(await env.exists('out/hooked.txt')).toBe(false);
  await env.remove('templates/hooked.tmpl');
});
