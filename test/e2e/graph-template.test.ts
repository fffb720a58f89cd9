// Graph and template commands end to end, in a cleanroom: query, SHACL validation, export round trip,
// snapshots that catch a change, parse errors with positions; template render, new, list and lint.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationSuite, parsesAs, shaclConforms } from '../../src/cleanroom/index.js';
import { CleanroomEnv, fixtures } from './helpers.js';

const NAMES = 'PREFIX foaf: <http://xmlns.com/foaf/0.1/> SELECT ?name WHERE { ?p foaf:name ?name } ORDER BY ?name';
let env: CleanroomEnv;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await env.copyIn(join(fixtures, 'graph'));
});
afterAll(() => env.dispose());

describe('ggen graph', () => {
  it('queries with SPARQL as a table and as SPARQL JSON', async () => {
    const table = await env.ggen(['graph', 'query', 'people.ttl', '-q', NAMES]);
    expect(table).toMatchObject({ exitCode: 0, stdout: '?name\n-----\nAda\nAlan\n' });
    const json = await env.ggen(['graph', 'query', 'people.ttl', '-q', NAMES, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ head: { vars: ['name'] }, results: { bindings: [{ name: { type: 'literal', value: 'Ada' } }, { name: { type: 'literal', value: 'Alan' } }] } });
  });

  it('validates against SHACL shapes: exit 1 with the violation, like the cleanroom validator', async () => {
    const r = await env.ggen(['graph', 'validate', 'people.ttl', '--shapes', 'shapes.ttl']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('does not conform: 1 violation, 0 warnings, 0 info');
    expect(r.stdout).toContain('focus node: ex:nameless');
    const suite = await new ValidationSuite('shapes', [shaclConforms('people.ttl', 'shapes.ttl')]).run(env);
    expect(suite.results[0]!.messages).toEqual(['Violation: <http://example.org/nameless> <http://xmlns.com/foaf/0.1/name>: a person needs a name']);
  });

  it('exports to N-Triples and the export queries the same', async () => {
    const r = await env.ggen(['graph', 'export', 'people.ttl', '--to', 'nt', '-o', 'people.nt']);
    expect(r.exitCode).toBe(0);
    expect((await new ValidationSuite('nt', [parsesAs('people.nt', 'turtle')]).run(env)).passed).toBe(true);
    const again = await env.ggen(['graph', 'query', 'people.nt', '-q', NAMES]);
    expect(again.stdout).toBe('?name\n-----\nAda\nAlan\n');
  });

  it('a snapshot verifies, and catches an added triple', async () => {
    expect((await env.ggen(['graph', 'snapshot', 'create', 'people.ttl', '-o', 'people.snapshot.json'])).exitCode).toBe(0);
    expect((await env.ggen(['graph', 'snapshot', 'verify', 'people.snapshot.json', 'people.ttl'])).exitCode).toBe(0);
    await env.writeFile('changed.nt', `${await env.readFile('people.nt')}<http://example.org/x> <http://example.org/y> "z" .\n`);
    const r = await env.ggen(['graph', 'snapshot', 'verify', 'people.snapshot.json', 'changed.nt']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('+ <http://example.org/x> <http://example.org/y> "z" .');
  });

  it('points at a Turtle syntax error', async () => {
    await env.writeFile('bad.ttl', '@prefix ex: <http://e/> .\nex:a ex:b .\n');
    const r = await env.ggen(['graph', 'query', 'bad.ttl', '-q', 'SELECT * WHERE { ?s ?p ?o }']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: bad\.ttl:2:\d+: Turtle syntax error: /);
  });
});

describe('ggen template', () => {
  it('renders a Tera template with variables', async () => {
    await env.writeFile('hello.tera', 'Hello, {{ name | upper }}!\n{% for i in range(end=3) %}{{ i }}{% endfor %}\n');
    const r = await env.ggen(['template', 'render', 'hello.tera', '--var', 'name=World']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'Hello, WORLD!\n012\n' });
  });

  it('creates a starter template that lints clean, lists and renders', async () => {
    expect((await env.ggen(['template', 'new', 'entity'])).stdout).toBe('created templates/entity.tmpl\n');
    expect((await env.ggen(['template', 'lint', 'templates/entity.tmpl'])).exitCode).toBe(0);
    expect((await env.ggen(['template', 'list'])).stdout).toMatch(/^entity\.tmpl/m);
    const r = await env.ggen(['template', 'render', 'templates/entity.tmpl', '--var', 'name=x']);
    expect(r.exitCode).toBe(0);
  });

  it('points at an unknown filter', async () => {
    await env.writeFile('bad.tera', '{{ name | nope }}\n');
    const r = await env.ggen(['template', 'render', 'bad.tera', '--var', 'name=x']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: bad\.tera:1:\d+: filter "nope" not found\n/);
  });
});
