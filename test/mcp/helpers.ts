// A real MCP client (the SDK's Client over StdioClientTransport) talking to the built `ggen mcp` in a cleanroom.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CleanroomEnv, ggenBinPath } from '../../src/cleanroom/index.js';

export const MODEL = `@prefix ex: <http://example.org/shop#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:Customer a rdfs:Class ; rdfs:label "Customer" .
ex:Order a rdfs:Class ; rdfs:label "Order" .
ex:alice a ex:Customer ; ex:name "Alice" .
ex:bob a ex:Customer .
`;

export const SHAPES = `@prefix ex: <http://example.org/shop#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .

ex:CustomerShape a sh:NodeShape ;
  sh:targetClass ex:Customer ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "a customer needs a name" ] .
`;

export const ENTITY = `---
description: "One TypeScript file per class"
to: "{{ row.label | lower }}.ts"
foreach: classes
vars:
  package: "default"
sparql:
  classes: |
    SELECT ?c ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?label
---
// {{ package }}: {{ row.label }}
export interface {{ row.label }} {}
`;

export const HELLO = `---
to: "hello.txt"
vars:
  name: "World"
---
Hello, {{ name }}!
`;

/** A small project: ggen.toml (output out/), a graph with one SHACL violation, two templates. */
export async function writeProject(env: CleanroomEnv): Promise<void> {
  await env.writeFiles({
    'ggen.toml': 'templates = "templates"\ngraph = ["model.ttl"]\noutput = "out"\n\n[vars]\npackage = "shop"\n',
    'model.ttl': MODEL,
    'shapes.ttl': SHAPES,
    'templates/entity.tmpl': ENTITY,
    'templates/hello.tmpl': HELLO,
  });
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close: () => Promise<void>;
}

/** Starts `node dist/ggen.mjs mcp ARGS` with the cleanroom's env, cwd in its workspace, and connects a client. */
export async function connect(env: CleanroomEnv, args: string[] = []): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [ggenBinPath(), 'mcp', '--root', env.path, ...args],
    env: env.processEnv(),
    cwd: env.path,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'ggen-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

/** Calls a tool and returns its result (tool errors included). */
export async function call(c: Connected, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await c.client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's single text content. */
export function text(r: CallToolResult): string {
  const item = r.content[0];
  if (r.content.length !== 1 || item?.type !== 'text') throw new Error(`expected one text item, got ${JSON.stringify(r.content)}`);
  return item.text;
}

/** A successful result's JSON (text and structured content must agree). */
export function data(r: CallToolResult): Record<string, unknown> {
  if (r.isError) throw new Error(`tool error: ${text(r)}`);
  const parsed = JSON.parse(text(r)) as Record<string, unknown>;
  if (JSON.stringify(parsed) !== JSON.stringify(r.structuredContent)) throw new Error('text and structuredContent differ');
  return parsed;
}
