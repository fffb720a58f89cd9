// `ggen mcp` at the wire: raw newline-delimited JSON-RPC written to the built CLI's stdin in a cleanroom.
// Garbage gets a JSON-RPC error reply and the server keeps serving; closing stdin ends it with exit 0.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CleanroomEnv, ggenBinPath } from '../../src/cleanroom/index.js';
import { writeProject } from './helpers.js';

let env: CleanroomEnv;

beforeEach(async () => {
  env = await CleanroomEnv.create();
  await writeProject(env);
});

afterEach(async () => {
  await env.dispose();
});

interface Wire {
  child: ChildProcessWithoutNullStreams;
  send(line: string): void;
  next(): Promise<Record<string, unknown>>;
  stdoutLines: string[];
  stderr(): string;
  exit: Promise<number | null>;
}

function start(args: string[] = []): Wire {
  const child = spawn(process.execPath, [ggenBinPath(), 'mcp', '--root', env.path, ...args], { cwd: env.path, env: env.processEnv() });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  const stdoutLines: string[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      stdoutLines.push(line);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdoutLines,
    send: (line) => child.stdin.write(line),
    next: () => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply; stderr: ${stderr}`)), 20_000);
      const take = (line: string) => { clearTimeout(timer); resolve(JSON.parse(line) as Record<string, unknown>); };
      const ready = lines.shift();
      if (ready !== undefined) take(ready);
      else waiting.push(take);
    }),
    stderr: () => stderr,
    exit,
  };
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const request = (id: number, method: string, params?: unknown) => `${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`;

async function initialized(w: Wire): Promise<void> {
  w.send(`${INIT}\n`);
  const init = await w.next();
  expect(init).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', serverInfo: { name: 'ggen' }, capabilities: { tools: {}, resources: {} } } });
  w.send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
}

test('malformed lines get JSON-RPC errors and the server keeps running', async () => {
  const w = start();
  await initialized(w);

  w.send('this is not json\n');
  const parse = await w.next();
  expect(parse).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: expect.stringMatching(/^Parse error: /) } });

  w.send('{"id":7,"hello":"world"}\n');
  expect(await w.next()).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 request, notification or response (MCP sends one JSON object per line)' } });

  w.send('[1,2,3]\n');
  expect(await w.next()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });

  w.send(request(8, 'tools/call', { name: 'template_render', arguments: { file: ['not', 'a', 'string'] } }));
  const bad = await w.next();
  expect(bad).toMatchObject({ jsonrpc: '2.0', id: 8, result: { isError: true } });
  expect(((bad.result as { content: Array<{ text: string }> }).content[0]!.text)).toMatch(/^MCP error -32602: Input validation error: Invalid arguments for tool template_render: /);

  w.send(request(9, 'no/such/method'));
  expect(await w.next()).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32601, message: 'Method not found' } });

  // A request split over several writes is put back together.
  const render = request(10, 'tools/call', { name: 'template_render', arguments: { file: 'templates/hello.tmpl', vars: { name: 'wire' } } });
  w.send(render.slice(0, 20));
  await new Promise((r) => setTimeout(r, 50));
  w.send(render.slice(20));
  expect(await w.next()).toEqual({ jsonrpc: '2.0', id: 10, result: { content: [{ type: 'text', text: 'Hello, wire!\n' }], structuredContent: { file: 'templates/hello.tmpl', output: 'Hello, wire!\n' } } });

  w.child.stdin.end();
  expect(await w.exit).toBe(0);
  expect(w.stderr()).toBe('');
  // stdout carried the protocol and nothing else.
  for (const line of w.stdoutLines) expect(() => JSON.parse(line), line).not.toThrow();
  expect(w.stdoutLines).toHaveLength(7);
});

test('a message over the size cap is dropped with an error, and the server carries on', async () => {
  const w = start();
  await initialized(w);
  w.send('x'.repeat(10 * 1024 * 1024 + 10));
  expect(await w.next()).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'message longer than 10485760 bytes without a newline; dropped' } });
  w.send('\n');
  w.send(request(2, 'tools/list'));
  const list = await w.next();
  expect((list.result as { tools: unknown[] }).tools).toHaveLength(10);
  w.child.stdin.end();
  expect(await w.exit).toBe(0);
});

test('a --root that is not a directory is a usage error before serving', async () => {
  const r = await env.ggen(['mcp', '--root', 'nowhere']);
  expect(r.exitCode).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('error: project root not found: nowhere\n  hint: pass --root DIR, a project directory (with ggen.toml)\n');
});

test('--root defaults to the current directory (-C works), and requests before the end of stdin are answered', async () => {
  await env.createDir('sub');
  const child = spawn(process.execPath, [ggenBinPath(), '-C', env.path, 'mcp'], { cwd: env.resolve('sub'), env: env.processEnv() });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stdin.write(`${INIT}\n`);
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  child.stdin.write(request(2, 'tools/call', { name: 'template_render', arguments: { file: 'templates/hello.tmpl' } }));
  child.stdin.write(request(3, 'tools/call', { name: 'project_plan', arguments: {} }));
  // The end of stdin right behind the requests: they are still answered before the server exits.
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  const replies = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result: { content: Array<{ text: string }>; structuredContent: { root: string } } });
  expect(replies.map((r) => r.id).sort()).toEqual([1, 2, 3]);
  expect(replies.find((r) => r.id === 2)!.result.content[0]!.text).toBe('Hello, World!\n');
  expect(replies.find((r) => r.id === 3)!.result.structuredContent.root).toBe('out');
});

test('a root without ggen.toml: templates are found from the root, graph_query asks for files', async () => {
  await env.remove('ggen.toml');
  const w = start();
  await initialized(w);
  w.send(request(2, 'tools/call', { name: 'graph_query', arguments: { query: 'ASK {}' } }));
  const r = await w.next();
  expect((r.result as { content: Array<{ text: string }> }).content[0]!.text).toBe('the project has no ggen.toml naming graph files\nhint: pass "files" (RDF files relative to the project root), or set graph = ["…"] in ggen.toml');
  w.send(request(3, 'tools/call', { name: 'graph_query', arguments: { query: 'ASK { ?s a ?o }', files: ['model.ttl'] } }));
  expect((await w.next()).result).toMatchObject({ structuredContent: { kind: 'ask', boolean: true } });
  w.send(request(4, 'resources/list'));
  const uris = ((await w.next()).result as { resources: Array<{ uri: string }> }).resources.map((x) => x.uri).filter((u) => !u.startsWith('ggen://docs/'));
  expect(uris).toEqual(['ggen://template/templates/entity.tmpl', 'ggen://template/templates/hello.tmpl']);
  w.child.stdin.end();
  expect(await w.exit).toBe(0);
});
