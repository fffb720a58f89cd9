// Real services, testcontainers without Docker: postgres, redis and virtuoso started as plain processes
// of the env on free loopback ports, data inside the env root, ready by probe, gone after dispose.
// A missing server binary fails these tests (scripts/ci-setup.sh installs them); nothing is skipped.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomEnv } from './api.js';
import { envProcesses } from './helpers/procs.js';

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

describe('env.service', () => {
  it('postgres: a real server, data in the env root, password auth, stopped and removed on dispose', async () => {
    const env = await CleanroomEnv.create();
    const db = await env.service('postgres');
    expect(db).toMatchObject({ name: 'postgres', kind: 'postgres', host: '127.0.0.1', user: 'ggen', database: 'postgres' });
    expect(db.url).toBe(`postgres://ggen:${db.password}@127.0.0.1:${db.port}/postgres`);
    expect(db.dataDir.startsWith(`${env.root}/`)).toBe(true);
    expect(existsSync(join(db.dataDir, 'data', 'PG_VERSION'))).toBe(true);
    expect(await tcpOpen(db.port)).toBe(true);
    const r = await env.run('psql', ['-XAtc', 'select current_user, version()'], { env: db.env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ggen\|PostgreSQL \d+/);
    const wrong = await env.run('psql', ['-XAtc', 'select 1'], { env: { ...db.env, PGPASSWORD: 'wrong' } });
    expect(wrong.stderr).toContain('password authentication failed for user "ggen"');
    expect(env.metrics.service_postgres_ready_ms).toBeGreaterThan(0);
    await env.dispose();
    expect(await tcpOpen(db.port)).toBe(false);
    expect(existsSync(db.dataDir)).toBe(false);
    expect(envProcesses(env.id)).toEqual([]);
  });

  it('proof: ggen generates the shop schema for PostgreSQL, a real PostgreSQL applies it, the tables read back and enforce their constraints', async () => {
    await using env = await CleanroomEnv.create();
    await env.copyIn(join(repoRoot, 'examples/shop.ttl'));
    await env.copyIn(join(repoRoot, 'test/cleanroom/fixtures/sql-postgres.tmpl'), 'templates/');
    const gen = await env.ggen(['gen', 'templates/sql-postgres.tmpl', '--graph', 'shop.ttl', '--out', 'out']);
    expect(gen.stderr).toMatch(/1 created/);
    expect(gen.exitCode).toBe(0);
    const db = await env.service('db', { use: 'postgres' });
    const psql = (sql: string) => env.run('psql', ['-XAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: db.env });
    const apply = await env.run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', 'out/sql/shop_schema.pg.sql'], { env: db.env });
    expect(apply.stderr).toBe('');
    expect(apply.exitCode).toBe(0);
    const columns = await psql("select table_name || '.' || column_name || ':' || data_type from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position");
    expect(columns.stdout.trim().split('\n')).toEqual([
      'category.id:text', 'category.name:text', 'category.parent_id:text',
      'customer.id:text', 'customer.email:text', 'customer.name:text', 'customer.birth_date:date', 'customer.loyalty_points:bigint',
      'order.id:text', 'order.customer_id:text', 'order.status:text', 'order.placed_at:timestamp with time zone', 'order.total:numeric', 'order.note:text',
      'order_line.id:text', 'order_line.order_id:text', 'order_line.product_id:text', 'order_line.quantity:bigint', 'order_line.unit_price:numeric',
      'product.sku:text', 'product.name:text', 'product.description:text', 'product.price:numeric', 'product.in_stock:boolean', 'product.category_id:text', 'product.tags:jsonb',
    ]);
    const fks = await psql("select count(*) from information_schema.table_constraints where constraint_type = 'FOREIGN KEY'");
    expect(fks.stdout.trim()).toBe('5');
    const ok = await psql(`insert into customer (id, email, name) values ('C-1', 'a@b.c', 'Ada');
      insert into "order" (id, customer_id, status, placed_at, total) values ('O-1', 'C-1', 'paid', '2024-01-01T10:00:00Z', 3.5);
      select o.id, c.name, o.status, o.total from "order" o join customer c on c.id = o.customer_id;`);
    expect(ok.stdout.trim().split('\n').pop()).toBe('O-1|Ada|paid|3.5');
    const badEnum = await psql(`insert into "order" (id, customer_id, status, placed_at, total) values ('O-2', 'C-1', 'lost', now(), 1)`);
    expect(badEnum.stderr).toContain('violates check constraint "order_status_check"');
    const badRef = await psql(`insert into "order" (id, customer_id, status, placed_at, total) values ('O-3', 'C-404', 'paid', now(), 1)`);
    expect(badRef.stderr).toContain('violates foreign key constraint "order_customer_id_fkey"');
  });

  it('redis: a password-protected server on a free port', async () => {
    await using env = await CleanroomEnv.create();
    const redis = await env.service('cache', { use: 'redis' });
    expect(redis.url).toBe(`redis://:${redis.password}@127.0.0.1:${redis.port}`);
    const cli = (...args: string[]) => env.run('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), ...args]);
    expect((await cli('--no-auth-warning', '-a', redis.password!, 'SET', 'k', 'v')).stdout.trim()).toBe('OK');
    expect((await cli('--no-auth-warning', '-a', redis.password!, 'GET', 'k')).stdout.trim()).toBe('v');
    expect((await cli('GET', 'k')).stdout).toMatch(/NOAUTH/);
  });

  it('virtuoso: a SPARQL endpoint that answers queries', async () => {
    await using env = await CleanroomEnv.create();
    const sparql = await env.service('virtuoso');
    expect(sparql.url).toBe(`http://127.0.0.1:${sparql.port}/sparql`);
    expect(sparql.env.SPARQL_ENDPOINT).toBe(sparql.url);
    expect(sparql.ports.isql).toBeGreaterThan(0);
    const res = await fetch(`${sparql.url}?query=${encodeURIComponent('SELECT (6*7 AS ?x) {}')}&format=${encodeURIComponent('application/sparql-results+json')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { bindings: Array<{ x: { value: string } }> } };
    expect(body.results.bindings[0]!.x.value).toBe('42');
  });

  it('custom: a command with ${port}, an HTTP probe, and errors that say what happened', async () => {
    await using env = await CleanroomEnv.create();
    await env.writeFile('server.js', 'let ready = false; setTimeout(() => { ready = true; }, 200); require("http").createServer((q, s) => { s.statusCode = ready ? 200 : 503; s.end(q.url); }).listen(Number(process.argv[2]), "127.0.0.1");');
    const web = await env.service('web', { command: process.execPath, args: ['server.js', '${port}'], probe: { http: '/health' }, url: 'http://${host}:${port}/' });
    expect(web.kind).toBe('custom');
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/`);
    expect(web.readyMs).toBeGreaterThanOrEqual(200);   // the probe waited for 200, not just the port
    expect(await (await fetch(`${web.url}x`)).text()).toBe('/x');
    await expect(env.service('web', { command: 'true' })).rejects.toThrow('service "web" already exists');
    await expect(env.service('crash', { command: 'sh', args: ['-c', 'echo no config >&2; exit 3'] })).rejects.toThrow('service "crash" exited (code 3) before it was ready');
    await expect(env.service('mute', { command: 'sleep', args: ['30'], readyTimeoutMs: 300 })).rejects.toThrow('service "mute" was not ready within 300 ms');
    await expect(env.service('nothing')).rejects.toThrow('service "nothing" needs a command, or use = "postgres" | "redis" | "virtuoso"');
  });

  it('in a loopback env the service is reachable from the env’s processes only', async () => {
    await using env = await CleanroomEnv.create({ network: 'loopback' });
    const db = await env.service('postgres');
    const r = await env.run('psql', ['-XAtc', 'select 42'], { env: db.env });
    expect(r.stdout).toBe('42\n');
    expect(await tcpOpen(db.port)).toBe(false);
  });
});
