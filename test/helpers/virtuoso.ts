// A real Virtuoso for endpoint tests: the cleanroom's `virtuoso` service (own ini, temp dir, free loopback
// ports), with SPARQL UPDATE and the Graph Store granted to the anonymous SPARQL user. Missing Virtuoso fails.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CleanroomEnv, type Service, type ServiceOptions } from '../../src/cleanroom/index.js';

const exec = promisify(execFile);

export interface Virtuoso {
  /** SPARQL 1.1 Protocol endpoint (`…/sparql`). */
  url: string;
  /** Graph Store HTTP Protocol endpoint (`…/sparql-graph-crud`). */
  graphStore: string;
  service: Service;
  /** Runs SQL through isql-vt as dba; rejects on an error line. */
  isql(sql: string): Promise<string>;
  stop(): Promise<void>;
}

const ISQL = ['/usr/bin/isql-vt', '/usr/bin/isql', '/opt/virtuoso-opensource/bin/isql'];

export function isqlPath(): string {
  const found = ISQL.find((p) => existsSync(p));
  if (!found) throw new Error('Virtuoso is not installed: isql-vt not found (Debian: apt-get install virtuoso-opensource; scripts/ci-setup.sh installs it). Endpoint tests need a real Virtuoso and do not skip.');
  return found;
}

export async function startVirtuoso(opts: { ini?: ServiceOptions['ini']; readyTimeoutMs?: number } = {}): Promise<Virtuoso> {
  const isqlBin = isqlPath();
  if (!['/usr/bin/virtuoso-t', '/usr/local/bin/virtuoso-t', '/opt/virtuoso-opensource/bin/virtuoso-t'].some((p) => existsSync(p))) {
    throw new Error('Virtuoso is not installed: virtuoso-t not found (Debian: apt-get install virtuoso-opensource; scripts/ci-setup.sh installs it). Endpoint tests need a real Virtuoso and do not skip.');
  }
  const env = await CleanroomEnv.create();
  let service: Service;
  try {
    service = await env.service('virtuoso', { readyTimeoutMs: opts.readyTimeoutMs ?? 60_000, ...(opts.ini ? { ini: opts.ini } : {}) });
  } catch (err) {
    await env.dispose();
    throw err;
  }
  const isql = async (sql: string): Promise<string> => {
    const { stdout, stderr } = await exec(isqlBin, [`127.0.0.1:${service.ports.isql}`, 'dba', service.password ?? 'dba', 'VERBOSE=OFF', 'BANNER=OFF', 'PROMPT=OFF', 'ECHO=OFF', `exec=${sql}`], { maxBuffer: 64 << 20, timeout: 3_600_000 });
    const text = `${stdout}${stderr}`;
    if (/^\*\*\* Error/m.test(text)) throw new Error(`isql: ${text.trim()}`);
    return stdout;
  };
  // Anonymous SPARQL may update (tests load data through the Graph Store and INSERT DATA).
  await isql('grant SPARQL_UPDATE to "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);');
  const base = service.url.replace(/\/sparql$/, '');
  return {
    url: service.url, graphStore: `${base}/sparql-graph-crud`, service, isql,
    async stop() { await service.stop(); await env.dispose(); },
  };
}
