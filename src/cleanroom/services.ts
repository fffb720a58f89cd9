// Real services in a cleanroom ("testcontainers without Docker"): a server started as a plain process of
// the env, its data directory inside the env root, on a free loopback port, ready when its probe says so.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { GgenError } from '../errors.js';
import { processAlive } from '../util/process-info.js';
import type { BackgroundProcess } from './background.js';
import type { CleanroomEnv } from './env.js';
import { isRoot, lookupUser } from './launcher.js';

const exec = promisify(execFile);

export type ServiceKind = 'postgres' | 'redis' | 'virtuoso';
export const SERVICE_KINDS: readonly ServiceKind[] = ['postgres', 'redis', 'virtuoso'];

/** How readiness is awaited: a TCP connect to the port, an HTTP status, or a command that exits 0 (run in the env). */
export type ServiceProbe = { tcp: true } | { http: string; status?: number } | { command: string[] };

export interface ServiceOptions {
  /** A built-in recipe; default: the service name when it names one, else a custom service (needs `command`). */
  use?: ServiceKind;
  /** Custom service: the command and its args; `${port}`, `${host}`, `${dataDir}` are replaced. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Default: a free loopback port. */
  port?: number;
  /** Default: the recipe's probe; `{ tcp: true }` for a custom service. */
  probe?: ServiceProbe;
  /** Give up when not ready after this long (default 30 s). */
  readyTimeoutMs?: number;
  /** Custom service: its URL (`${host}`, `${port}` replaced); default `tcp://host:port`. */
  url?: string;
  /** virtuoso: ini settings over the recipe's, by section (e.g. `{ Parameters: { NumberOfBuffers: 170000 } }`). */
  ini?: Record<string, Record<string, string | number>>;
}

export interface Service {
  readonly name: string;
  readonly kind: ServiceKind | 'custom';
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Inside the env root (never in the workspace tree). */
  readonly dataDir: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Variables a client needs (PGHOST, PGPORT, … for postgres; REDIS_URL; SPARQL_ENDPOINT). */
  readonly env: Record<string, string>;
  /** Extra ports by name (virtuoso: `isql`). */
  readonly ports: Record<string, number>;
  readonly process: BackgroundProcess;
  /** ms from service() to ready. */
  readonly readyMs: number;
  /** Stops the server (and everything it started) and removes its data directory. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** A port free on loopback right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const TCP_PROBE = 'use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or exit 2; connect($s, pack_sockaddr_in($ARGV[1], inet_aton($ARGV[0]))) or exit 1; exit 0';

/** One probe attempt. In an env with its own network namespace the probe runs inside it, as a process of the env. */
async function probeOnce(env: CleanroomEnv, probe: ServiceProbe, port: number): Promise<boolean> {
  const isolated = env.config.network !== 'host';
  if ('tcp' in probe) {
    if (!isolated) return tcpOpen(HOST, port);
    return (await env.run('perl', ['-e', TCP_PROBE, HOST, String(port)], { timeoutMs: 5000 })).exitCode === 0;
  }
  if ('http' in probe) {
    const url = probe.http.startsWith('http') ? probe.http : `http://${HOST}:${port}${probe.http}`;
    const want = probe.status ?? 200;
    if (!isolated) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.status === want;
      } catch {
        return false;
      }
    }
    const script = 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.status === Number(process.argv[2]) ? 0 : 1), () => process.exit(1))';
    return (await env.run(process.execPath, ['-e', script, url, String(want)], { timeoutMs: 5000 })).exitCode === 0;
  }
  const [command, ...args] = probe.command;
  return (await env.run(command!, args, { timeoutMs: 10_000 })).exitCode === 0;
}

async function awaitReady(env: CleanroomEnv, name: string, proc: BackgroundProcess, probe: ServiceProbe, port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited: number | undefined;
  proc.exited.then((code) => { exited = code; }, () => { exited = -1; });
  for (let delay = 10; ; delay = Math.min(delay * 1.5, 200)) {
    if (exited !== undefined) throw new GgenError('E_CLEANROOM', `service "${name}" exited (code ${exited}) before it was ready`, { detail: `${proc.stdout}${proc.stderr}`.trim().slice(-4000) });
    if (await probeOnce(env, probe, port)) return;
    if (performance.now() > deadline) throw new GgenError('E_TIMEOUT', `service "${name}" was not ready within ${timeoutMs} ms`, { detail: `${proc.stdout}${proc.stderr}`.trim().slice(-4000), hint: 'raise readyTimeoutMs, or check the probe' });
    await new Promise((r) => setTimeout(r, delay));
  }
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Finds a program: on PATH (as the env sees it), or in the given directories. */
function findTool(name: string, dirs: string[]): string | undefined {
  for (const dir of [...dirs, ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  const initdb = findTool('initdb', ['/usr/local/pgsql/bin', '/opt/homebrew/bin']);
  return initdb ? join(initdb, '..') : undefined;
}

function missing(kind: string, what: string, install: string): GgenError {
  return new GgenError('E_CLEANROOM', `service ${kind}: ${what} not found`, { hint: `install it (${install}); scripts/ci-setup.sh does this for CI` });
}

/** The account a server runs as: itself, or (as root, for servers that refuse root) the named system user. */
function serviceAccount(name: string): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const user = lookupUser(name) ?? lookupUser('nobody');
  if (!user) throw new GgenError('E_CLEANROOM', `cannot find a non-root user to run the service as (tried "${name}" and "nobody")`);
  return user;
}

async function chownTree(path: string, as: { uid: number; gid: number } | undefined): Promise<void> {
  if (as) await exec('chown', ['-R', `${as.uid}:${as.gid}`, path]);
}

// One initdb per process and account: later services copy it (cp -a is ~0.3 s; initdb ~1.5 s).
const pgTemplates = new Map<string, Promise<{ dir: string; password: string }>>();
/** Template directories made so far: removed synchronously at exit (an exit handler cannot wait for a promise). */
const pgTemplateDirs = new Set<string>();
let pgTemplateCleanup = false;

const TEMPLATE_PREFIX = 'ggen-cleanroom-pgtemplate-';

/**
 * Removes the templates of processes that are gone. Exit handlers do not run everywhere (vitest's workers are
 * killed, not exited), so each template is named after its process and the next one cleans up after the dead.
 */
function removeStaleTemplates(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const owner = Number(new RegExp(`^${TEMPLATE_PREFIX}(\\d+)-`).exec(name)?.[1] ?? NaN);
    if (Number.isInteger(owner) && owner !== process.pid && !processAlive(owner)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function pgTemplate(bin: string, as: { uid: number; gid: number } | undefined): Promise<{ dir: string; password: string }> {
  const key = `${bin}:${as?.uid ?? 'self'}`;
  let t = pgTemplates.get(key);
  if (!t) {
    t = (async () => {
      removeStaleTemplates();
      const parent = await mkdtemp(join(tmpdir(), `${TEMPLATE_PREFIX}${process.pid}-`));
      pgTemplateDirs.add(parent);
      if (!pgTemplateCleanup) {
        pgTemplateCleanup = true;
        process.on('exit', () => { for (const dir of pgTemplateDirs) rmSync(dir, { recursive: true, force: true }); });
      }
      const password = randomBytes(12).toString('hex');
      await writeFile(join(parent, 'pw'), `${password}\n`);
      await chownTree(parent, as);
      const dir = join(parent, 'data');
      try {
        await exec(join(bin, 'initdb'), ['-D', dir, '-U', 'ggen', `--pwfile=${join(parent, 'pw')}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '-N'], {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', TZ: 'UTC' },
          ...(as ?? {}),
        });
      } catch (err) {
        pgTemplates.delete(key);
        pgTemplateDirs.delete(parent);
        rmSync(parent, { recursive: true, force: true });
        throw new GgenError('E_CLEANROOM', `service postgres: initdb failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`, { cause: err });
      }
      rmSync(join(parent, 'pw'));
      return { dir, password };
    })();
    pgTemplates.set(key, t);
  }
  return t;
}

interface Recipe {
  command: string;
  args: string[];
  probe: ServiceProbe;
  url: string;
  env: Record<string, string>;
  ports?: Record<string, number>;
  user?: string;
  password?: string;
  database?: string;
  as?: { uid: number; gid: number };
  /** Sent to the server first on stop, for a clean shutdown (postgres: SIGINT, fast shutdown). */
  stopSignal?: NodeJS.Signals;
}

async function postgresRecipe(dataRoot: string, port: number): Promise<Recipe> {
  const bin = postgresBinDir();
  if (!bin) throw missing('postgres', 'initdb (PostgreSQL server binaries)', 'Debian: apt-get install postgresql');
  const as = serviceAccount('postgres');
  const template = await pgTemplate(bin, as);
  const data = join(dataRoot, 'data');
  const sockets = join(dataRoot, 'run');
  await mkdir(sockets, { recursive: true });
  await exec('cp', ['-a', template.dir, data]);
  await chownTree(dataRoot, as);
  const env = { PGHOST: HOST, PGPORT: String(port), PGUSER: 'ggen', PGPASSWORD: template.password, PGDATABASE: 'postgres' };
  // A Unix socket path is at most 107 bytes; under a long TMPDIR or baseDir (macOS's, say) the server listens on TCP only
  // (clients connect by PGHOST/PGPORT either way) rather than refusing to start.
  const socketFits = Buffer.byteLength(join(sockets, `.s.PGSQL.${port}`)) <= 107;
  return {
    command: join(bin, 'postgres'),
    args: ['-D', data, '-k', socketFits ? sockets : '', '-p', String(port), '-c', `listen_addresses=${HOST}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=20', '-c', 'shared_buffers=16MB'],
    probe: { command: [join(bin, 'pg_isready'), '-q', '-h', HOST, '-p', String(port), '-U', 'ggen', '-d', 'postgres'] },
    url: `postgres://ggen:${template.password}@${HOST}:${port}/postgres`,
    env,
    user: 'ggen',
    password: template.password,
    database: 'postgres',
    stopSignal: 'SIGINT',
    ...(as ? { as } : {}),
  };
}

async function redisRecipe(dataRoot: string, port: number): Promise<Recipe> {
  const server = findTool('redis-server', ['/usr/bin', '/usr/local/bin']);
  if (!server) throw missing('redis', 'redis-server', 'Debian: apt-get install redis-server');
  const password = randomBytes(12).toString('hex');
  await mkdir(join(dataRoot, 'data'), { recursive: true });
  const url = `redis://:${password}@${HOST}:${port}`;
  return {
    command: server,
    args: ['--port', String(port), '--bind', HOST, '--dir', join(dataRoot, 'data'), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--requirepass', password, '--logfile', ''],
    probe: { tcp: true },
    url,
    env: { REDIS_URL: url },
    password,
  };
}

async function virtuosoRecipe(dataRoot: string, port: number, overrides: ServiceOptions['ini'] = {}): Promise<Recipe> {
  const server = findTool('virtuoso-t', ['/usr/bin', '/usr/local/bin', '/opt/virtuoso-opensource/bin']);
  if (!server) throw missing('virtuoso', 'virtuoso-t', 'Debian: apt-get install virtuoso-opensource');
  const isql = await freePort();
  const data = join(dataRoot, 'data');
  await mkdir(data, { recursive: true });
  const password = 'dba';
  const ini = `[Database]
DatabaseFile = ${data}/virtuoso.db
ErrorLogFile = ${data}/virtuoso.log
LockFile = ${data}/virtuoso.lck
TransactionFile = ${data}/virtuoso.trx
xa_persistent_file = ${data}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = ${data}/virtuoso-temp.db
TransactionFile = ${data}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = ${HOST}:${isql}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
DirsAllowed = ., ${data}, /usr/share/virtuoso-opensource-7/vad
CheckpointInterval = 0
ThreadsPerQuery = 2
MaxClientConnections = 10

[HTTPServer]
ServerPort = ${HOST}:${port}
ServerRoot = ${data}
ServerThreads = 4
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 100000
DefaultGraph = http://localhost/graph
`;
  await writeFile(join(data, 'virtuoso.ini'), overrideIni(ini, overrides));
  const endpoint = `http://${HOST}:${port}/sparql`;
  return {
    command: server,
    args: ['+foreground', '+configfile', join(data, 'virtuoso.ini')],
    probe: { http: '/sparql?query=ASK%20%7B%7D', status: 200 },
    url: endpoint,
    env: { SPARQL_ENDPOINT: endpoint, VIRTUOSO_ISQL_PORT: String(isql) },
    ports: { isql },
    user: 'dba',
    password,
  };
}

/** `key = value` lines of an ini replaced (or added to their section) by the overrides. */
function overrideIni(ini: string, overrides: NonNullable<ServiceOptions['ini']>): string {
  let text = ini;
  for (const [section, values] of Object.entries(overrides)) {
    if (!new RegExp(`^\\[${section}\\]$`, 'm').test(text)) text += `\n[${section}]\n`;
    for (const [key, value] of Object.entries(values)) {
      const start = text.indexOf(`[${section}]`);
      const end = text.indexOf('\n[', start + 1) === -1 ? text.length : text.indexOf('\n[', start + 1);
      const body = text.slice(start, end);
      const line = new RegExp(`^${key} = .*$`, 'm');
      const next = line.test(body) ? body.replace(line, `${key} = ${value}`) : `${body.replace(/\n*$/, '')}\n${key} = ${value}\n`;
      text = text.slice(0, start) + next + text.slice(end);
    }
  }
  return text;
}

/** Starts service `name` in `env` (called by CleanroomEnv.service). */
export async function startService(env: CleanroomEnv, name: string, options: ServiceOptions): Promise<Service> {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new GgenError('E_CLEANROOM', `service name "${name}" must be letters, digits, _ or -`);
  const t0 = performance.now();
  const kind: ServiceKind | 'custom' = options.use ?? ((SERVICE_KINDS as readonly string[]).includes(name) && options.command === undefined ? (name as ServiceKind) : 'custom');
  if (kind === 'custom' && options.command === undefined) throw new GgenError('E_CLEANROOM', `service "${name}" needs a command, or use = ${SERVICE_KINDS.map((k) => `"${k}"`).join(' | ')}`);
  const port = options.port ?? await freePort();
  const dataRoot = join(env.root, 'services', name);
  await mkdir(dataRoot, { recursive: true });
  let recipe: Recipe;
  if (kind === 'postgres') recipe = await postgresRecipe(dataRoot, port);
  else if (kind === 'redis') recipe = await redisRecipe(dataRoot, port);
  else if (kind === 'virtuoso') recipe = await virtuosoRecipe(dataRoot, port, options.ini);
  else {
    const vars = { port: String(port), host: HOST, dataDir: dataRoot };
    recipe = {
      command: fill(options.command!, vars),
      args: (options.args ?? []).map((a) => fill(a, vars)),
      probe: options.probe ?? { tcp: true },
      url: fill(options.url ?? 'tcp://${host}:${port}', vars),
      env: {},
    };
  }
  const probe = options.probe ?? recipe.probe;
  const proc = await env.start(recipe.command, recipe.args, { env: { ...(recipe.as ? { TMPDIR: dataRoot, HOME: dataRoot } : {}), ...options.env }, ...(recipe.as ? { as: recipe.as } : {}) });
  try {
    await awaitReady(env, name, proc, probe, port, options.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await proc.stop();
    rmSync(dataRoot, { recursive: true, force: true });
    throw err;
  }
  const readyMs = performance.now() - t0;
  let stopped: Promise<void> | undefined;
  return {
    name,
    kind,
    host: HOST,
    port,
    url: recipe.url,
    dataDir: dataRoot,
    ...(recipe.user === undefined ? {} : { user: recipe.user }),
    ...(recipe.password === undefined ? {} : { password: recipe.password }),
    ...(recipe.database === undefined ? {} : { database: recipe.database }),
    env: recipe.env,
    ports: { ...recipe.ports },
    process: proc,
    readyMs,
    stop() {
      stopped ??= (async () => {
        if (recipe.stopSignal && !env.config.pidNamespace) {
          try { process.kill(proc.pid, recipe.stopSignal); } catch { /* gone */ }
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([proc.exited.catch(() => 1), new Promise((r) => { timer = setTimeout(r, 5000); })]);
          clearTimeout(timer);
        }
        await proc.stop();
        rmSync(dataRoot, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
