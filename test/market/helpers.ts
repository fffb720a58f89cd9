// Test helpers for the market: pack directories, a served registry (the real `ggen market serve`), tiny HTTP servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { ggenBin, runGgen, type RunOptions, type RunResult } from '../helpers/cli.js';

export interface PackSpec {
  id: string;
  version: string;
  deps?: Record<string, string>;
  description?: string;
  category?: string;
  tags?: string[];
  files?: Record<string, string>;
}

/** Writes a minimal valid pack directory and returns its path. */
export function writePack(root: string, spec: PackSpec): string {
  const dir = join(root, `${spec.id}-${spec.version}`);
  const deps = Object.entries(spec.deps ?? {}).map(([d, r]) => `"${d}" = "${r}"`).join('\n');
  const files: Record<string, string> = {
    'gpack.toml': `[gpack]
id = "${spec.id}"
name = "${spec.id} pack"
version = "${spec.version}"
description = "${spec.description ?? `test pack ${spec.id}`}"
license = "MIT"
ggen_compat = ">=2.0.0-0"
category = "${spec.category ?? 'test'}"
tags = ${JSON.stringify(spec.tags ?? [])}

[dependencies]
${deps}

[preset]
vars = { greeting = "hello" }
`,
    'templates/hello.tmpl': `---\nto: hello-${spec.id}.txt\n---\n{{ greeting }} from ${spec.id} ${spec.version}\n`,
    ...spec.files,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `ggen market serve DIR --port 0` and waits for its URL. */
export function serveDir(dir: string, env: Record<string, string> = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ggenBin, 'market', 'serve', dir, '--port', '0'], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 20_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          stop: () => new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

export interface TinyServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** A scripted HTTP server on 127.0.0.1 (for 5xx, 4xx and timeout cases). */
export async function tinyServer(handle: (req: IncomingMessage, res: ServerResponse, hit: number) => void): Promise<TinyServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handle(req, res, hits.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Runs ggen with an isolated cache. */
export function ggen(args: string[], cwd: string, cache: string, opts: RunOptions = {}): Promise<RunResult> {
  return runGgen(args, { ...opts, cwd, env: { GGEN_CACHE_DIR: cache, GGEN_REGISTRY_URL: undefined, XDG_CACHE_HOME: undefined, ...opts.env } });
}
