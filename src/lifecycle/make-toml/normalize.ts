// make.toml as parsed TOML → the normalized model, reporting wrong types (errors) and unknown keys (warnings).
import { basename } from 'node:path';
import type { HookEntry, MakeToml, Phase, ReadinessConfig, RequirementCategory, UserRequirement, Workspace } from '../model.js';
import { DEFAULT_THRESHOLD } from '../model.js';
import { didYouMean } from '../../util/closest.js';
import { parseDuration } from './duration.js';
import { type ConfigReader, isTable, type TomlTable } from '../../util/toml/index.js';

const TOP_KEYS = ['project', 'lifecycle', 'hooks', 'workspace', 'env', 'readiness'];
const PROJECT_KEYS = ['name', 'type', 'version', 'description', 'license', 'authors', 'repository', 'homepage'];
const PHASE_KEYS = ['description', 'command', 'commands', 'cwd', 'env', 'inputs', 'outputs', 'cache', 'timeout', 'workspaces', 'parallel', 'watch', 'port'];
const WORKSPACE_KEYS = ['path', 'depends_on', 'framework', 'runtime', 'package_manager'];
const READINESS_KEYS = ['threshold', 'sources', 'tests', 'test_phase', 'not_applicable', 'requirements'];
const REQUIREMENT_KEYS = ['name', 'description', 'category', 'command', 'glob'];
const CATEGORIES: RequirementCategory[] = ['Critical', 'Important', 'NiceToHave'];

export interface NormalizeOptions {
  file: string;
  root: string;
}

function readProject(r: ConfigReader, doc: TomlTable, opts: NormalizeOptions): MakeToml['project'] {
  const table = r.table(doc, [], 'project');
  if (!table) return { name: basename(opts.root) };
  r.unknownKeys(table, ['project'], PROJECT_KEYS, '[project]');
  const p = ['project'];
  const name = r.string(table, p, 'name');
  return { name: name ?? basename(opts.root), type: r.string(table, p, 'type'), version: r.string(table, p, 'version'), description: r.string(table, p, 'description') };
}

function readPhase(r: ConfigReader, name: string, table: TomlTable): Phase {
  const path = ['lifecycle', name];
  r.unknownKeys(table, path, PHASE_KEYS, `[lifecycle.${name}]`);
  const command = r.string(table, path, 'command');
  const list = r.stringList(table, path, 'commands');
  if (command !== undefined && list !== undefined) r.warn([...path, 'commands'], `[lifecycle.${name}] has both "command" and "commands"; "command" is used`, 'keep one of them');
  const commands = command !== undefined ? [command] : (list ?? []);
  commands.forEach((c, i) => {
    if (c.trim() === '') r.error([...path, command !== undefined ? 'command' : 'commands'], `[lifecycle.${name}] command ${i + 1} is empty`);
  });
  const envTable = r.table(table, path, 'env');
  let timeoutMs: number | undefined;
  const timeout = table.timeout;
  if (timeout !== undefined) {
    if (typeof timeout !== 'number' && typeof timeout !== 'string') r.error([...path, 'timeout'], `"lifecycle.${name}.timeout" must be a number of seconds or a duration string like "90s"`);
    else {
      timeoutMs = parseDuration(timeout);
      if (timeoutMs === undefined) r.error([...path, 'timeout'], `"lifecycle.${name}.timeout" is not a positive duration: ${JSON.stringify(timeout)}`, 'use seconds (timeout = 30) or a string like "500ms", "90s", "10m"');
    }
  }
  const port = r.number(table, path, 'port');
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) r.error([...path, 'port'], `"lifecycle.${name}.port" must be an integer from 0 to 65535, found ${port}`);
  return {
    name,
    description: r.string(table, path, 'description'),
    commands,
    cwd: r.string(table, path, 'cwd'),
    env: envTable ? r.scalarMap(envTable, [...path, 'env']) : {},
    inputs: r.stringList(table, path, 'inputs') ?? [],
    outputs: r.stringList(table, path, 'outputs') ?? [],
    cache: r.boolean(table, path, 'cache'),
    timeoutMs,
    workspaces: r.stringList(table, path, 'workspaces'),
    parallel: r.boolean(table, path, 'parallel'),
    watch: r.boolean(table, path, 'watch'),
    port,
    at: r.at(path),
  };
}

function readHooks(r: ConfigReader, doc: TomlTable, phaseNames: string[]): { hooks: Record<string, HookEntry[]>; hookAt: MakeToml['hookAt'] } {
  const hooks: Record<string, HookEntry[]> = {};
  const hookAt: MakeToml['hookAt'] = {};
  const table = r.table(doc, [], 'hooks');
  if (!table) return { hooks, hookAt };
  const knownKeys = ['before_all', 'after_all', ...phaseNames.flatMap((p) => [`before_${p}`, `after_${p}`])];
  for (const [key, value] of Object.entries(table)) {
    const path = ['hooks', key];
    const m = /^(before|after)_(.+)$/.exec(key);
    if (!m) {
      r.warn(path, `unknown key "${key}" in [hooks] (ignored)`, suggestHook(key, knownKeys));
      continue;
    }
    if (!Array.isArray(value)) {
      r.error(path, `"hooks.${key}" must be an array of phase names or "run: <command>" strings, found ${isTable(value) ? 'a table' : `a ${typeof value}`}`, `write ${key} = ["lint"] or ${key} = ["run: echo hi"]`);
      continue;
    }
    const entries: HookEntry[] = [];
    value.forEach((item, i) => {
      const at = r.at(path);
      if (typeof item === 'string') {
        const run = /^run:\s*(.*)$/s.exec(item);
        if (run) {
          if (run[1]!.trim() === '') r.error(path, `"hooks.${key}" item ${i + 1} has an empty command`);
          else entries.push({ kind: 'command', command: run[1]!, at });
        } else entries.push({ kind: 'phase', phase: item, at });
      } else if (isTable(item) && typeof item.run === 'string' && Object.keys(item).length === 1) {
        entries.push({ kind: 'command', command: item.run, at });
      } else {
        r.error(path, `"hooks.${key}" item ${i + 1} must be a phase name or "run: <command>"`);
      }
    });
    hooks[key] = entries;
    hookAt[key] = r.at(path);
  }
  return { hooks, hookAt };
}

function suggestHook(key: string, known: string[]): string {
  return didYouMean(key, known) ?? 'hook keys are before_all, after_all, before_PHASE and after_PHASE';
}

function readWorkspaces(r: ConfigReader, doc: TomlTable): Record<string, Workspace> {
  const out: Record<string, Workspace> = {};
  const table = r.table(doc, [], 'workspace');
  if (!table) return out;
  for (const [name, value] of Object.entries(table)) {
    const path = ['workspace', name];
    if (!isTable(value)) {
      r.error(path, `"workspace.${name}" must be a table like [workspace.${name}] with path = "…"`, '1.x "[workspace] members = [...]" is not supported; declare one [workspace.NAME] table per workspace');
      continue;
    }
    r.unknownKeys(value, path, WORKSPACE_KEYS, `[workspace.${name}]`);
    const wsPath = r.string(value, path, 'path');
    if (wsPath === undefined) {
      if (!('path' in value)) r.error(path, `[workspace.${name}] has no "path"`, `add path = "packages/${name}"`);
      continue;
    }
    out[name] = {
      name,
      path: wsPath,
      dependsOn: r.stringList(value, path, 'depends_on') ?? [],
      framework: r.string(value, path, 'framework'),
      runtime: r.string(value, path, 'runtime'),
      packageManager: r.string(value, path, 'package_manager'),
      at: r.at(path),
    };
  }
  return out;
}

function readEnv(r: ConfigReader, doc: TomlTable): { env: Record<string, string>; envSets: Record<string, Record<string, string>> } {
  const env: Record<string, string> = {};
  const envSets: Record<string, Record<string, string>> = {};
  const table = r.table(doc, [], 'env');
  if (!table) return { env, envSets };
  for (const [key, value] of Object.entries(table)) {
    if (isTable(value)) envSets[key] = r.scalarMap(value, ['env', key]);
    else Object.assign(env, r.scalarMap({ [key]: value }, ['env']));
  }
  return { env, envSets };
}

function readReadiness(r: ConfigReader, doc: TomlTable): ReadinessConfig {
  const config: ReadinessConfig = { threshold: DEFAULT_THRESHOLD, testPhase: 'test', notApplicable: [], requirements: [] };
  const table = r.table(doc, [], 'readiness');
  if (!table) return config;
  const path = ['readiness'];
  r.unknownKeys(table, path, READINESS_KEYS, '[readiness]');
  const threshold = r.number(table, path, 'threshold');
  if (threshold !== undefined) {
    if (threshold < 0 || threshold > 100) r.error([...path, 'threshold'], `"readiness.threshold" must be from 0 to 100, found ${threshold}`);
    else config.threshold = threshold;
  }
  config.sources = r.stringList(table, path, 'sources');
  config.tests = r.stringList(table, path, 'tests');
  config.testPhase = r.string(table, path, 'test_phase') ?? 'test';
  config.notApplicable = r.stringList(table, path, 'not_applicable') ?? [];
  const reqs = r.table(table, path, 'requirements');
  for (const [id, value] of Object.entries(reqs ?? {})) {
    const rp = [...path, 'requirements', id];
    if (!isTable(value)) {
      r.error(rp, `"readiness.requirements.${id}" must be a table with "command" or "glob"`);
      continue;
    }
    r.unknownKeys(value, rp, REQUIREMENT_KEYS, `[readiness.requirements.${id}]`);
    const category = r.string(value, rp, 'category') ?? 'Important';
    const cat = CATEGORIES.find((c) => c.toLowerCase() === category.toLowerCase().replace(/[-_ ]/g, ''));
    if (!cat) r.error([...rp, 'category'], `unknown readiness category "${category}"`, didYouMean(category, CATEGORIES) ?? `use one of ${CATEGORIES.join(', ')}`);
    const command = r.string(value, rp, 'command');
    const glob = value.glob;
    let globs: string[] | undefined;
    if (typeof glob === 'string') globs = [glob];
    else if (glob !== undefined) globs = r.stringList(value, rp, 'glob');
    if ((command === undefined) === (globs === undefined)) {
      r.error(rp, `[readiness.requirements.${id}] needs exactly one of "command" (must succeed) or "glob" (must match a file)`);
      continue;
    }
    const req: UserRequirement = { id, name: r.string(value, rp, 'name') ?? id, description: r.string(value, rp, 'description'), category: cat ?? 'Important', command, globs, at: r.at(rp) };
    config.requirements.push(req);
  }
  return config;
}

/** Builds the model from a parsed document; problems are collected on the reader. */
export function normalizeMakeToml(r: ConfigReader, doc: TomlTable, opts: NormalizeOptions): MakeToml {
  r.unknownKeys(doc, [], TOP_KEYS, 'make.toml');
  const phases: Record<string, Phase> = {};
  const lifecycle = r.table(doc, [], 'lifecycle');
  for (const [name, value] of Object.entries(lifecycle ?? {})) {
    if (!isTable(value)) {
      r.error(['lifecycle', name], `"lifecycle.${name}" must be a table like [lifecycle.${name}] with command = "…"`);
      continue;
    }
    phases[name] = readPhase(r, name, value);
  }
  const { hooks, hookAt } = readHooks(r, doc, Object.keys(phases));
  const { env, envSets } = readEnv(r, doc);
  return {
    file: opts.file,
    root: opts.root,
    project: readProject(r, doc, opts),
    phases,
    hooks,
    hookAt,
    workspaces: readWorkspaces(r, doc),
    env,
    envSets,
    readiness: readReadiness(r, doc),
  };
}
