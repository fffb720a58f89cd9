// What a cleanroom process sees: private HOME/TMPDIR/XDG/cache dirs and a scrubbed environment.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The private directories under an env root, by the variable that points at each. */
export function sandboxDirs(root: string): Record<string, string> {
  return {
    HOME: join(root, 'home'),
    TMPDIR: join(root, 'tmp'),
    XDG_CONFIG_HOME: join(root, 'xdg', 'config'),
    XDG_CACHE_HOME: join(root, 'xdg', 'cache'),
    XDG_DATA_HOME: join(root, 'xdg', 'data'),
    XDG_STATE_HOME: join(root, 'xdg', 'state'),
    XDG_RUNTIME_DIR: join(root, 'xdg', 'runtime'),
    GGEN_CACHE_DIR: join(root, 'cache', 'ggen'),
  };
}

let toolchainCache: Record<string, string> | undefined;

/** Toolchains installed under the real HOME (rustup, pyenv) must keep working once HOME is redirected. */
function toolchainEnv(): Record<string, string> {
  if (toolchainCache) return toolchainCache;
  const out: Record<string, string> = {};
  const home = homedir();
  const homes: Array<[string, string]> = [['RUSTUP_HOME', '.rustup'], ['CARGO_HOME', '.cargo'], ['PYENV_ROOT', '.pyenv']];
  for (const [name, dir] of homes) {
    const set = process.env[name];
    if (set !== undefined && set !== '') out[name] = set;
    else if (existsSync(join(home, dir))) out[name] = join(home, dir);
  }
  toolchainCache = out;
  return out;
}

export interface SandboxEnvSpec {
  root: string;
  workspace: string;
  id: string;
  configEnv: Record<string, string>;
  /** Per-run overrides; `undefined` removes a variable. */
  extra: Record<string, string | undefined>;
}

/** PATH and toolchain homes from the host (nothing else), the private dirs, fixed locale and TZ, then the overrides. */
export function sandboxProcessEnv(spec: SandboxEnvSpec): Record<string, string> {
  const dirs = sandboxDirs(spec.root);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...toolchainEnv(),
    ...dirs,
    TMP: dirs.TMPDIR,
    TEMP: dirs.TMPDIR,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    NO_COLOR: '1',
    CLEANROOM: '1',
    CLEANROOM_DIR: spec.workspace,
    CLEANROOM_ID: spec.id,
    ...spec.configEnv,
    ...spec.extra,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
