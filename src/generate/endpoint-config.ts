// `[graph]` in ggen.toml: where templates' queries go (a SPARQL endpoint), its dataset, and the names of the
// environment variables holding credentials (ggen.toml never holds secrets).
import type { EndpointAuth, EndpointOptions } from '../graph/endpoint/index.js';
import type { ConfigReader } from '../util/toml/reader.js';
import type { TomlTable } from '../util/toml/index.js';

const KNOWN = ['files', 'endpoint', 'default_graph', 'named_graphs', 'auth', 'timeout_ms'];

export interface GraphTable {
  files?: string[];
  endpoint?: EndpointOptions;
}

const isTable = (v: unknown): v is TomlTable => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Reads `[graph]` when `graph` is a table (a list or string there is the graph files, read elsewhere). */
export function readGraphTable(section: TomlTable, base: string[], r: ConfigReader): GraphTable | undefined {
  const t = section.graph;
  if (!isTable(t)) return undefined;
  const path = [...base, 'graph'];
  r.unknownKeys(t, path, KNOWN, '[graph]');
  const out: GraphTable = {};
  const files = typeof t.files === 'string' ? [t.files] : r.stringList(t, path, 'files', 'for example ["ontology/shop.ttl"]');
  if (files !== undefined) out.files = files;
  const url = r.string(t, path, 'endpoint');
  const list = (key: string) => (typeof t[key] === 'string' ? [t[key] as string] : r.stringList(t, path, key));
  const defaultGraphs = list('default_graph');
  const namedGraphs = list('named_graphs');
  const timeoutMs = r.number(t, path, 'timeout_ms');
  let auth: EndpointAuth | undefined;
  const a = r.table(t, path, 'auth');
  if (a !== undefined) {
    const ap = [...path, 'auth'];
    r.unknownKeys(a, ap, ['user_env', 'password_env', 'token_env'], '[graph] auth');
    const userEnv = r.string(a, ap, 'user_env');
    const passwordEnv = r.string(a, ap, 'password_env');
    const tokenEnv = r.string(a, ap, 'token_env');
    if (tokenEnv !== undefined && (userEnv !== undefined || passwordEnv !== undefined)) r.error(ap, '[graph] auth takes token_env, or user_env with password_env, not both');
    else if (tokenEnv !== undefined) auth = { tokenEnv };
    else if (userEnv !== undefined && passwordEnv !== undefined) auth = { userEnv, passwordEnv };
    else r.error(ap, '[graph] auth needs user_env and password_env (or token_env)', 'values are names of environment variables, e.g. { user_env = "SPARQL_USER", password_env = "SPARQL_PASSWORD" }');
  }
  // Without a URL the dataset, auth and timeout are kept for `--endpoint URL` on the command line.
  if (url !== undefined || defaultGraphs?.length || namedGraphs?.length || auth || timeoutMs !== undefined) {
    out.endpoint = { url: url ?? '', ...(defaultGraphs?.length ? { defaultGraphs } : {}), ...(namedGraphs?.length ? { namedGraphs } : {}), ...(auth ? { auth } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }
  return out;
}

/** `--endpoint URL` over `[graph] endpoint`, keeping the table's dataset, auth and timeout. */
export function endpointFor(flag: string | undefined, config: EndpointOptions | undefined): EndpointOptions | undefined {
  if (flag !== undefined) return { ...config, url: flag };
  if (config === undefined || config.url === '') return undefined;
  return config;
}
