// The user's own ggen settings (~/.config/ggen/config.toml): per-project trust, which lets a project's plugins load.
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { readTomlFile } from './toml/index.js';
import { isTable } from './toml/reader.js';

/** `$XDG_CONFIG_HOME/ggen/config.toml`, else `~/.config/ggen/config.toml`. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config'), 'ggen', 'config.toml');
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

/**
 * True when the user's config has `[projects."<dir>"] trust = true` for this directory (compared by real path).
 * Trust lives with the user, never in the project: a cloned repository cannot trust itself.
 */
export function isProjectTrusted(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = userConfigPath(env);
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return false;
  const doc = readTomlFile(file, 'user config');
  const projects = doc.value.projects;
  if (projects === undefined) return false;
  if (!isTable(projects)) throw new GgenError('E_CONFIG', '"projects" must be a table of project directories', { at: doc.at(['projects']), hint: '[projects."/path/to/project"] with trust = true' });
  const want = real(dir);
  for (const [key, entry] of Object.entries(projects)) {
    if (!isTable(entry) || !isAbsolute(key) || real(key) !== want) continue;
    if (entry.trust !== undefined && typeof entry.trust !== 'boolean') throw new GgenError('E_CONFIG', `projects."${key}".trust must be true or false`, { at: doc.at(['projects', key, 'trust']) });
    return entry.trust === true;
  }
  return false;
}

/** The lines to add to the user's config to trust `dir`, for hints and docs. */
export function trustSnippet(dir: string): string {
  return `projects.${JSON.stringify(real(dir))}.trust = true`;
}
