// `ggen mcp` through the SDK's real Client over stdio, read-only: every tool, the write refusal, path
// refusals, bad arguments, and resources. One server process serves the whole file (as a client keeps one).
import { createHash } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CleanroomEnv } from '../../src/cleanroom/index.js';
import { call, connect, data, text, writeProject, type Connected } from './helpers.js';

let env: CleanroomEnv;
let c: Connected;
let outsideDir: string;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await writeProject(env);
  // A file outside the workspace (in the env root, next to work/) and symlinks in the workspace pointing at it.
  outsideDir = env.root;
  await import('node:fs/promises').then((fs) => fs.writeFile(`${env.root}/secret.ttl`, '<http://x/s> <http://x/p> "secret" .\n'));
  await symlink(`${env.root}/secret.ttl`, env.resolve('link.ttl'));
  await symlink(env.root, env.resolve('linkdir'));
  c = await connect(env);
});

afterAll(async () => {
  await c?.close();
  await env?.dispose();
});

const TOOLS = ['graph_query', 'graph_validate', 'market_info', 'market_search', 'project_gen', 'project_plan', 'project_verify', 'template_lint', 'template_render', 'template_show'];

describe('tools/list', () => {
  test('lists the ten tools, each with a description and an object input schema', async () => {
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(80);
      expect(t.inputSchema.type, t.name).toBe('object');
    }
    const query = tools.find((t) => t.name === 'graph_query')!;
    expect(query.inputSchema.required).toEqual(['query']);
    expect(Object.keys(query.inputSchema.properties!).sort()).toEqual(['files', 'limit', 'query']);
    expect(query.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(tools.find((t) => t.name === 'project_gen')!.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
  });

  test('the server introduces itself as ggen with instructions', () => {
    expect(c.client.getServerVersion()?.name).toBe('ggen');
    expect(c.client.getInstructions()).toContain('project_plan');
  });
});

describe('graph tools', () => {
  test('graph_query SELECT over the graph of ggen.toml: rows as W3C JSON terms', async () => {
    const r = await call(c, 'graph_query', { query: 'SELECT ?c ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label' });
    expect(data(r)).toEqual({
      kind: 'select', variables: ['c', 'label'], rowCount: 2, truncated: false,
      rows: [
        { c: { type: 'uri', value: 'http://example.org/shop#Customer' }, label: { type: 'literal', value: 'Customer' } },
        { c: { type: 'uri', value: 'http://example.org/shop#Order' }, label: { type: 'literal', value: 'Order' } },
      ],
    });
  });

  test('graph_query keeps to the row limit and says how many there were', async () => {
    const r = await call(c, 'graph_query', { query: 'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s', limit: 2 });
    const d = data(r);
    expect(d.rowCount).toBe(7);
    expect(d.truncated).toBe(true);
    expect(d.rows).toEqual([{ s: { type: 'uri', value: 'http://example.org/shop#Customer' } }, { s: { type: 'uri', value: 'http://example.org/shop#Customer' } }]);
  });

  test('graph_query ASK, and CONSTRUCT cut to the limit', async () => {
    expect(data(await call(c, 'graph_query', { query: 'ASK { ?x a ex:Customer }' }))).toEqual({ kind: 'ask', boolean: true });
    const g = data(await call(c, 'graph_query', { query: 'CONSTRUCT { ?c a rdfs:Class } WHERE { ?c a rdfs:Class }', limit: 1 }));
    expect(g.triples).toBe(2);
    expect(g.truncated).toBe(true);
    expect(g.turtle).toMatch(/\nex:Customer a rdfs:Class\.\n$/);
    expect(g.turtle).not.toContain('ex:Order');
  });

  test('graph_query over given files', async () => {
    await env.writeFile('extra.ttl', '<http://x/a> <http://x/p> "one" .\n');
    const r = await call(c, 'graph_query', { query: 'SELECT ?o WHERE { ?s ?p ?o }', files: ['extra.ttl'] });
    expect(data(r)).toEqual({ kind: 'select', variables: ['o'], rows: [{ o: { type: 'literal', value: 'one' } }], rowCount: 1, truncated: false });
  });

  test('a SPARQL error is a tool error with ggen\'s located message and hint', async () => {
    const r = await call(c, 'graph_query', { query: 'SELECT ?x WHERE { ?x a nope:Thing }' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^query:1:\d+: .*nope.*\nhint: /);
    expect((r.structuredContent as { error: { code: string } }).error.code).toBe('E_SPARQL');
  });

  test('a missing graph file names the file relative to the root', async () => {
    const r = await call(c, 'graph_query', { query: 'ASK {}', files: ['missing.ttl'] });
    expect(r.isError).toBe(true);
    expect(text(r).split('\n')[0]).toMatch(/^missing\.ttl: /);
  });

  test('graph_validate: the SHACL report as JSON', async () => {
    const r = await call(c, 'graph_validate', { shapes: ['shapes.ttl'] });
    expect(data(r)).toEqual({
      conforms: false, violations: 1, warnings: 0, infos: 0,
      report: {
        '@context': { sh: 'http://www.w3.org/ns/shacl#', xsd: 'http://www.w3.org/2001/XMLSchema#' },
        '@type': 'sh:ValidationReport',
        'sh:conforms': false,
        'sh:result': [{
          '@type': 'sh:ValidationResult',
          'sh:focusNode': { '@id': 'http://example.org/shop#bob' },
          'sh:resultPath': { '@id': 'http://example.org/shop#name' },
          'sh:sourceConstraintComponent': { '@id': 'sh:MinCountConstraintComponent' },
          'sh:sourceShape': { '@id': '_:b0' },
          'sh:resultSeverity': { '@id': 'sh:Violation' },
          'sh:resultMessage': 'a customer needs a name',
        }],
      },
    });
  });
});

describe('template tools', () => {
  test('template_render: the body with vars, frontmatter defaults underneath', async () => {
    const r = await call(c, 'template_render', { file: 'templates/hello.tmpl', vars: { name: 'MCP' } });
    expect(r.isError).toBeUndefined();
    expect(text(r)).toBe('Hello, MCP!\n');
    expect(text(await call(c, 'template_render', { file: 'templates/hello.tmpl' }))).toBe('Hello, World!\n');
  });

  test('template_show: what the template declares', async () => {
    expect(data(await call(c, 'template_show', { file: 'templates/entity.tmpl' }))).toEqual({
      path: 'templates/entity.tmpl', to: '{{ row.label | lower }}.ts', foreach: 'classes', description: 'One TypeScript file per class',
      queries: { classes: 'SELECT ?c ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label\n' },
      vars: { package: 'default' }, prompts: {}, inputs: [], inject: false, rdf: [], prefixes: {}, hooks: {},
    });
  });

  test('template_lint: clean templates, then one with a syntax error located at its line', async () => {
    expect(data(await call(c, 'template_lint', { files: ['templates/entity.tmpl', 'templates/hello.tmpl'] }))).toEqual({
      ok: true, errors: 0, warnings: 0, files: [{ file: 'templates/entity.tmpl', issues: [] }, { file: 'templates/hello.tmpl', issues: [] }],
    });
    await env.writeFile('drafts/broken.tmpl', '---\nto: "x.txt"\n---\nline one\n{% if %}\n');
    const d = data(await call(c, 'template_lint', { files: ['drafts/broken.tmpl'] }));
    expect(d.ok).toBe(false);
    expect(d.errors).toBe(1);
    const issue = (d.files as Array<{ file: string; issues: Array<Record<string, unknown>> }>)[0]!.issues[0]!;
    expect(issue.severity).toBe('error');
    expect(issue.file).toBe('drafts/broken.tmpl');
    expect(issue.line).toBe(5);
  });

  test('a render error is a tool error at the template\'s file:line', async () => {
    await env.writeFile('drafts/undefined.tmpl', 'one\n{{ nothing.here }}\n');
    const r = await call(c, 'template_render', { file: 'drafts/undefined.tmpl' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^drafts\/undefined\.tmpl:2:\d+: /);
  });
});

describe('project tools', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  test('project_plan: operations and a unified diff, nothing written', async () => {
    const d = data(await call(c, 'project_plan', {}));
    expect(d).toEqual({
      root: 'out',
      operations: [
        { kind: 'create', path: 'customer.ts', reason: 'new file', templates: ['templates/entity.tmpl'], contentHash: sha('// shop: Customer\nexport interface Customer {}\n') },
        { kind: 'create', path: 'hello.txt', reason: 'new file', templates: ['templates/hello.tmpl'], contentHash: sha('Hello, World!\n') },
        { kind: 'create', path: 'order.ts', reason: 'new file', templates: ['templates/entity.tmpl'], contentHash: sha('// shop: Order\nexport interface Order {}\n') },
      ],
      hooks: [],
      warnings: [],
      diff: [
        '--- /dev/null', '+++ b/customer.ts', '@@ -0,0 +1,2 @@', '+// shop: Customer', '+export interface Customer {}',
        '--- /dev/null', '+++ b/hello.txt', '@@ -0,0 +1,1 @@', '+Hello, World!',
        '--- /dev/null', '+++ b/order.ts', '@@ -0,0 +1,2 @@', '+// shop: Order', '+export interface Order {}', '',
      ].join('\n'),
    });
    expect(await env.exists('out')).toBe(false);
  });

  test('project_plan takes vars as --var does', async () => {
    const d = data(await call(c, 'project_plan', { vars: { package: 'billing' } }));
    expect(d.diff).toContain('+// billing: Customer\n');
  });

  test('project_gen without --allow-write is refused, saying how to enable it; nothing is written', async () => {
    const r = await call(c, 'project_gen', {});
    expect(r.isError).toBe(true);
    expect(text(r)).toBe([
      'project_gen writes files, and this ggen MCP server was started read-only',
      'hint: start it with `ggen mcp --allow-write` (add "--allow-write" to its args in the client configuration); project_plan shows the same changes without writing',
    ].join('\n'));
    expect(await env.exists('out')).toBe(false);
  });

  test('project_verify before any generation: the receipt is missing', async () => {
    const r = await call(c, 'project_verify', {});
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('out/.ggen/receipt.json: no receipt to verify\nhint: run `ggen project gen` first (it writes .ggen/receipt.json)');
  });
});

describe('market tools', () => {
  test('market_search over the bundled registry', async () => {
    const d = data(await call(c, 'market_search', { query: 'typescript', limit: 2 }));
    const results = d.results as Array<Record<string, unknown>>;
    expect(results.map((r) => r.id)).toEqual(['io.ggen.typescript.types', 'io.ggen.starter.fullstack']);
    expect(results[0]).toMatchObject({ name: 'TypeScript types and validators', latest_version: '1.0.0', category: 'typescript', registry: 'bundled' });
  });

  test('market_info: one pack with its versions and templates', async () => {
    const d = data(await call(c, 'market_info', { id: 'io.ggen.typescript.types' }));
    expect(d).toMatchObject({ id: 'io.ggen.typescript.types', latest_version: '1.0.0', registry: 'bundled', installed: null });
    expect((d.versions as Record<string, { templates: string[] }>)['1.0.0']!.templates).toEqual(['templates/types.ts.tmpl']);
  });

  test('an unknown pack is a tool error with a hint', async () => {
    const r = await call(c, 'market_info', { id: 'io.ggen.typescript.typez' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^pack "io\.ggen\.typescript\.typez" not found in the registry\nhint: .*io\.ggen\.typescript\.types/);
  });
});

describe('paths stay inside --root', () => {
  test.each([
    ['../secret.ttl', 'graph file "../secret.ttl" is outside the project root'],
    ['templates/../../secret.ttl', 'graph file "templates/../../secret.ttl" is outside the project root'],
    ['link.ttl', 'graph file "link.ttl" leads outside the project root through a symlink'],
    ['linkdir/secret.ttl', 'graph file "linkdir/secret.ttl" leads outside the project root through a symlink'],
  ])('graph file %s is refused', async (file, message) => {
    const r = await call(c, 'graph_query', { query: 'SELECT * WHERE { ?s ?p ?o }', files: [file] });
    expect(r.isError).toBe(true);
    expect(text(r).split('\n')[0]).toBe(message);
    expect(text(r)).not.toContain('secret"');
  });

  test('an absolute path is refused, even one pointing outside', async () => {
    const r = await call(c, 'template_render', { file: `${outsideDir}/secret.ttl` });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(`template "${outsideDir}/secret.ttl" is an absolute path; paths are relative to the project root\nhint: give a path relative to the project root ${env.path}`);
  });

  test('shapes, lint graphs, project dirs and template reads are checked too', async () => {
    for (const [tool, args, start] of [
      ['graph_validate', { shapes: ['../secret.ttl'] }, 'shapes file "../secret.ttl"'],
      ['template_lint', { files: ['templates/hello.tmpl'], graph: ['link.ttl'] }, 'graph file "link.ttl"'],
      ['template_show', { file: '../secret.ttl' }, 'template "../secret.ttl"'],
      ['project_plan', { dir: '..' }, 'project directory ".."'],
      ['project_plan', { graph: ['linkdir/secret.ttl'] }, 'graph file "linkdir/secret.ttl"'],
    ] as const) {
      const r = await call(c, tool, args);
      expect(r.isError, tool).toBe(true);
      expect(text(r).startsWith(start), text(r)).toBe(true);
    }
  });
});

describe('malformed requests', () => {
  test('wrong argument types get a clean error, and the next call succeeds', async () => {
    const bad = await call(c, 'graph_query', { query: 42, limit: 'ten' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/^MCP error -32602: Input validation error: Invalid arguments for tool graph_query: /);
    expect(text(bad)).toContain('query');
    const missing = await call(c, 'template_render', {});
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('file');
    expect(data(await call(c, 'graph_query', { query: 'ASK { ex:Order a rdfs:Class }' }))).toEqual({ kind: 'ask', boolean: true });
  });

  test('a limit over the maximum is refused by the schema', async () => {
    const r = await call(c, 'graph_query', { query: 'ASK {}', limit: 100_001 });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Input validation error');
  });

  test('an unknown tool is an error, and the server keeps serving', async () => {
    const r = await call(c, 'graph_drop', {});
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('MCP error -32602: Tool graph_drop not found');
    expect(text(await call(c, 'template_render', { file: 'templates/hello.tmpl' }))).toBe('Hello, World!\n');
  });
});

describe('resources', () => {
  test('lists the templates, ggen.toml and the docs pages (no receipt before generation)', async () => {
    const { resources } = await c.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris.filter((u) => !u.startsWith('ggen://docs/'))).toEqual(['ggen://template/templates/entity.tmpl', 'ggen://template/templates/hello.tmpl', 'ggen://project/ggen.toml']);
    expect(uris).toContain('ggen://docs/templates.md');
    expect(uris).toContain('ggen://docs/generation.md');
    const { resourceTemplates } = await c.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['ggen://docs/{name}', 'ggen://project/{name}', 'ggen://template/{+path}']);
  });

  test('reads a template, ggen.toml and a docs page', async () => {
    const tmpl = await c.client.readResource({ uri: 'ggen://template/templates/hello.tmpl' });
    expect(tmpl.contents).toEqual([{ uri: 'ggen://template/templates/hello.tmpl', mimeType: 'text/plain', text: await env.readFile('templates/hello.tmpl') }]);
    const toml = await c.client.readResource({ uri: 'ggen://project/ggen.toml' });
    expect((toml.contents[0] as { text: string }).text).toBe(await env.readFile('ggen.toml'));
    const doc = await c.client.readResource({ uri: 'ggen://docs/templates.md' });
    const { readFile } = await import('node:fs/promises');
    expect((doc.contents[0] as { text: string }).text).toBe(await readFile(new URL('../../docs/templates.md', import.meta.url), 'utf8'));
  });

  test('a missing receipt, an unknown page and a path out of the root are errors', async () => {
    await expect(c.client.readResource({ uri: 'ggen://project/receipt.json' })).rejects.toThrow(/MCP error -32002: out\/\.ggen\/receipt\.json: resource not found/);
    await expect(c.client.readResource({ uri: 'ggen://docs/nope.md' })).rejects.toThrow(/docs page "nope\.md" not found/);
    await expect(c.client.readResource({ uri: 'ggen://template/linkdir/secret.ttl' })).rejects.toThrow(/leads outside the project root through a symlink/);
    await expect(c.client.readResource({ uri: 'ggen://template/templates%2F..%2F..%2Fsecret.ttl' })).rejects.toThrow('MCP error -32602: template "templates/../../secret.ttl" is outside the project root');
    // URL parsing already drops plain dot segments: what is left must still be in a template directory.
    await expect(c.client.readResource({ uri: 'ggen://template/%2e%2e/model.ttl' })).rejects.toThrow('MCP error -32602: "model.ttl" is not in a template directory of the project\nhint: templates live in templates');
  });
});

describe('quiet', () => {
  test('after all of the above the server wrote nothing to stderr', () => {
    expect(c.stderr()).toBe('');
  });
});

describe('the same answers as the CLI', () => {
  const cli = async (args: string[]) => {
    const r = await env.ggen(['--json', ...args]);
    expect(r.exitCode === 0 || r.exitCode === 1, r.stderr).toBe(true);
    return JSON.parse(r.stdout) as unknown;
  };

  test('market_search and market_info equal `ggen market search|info --json`', async () => {
    expect(data(await call(c, 'market_search', { query: 'python', limit: 3 })).results).toEqual(await cli(['market', 'search', 'python', '--limit', '3']));
    expect(data(await call(c, 'market_info', { id: 'io.ggen.sql.ddl' }))).toEqual(await cli(['market', 'info', 'io.ggen.sql.ddl']));
  });

  test('template_show, template_lint and graph_validate equal their CLI --json', async () => {
    expect(data(await call(c, 'template_show', { file: 'templates/entity.tmpl' }))).toEqual(await cli(['template', 'show', 'templates/entity.tmpl']));
    expect(data(await call(c, 'template_lint', { files: ['templates/hello.tmpl', 'drafts/broken.tmpl'] }))).toEqual(await cli(['template', 'lint', 'templates/hello.tmpl', 'drafts/broken.tmpl']));
    expect(data(await call(c, 'graph_validate', { shapes: ['shapes.ttl'] })).report).toEqual(await cli(['graph', 'validate', 'model.ttl', '--shapes', 'shapes.ttl']));
  });
});
