// Reads a scenario TOML file: parse (with line:col), normalise, and check every key (with "did you mean").
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { GgenError } from '../../errors.js';
import { didYouMean } from '../../util/closest.js';
import { compileLanguages, type CompileLanguage } from '../validators/compiles.js';
import { parseFormats, type ParseFormat } from '../validators/parse.js';
import { NETWORK_MODES, type NetworkMode } from '../config.js';
import type { ResourceLimits } from '../limits.js';
import { SERVICE_KINDS, type ServiceKind, type ServiceOptions, type ServiceProbe } from '../services.js';
import type { ProcessStepBase, Scenario, ScenarioExpectation, ScenarioService, ScenarioStep, ValidatorSpec } from './model.js';
import { splitWords } from './words.js';
import { parseTomlText } from '../../util/toml/index.js';

type Table = Record<string, unknown>;

const TOP_KEYS = ['name', 'description', 'timeout_ms', 'env', 'network', 'pid_namespace', 'limits', 'services', 'steps', 'expect'];
const LIMIT_KEYS: Record<string, keyof ResourceLimits> = { memory_mb: 'memoryMb', cpu_seconds: 'cpuSeconds', processes: 'processes', file_size_mb: 'fileSizeMb', open_files: 'openFiles', wall_ms: 'wallMs' };
const SERVICE_KEYS = ['name', 'use', 'command', 'port', 'probe', 'ready_timeout_ms', 'env', 'url'];
const USAGE_KEYS = ['max_rss_mb', 'max_wall_ms', 'max_cpu_ms'] as const;
const ACTIONS = ['write', 'copy', 'mkdir', 'ggen', 'run'] as const;
const STEP_KEYS: Record<(typeof ACTIONS)[number], string[]> = {
  write: ['name', 'write', 'content'],
  copy: ['name', 'copy', 'to'],
  mkdir: ['name', 'mkdir'],
  ggen: ['name', 'ggen', 'cwd', 'env', 'stdin', 'timeout_ms', 'limits', 'exit_code', 'stdout', 'stderr'],
  run: ['name', 'run', 'cwd', 'env', 'stdin', 'timeout_ms', 'limits', 'exit_code', 'stdout', 'stderr'],
};
const EXPECT_KEYS = ['files_exist', 'golden', 'tree', 'validators', ...USAGE_KEYS];
const VALIDATOR_KEYS: Record<string, string[]> = {
  file_exists: ['paths'],
  golden: ['file', 'golden'],
  tree: ['dir', 'golden'],
  parses: ['file', 'format'],
  shacl: ['data', 'shapes'],
  command: ['run'],
  compiles: ['language', 'files', 'import'],
  readiness: ['min', 'allow_blockers'],
};

/** Finds the line of the n-th (0-based) `[[header]]` or of the first `key =` line, for error positions. */
class LineFinder {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split('\n');
  }
  header(header: string, n: number): number | undefined {
    const re = new RegExp(`^\\s*\\[\\[\\s*${header.replace('.', '\\.')}\\s*\\]\\]`);
    let seen = -1;
    for (let i = 0; i < this.lines.length; i++) if (re.test(this.lines[i]!) && ++seen === n) return i + 1;
    return undefined;
  }
  key(key: string, after = 1): number | undefined {
    const re = new RegExp(`^\\s*("?)${key}\\1\\s*=`);
    for (let i = after - 1; i < this.lines.length; i++) if (re.test(this.lines[i]!)) return i + 1;
    return undefined;
  }
}

class Reader {
  constructor(readonly file: string, readonly lines: LineFinder) {}

  fail(message: string, line?: number, hint?: string): never {
    throw new GgenError('E_CONFIG', message, { at: { file: this.file, ...(line === undefined ? {} : { line, column: 1 }) }, hint });
  }

  checkKeys(table: Table, allowed: string[], where: string, line?: number): void {
    for (const key of Object.keys(table).sort()) {
      if (!allowed.includes(key)) this.fail(`unknown key "${key}" in ${where}`, this.lines.key(key, line ?? 1) ?? line, didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`);
    }
  }

  string(table: Table, key: string, where: string, line?: number): string | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`${where}.${key} must be a string`, this.lines.key(key, line ?? 1) ?? line);
    return v;
  }

  requiredString(table: Table, key: string, where: string, line?: number): string {
    const v = this.string(table, key, where, line);
    if (v === undefined || v === '') this.fail(`${where} needs "${key}"`, line);
    return v;
  }

  integer(table: Table, key: string, where: string, line?: number): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) this.fail(`${where}.${key} must be a non-negative integer`, this.lines.key(key, line ?? 1) ?? line);
    return n;
  }

  number(table: Table, key: string, where: string, line?: number): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) this.fail(`${where}.${key} must be a number`, this.lines.key(key, line ?? 1) ?? line);
    return n;
  }

  stringList(table: Table, key: string, where: string, line?: number): string[] | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.fail(`${where}.${key} must be a string or a list of strings`, this.lines.key(key, line ?? 1) ?? line);
    return v as string[];
  }

  /** A command: an array of words, or a string split like a shell does (`shell` = run it through sh -c). */
  command(table: Table, key: string, where: string, line: number | undefined, shell: boolean): string[] {
    const v = table[key];
    if (typeof v === 'string') {
      if (shell) return ['sh', '-c', v];
      try {
        return splitWords(v);
      } catch (err) {
        this.fail(`${where}.${key}: ${(err as Error).message}`, line);
      }
    }
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.fail(`${where}.${key} must be a string or a list of strings`, line);
  }

  envTable(table: Table, key: string, where: string, line?: number): Record<string, string> {
    const v = table[key];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${where}.${key} must be a table of strings`, line);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v as Table)) {
      if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean' && typeof val !== 'bigint') this.fail(`${where}.${key}.${k} must be a string`, line);
      out[k] = String(val);
    }
    return out;
  }

  regex(table: Table, key: string, where: string, line?: number): RegExp | undefined {
    const src = this.string(table, key, where, line);
    if (src === undefined) return undefined;
    // "/pattern/flags" selects flags; anything else is a pattern with the m flag (^ and $ match per line).
    const slashed = /^\/(.*)\/([dgimsuy]*)$/s.exec(src);
    try {
      return slashed ? new RegExp(slashed[1]!, slashed[2]!.replace('g', '')) : new RegExp(src, 'm');
    } catch (err) {
      this.fail(`${where}.${key} is not a valid regular expression: ${(err as Error).message}`, this.lines.key(key, line ?? 1) ?? line);
    }
  }
}

function parseLimits(r: Reader, raw: unknown, where: string, line?: number): ResourceLimits | undefined {
  if (raw === undefined) return undefined;
  if (!isTable(raw)) r.fail(`${where} must be a table like { memory_mb = 200, wall_ms = 5000 }`, line);
  r.checkKeys(raw, Object.keys(LIMIT_KEYS), where, line);
  const out: ResourceLimits = {};
  for (const [key, name] of Object.entries(LIMIT_KEYS)) {
    const n = r.integer(raw, key, where, line);
    if (n === undefined) continue;
    if (n < 1) r.fail(`${where}.${key} must be a positive integer`, r.lines.key(key, line ?? 1) ?? line);
    out[name] = n;
  }
  return out;
}

function parseProbe(r: Reader, raw: unknown, where: string, line: number): ServiceProbe | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'tcp') return { tcp: true };
  if (!isTable(raw)) r.fail(`${where}.probe must be "tcp" or a table { http = "/path", status = 200 } or { command = "..." }`, line);
  r.checkKeys(raw, ['tcp', 'http', 'status', 'command'], `${where}.probe`, line);
  if (raw.http !== undefined) return { http: r.requiredString(raw, 'http', `${where}.probe`, line), ...optional('status', r.integer(raw, 'status', `${where}.probe`, line)) };
  if (raw.command !== undefined) return { command: r.command(raw, 'command', `${where}.probe`, line, typeof raw.command === 'string') };
  if (raw.tcp === true) return { tcp: true };
  r.fail(`${where}.probe needs tcp = true, http or command`, line);
}

function parseService(r: Reader, raw: unknown, index: number): ScenarioService {
  const line = r.lines.header('services', index) ?? 1;
  const where = `services[${index}]`;
  if (!isTable(raw)) r.fail(`${where} must be a table`, line);
  r.checkKeys(raw, SERVICE_KEYS, where, line);
  const name = r.requiredString(raw, 'name', where, line);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) r.fail(`${where}.name must be letters, digits, _ or -`, line);
  const use = r.string(raw, 'use', where, line);
  if (use !== undefined && !SERVICE_KINDS.includes(use as ServiceKind)) r.fail(`${where}.use must be one of ${SERVICE_KINDS.join(', ')}`, line, didYouMean(use, SERVICE_KINDS));
  const options: ServiceOptions = { env: r.envTable(raw, 'env', where, line) };
  if (use !== undefined) options.use = use as ServiceKind;
  if (raw.command !== undefined) {
    const words = r.command(raw, 'command', where, line, false);
    if (words.length === 0) r.fail(`${where}.command is empty`, line);
    options.command = words[0]!;
    options.args = words.slice(1);
  }
  if (use === undefined && options.command === undefined && !SERVICE_KINDS.includes(name as ServiceKind)) r.fail(`${where} needs "use" (${SERVICE_KINDS.join(', ')}) or "command"`, line);
  const port = r.integer(raw, 'port', where, line);
  if (port !== undefined) options.port = port;
  const probe = parseProbe(r, raw.probe, where, line);
  if (probe) options.probe = probe;
  const ready = r.integer(raw, 'ready_timeout_ms', where, line);
  if (ready !== undefined) options.readyTimeoutMs = ready;
  const url = r.string(raw, 'url', where, line);
  if (url !== undefined) options.url = url;
  return { name, line, options };
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseStep(r: Reader, raw: unknown, index: number): ScenarioStep {
  const line = r.lines.header('steps', index) ?? 1;
  const where = `steps[${index}]`;
  if (!isTable(raw)) r.fail(`${where} must be a table`, line);
  const actions = ACTIONS.filter((a) => raw[a] !== undefined);
  if (actions.length === 0) {
    // A mistyped action (`rnu = "…"`) is the likely reason a step has none: name it rather than the absence.
    const stepKeys = new Set(Object.values(STEP_KEYS).flat());
    for (const key of Object.keys(raw).sort()) {
      const hint = stepKeys.has(key) ? undefined : didYouMean(key, ACTIONS);
      if (hint) r.fail(`unknown action "${key}" in ${where}`, r.lines.key(key, line) ?? line, hint);
    }
  }
  if (actions.length !== 1) {
    r.fail(actions.length === 0 ? `${where} has no action` : `${where} has more than one action (${actions.join(', ')})`, line, `give each step exactly one of: ${ACTIONS.join(', ')}`);
  }
  const kind = actions[0]!;
  r.checkKeys(raw, STEP_KEYS[kind]!, where, line);
  const name = r.string(raw, 'name', where, line);
  if (kind === 'write') {
    const path = r.requiredString(raw, 'write', where, line);
    const content = r.string(raw, 'content', where, line) ?? '';
    return { kind, name: name ?? `write ${path}`, line, path, content };
  }
  if (kind === 'copy') {
    const from = r.requiredString(raw, 'copy', where, line);
    return { kind, name: name ?? `copy ${from}`, line, from: resolve(dirname(r.file), from), to: r.string(raw, 'to', where, line) ?? '.' };
  }
  if (kind === 'mkdir') {
    const path = r.requiredString(raw, 'mkdir', where, line);
    return { kind, name: name ?? `mkdir ${path}`, line, path };
  }
  const words = r.command(raw, kind, where, line, kind === 'run');
  if (words.length === 0) r.fail(`${where}.${kind} is empty`, line);
  const base: ProcessStepBase = {
    name: name ?? (kind === 'ggen' ? `ggen ${words.join(' ')}` : typeof raw.run === 'string' ? raw.run : words.join(' ')),
    line,
    env: r.envTable(raw, 'env', where, line),
    expect: {
      exitCode: r.integer(raw, 'exit_code', where, line) ?? 0,
      ...optional('stdout', r.regex(raw, 'stdout', where, line)),
      ...optional('stderr', r.regex(raw, 'stderr', where, line)),
    },
    ...optional('cwd', r.string(raw, 'cwd', where, line)),
    ...optional('stdin', r.string(raw, 'stdin', where, line)),
    ...optional('timeoutMs', r.integer(raw, 'timeout_ms', where, line)),
    ...optional('limits', parseLimits(r, raw.limits, `${where}.limits`, line)),
  };
  if (kind === 'ggen') return { ...base, kind, args: words };
  return { ...base, kind, command: words[0]!, args: words.slice(1) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function fromScenarioDir(r: Reader, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(r.file), p);
}

function parseValidator(r: Reader, raw: unknown, index: number): ScenarioExpectation {
  const line = r.lines.header('expect.validators', index) ?? 1;
  const where = `expect.validators[${index}]`;
  if (!isTable(raw)) r.fail(`${where} must be a table`, line);
  const type = r.requiredString(raw, 'type', where, line);
  const keys = VALIDATOR_KEYS[type];
  if (keys === undefined) r.fail(`unknown validator type "${type}" in ${where}`, line, didYouMean(type, Object.keys(VALIDATOR_KEYS)) ?? `known types: ${Object.keys(VALIDATOR_KEYS).join(', ')}`);
  r.checkKeys(raw, ['type', 'min_score', ...keys], where, line);
  const minScore = r.number(raw, 'min_score', where, line);
  if (minScore !== undefined && (minScore < 0 || minScore > 1)) r.fail(`${where}.min_score must be between 0 and 1`, line);
  let spec: ValidatorSpec;
  switch (type) {
    case 'file_exists':
      spec = { type, paths: r.stringList(raw, 'paths', where, line) ?? r.fail(`${where} needs "paths"`, line) };
      break;
    case 'golden':
      spec = { type, file: r.requiredString(raw, 'file', where, line), golden: fromScenarioDir(r, r.requiredString(raw, 'golden', where, line)) };
      break;
    case 'tree':
      spec = { type, dir: r.string(raw, 'dir', where, line) ?? '.', golden: fromScenarioDir(r, r.requiredString(raw, 'golden', where, line)) };
      break;
    case 'parses': {
      const format = r.requiredString(raw, 'format', where, line);
      if (!parseFormats.includes(format as ParseFormat)) r.fail(`${where}.format must be one of ${parseFormats.join(', ')}`, line, didYouMean(format, parseFormats));
      spec = { type, file: r.requiredString(raw, 'file', where, line), format: format as ParseFormat };
      break;
    }
    case 'shacl':
      spec = { type, data: r.requiredString(raw, 'data', where, line), shapes: r.requiredString(raw, 'shapes', where, line) };
      break;
    case 'command': {
      const words = r.command(raw, 'run', where, line, typeof raw.run === 'string');
      spec = { type, command: words[0] ?? r.fail(`${where}.run is empty`, line), args: words.slice(1) };
      break;
    }
    case 'compiles': {
      const language = r.requiredString(raw, 'language', where, line);
      if (!compileLanguages.includes(language as CompileLanguage)) r.fail(`${where}.language must be one of ${compileLanguages.join(', ')}`, line, didYouMean(language, compileLanguages));
      spec = { type, language: language as CompileLanguage, files: r.stringList(raw, 'files', where, line) ?? r.fail(`${where} needs "files"`, line), importModules: r.stringList(raw, 'import', where, line) ?? [] };
      break;
    }
    default: {
      const min = r.number(raw, 'min', where, line) ?? r.fail(`${where} needs "min" (0..100)`, line);
      spec = { type: 'readiness', min, allowBlockers: raw.allow_blockers === true };
    }
  }
  return { spec, line, ...optional('minScore', minScore) };
}

function parseExpect(r: Reader, raw: unknown): ScenarioExpectation[] {
  if (raw === undefined) return [];
  if (!isTable(raw)) r.fail('expect must be a table');
  const line = r.lines.key('files_exist') ?? 1;
  r.checkKeys(raw, EXPECT_KEYS, 'expect');
  const out: ScenarioExpectation[] = [];
  const files = r.stringList(raw, 'files_exist', 'expect');
  if (files) out.push({ spec: { type: 'file_exists', paths: files }, line });
  if (raw.golden !== undefined) {
    if (!isTable(raw.golden)) r.fail('expect.golden must be a table of "file" = "golden file"', r.lines.key('golden'));
    for (const [file, golden] of Object.entries(raw.golden).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (typeof golden !== 'string') r.fail(`expect.golden."${file}" must be a path`, r.lines.key('golden'));
      out.push({ spec: { type: 'golden', file, golden: fromScenarioDir(r, golden) }, line: r.lines.key('golden') ?? 1 });
    }
  }
  if (raw.tree !== undefined) {
    const treeLine = r.lines.key('tree') ?? 1;
    if (typeof raw.tree === 'string') out.push({ spec: { type: 'tree', dir: '.', golden: fromScenarioDir(r, raw.tree) }, line: treeLine });
    else if (isTable(raw.tree)) {
      r.checkKeys(raw.tree, ['dir', 'golden'], 'expect.tree', treeLine);
      out.push({ spec: { type: 'tree', dir: r.string(raw.tree, 'dir', 'expect.tree') ?? '.', golden: fromScenarioDir(r, r.requiredString(raw.tree, 'golden', 'expect.tree', treeLine)) }, line: treeLine });
    } else r.fail('expect.tree must be a golden directory or a table { dir, golden }', treeLine);
  }
  for (const measure of USAGE_KEYS) {
    const max = r.number(raw, measure, 'expect');
    if (max === undefined) continue;
    if (max <= 0) r.fail(`expect.${measure} must be a positive number`, r.lines.key(measure));
    out.push({ spec: { type: 'usage', measure, max }, line: r.lines.key(measure) ?? 1 });
  }
  if (raw.validators !== undefined) {
    if (!Array.isArray(raw.validators)) r.fail('expect.validators must be an array of tables ([[expect.validators]])');
    raw.validators.forEach((v, i) => out.push(parseValidator(r, v, i)));
  }
  return out;
}

/** Parses and checks a scenario's TOML text; `file` is used for positions and relative paths. */
export async function parseScenario(text: string, file: string): Promise<Scenario> {
  // The one TOML reader: syntax errors with file:line:col and a marked excerpt, like every other config file.
  const doc = parseTomlText(text, file).value as Table;
  const r: Reader = new Reader(file, new LineFinder(text));
  r.checkKeys(doc, TOP_KEYS, 'the scenario');
  const rawSteps: unknown = doc.steps ?? [];
  if (!Array.isArray(rawSteps)) r.fail('steps must be an array of tables ([[steps]])', r.lines.key('steps'));
  const steps = rawSteps.map((s, i) => parseStep(r, s, i));
  const rawServices: unknown = doc.services ?? [];
  if (!Array.isArray(rawServices)) r.fail('services must be an array of tables ([[services]])', r.lines.key('services'));
  const services = rawServices.map((s, i) => parseService(r, s, i));
  const dup = services.find((s, i) => services.findIndex((t) => t.name === s.name) !== i);
  if (dup) r.fail(`service "${dup.name}" is declared twice`, dup.line);
  const network = r.string(doc, 'network', 'the scenario');
  if (network !== undefined && !NETWORK_MODES.includes(network as NetworkMode)) r.fail(`network must be one of ${NETWORK_MODES.join(', ')}`, r.lines.key('network'), didYouMean(network, NETWORK_MODES));
  if (doc.pid_namespace !== undefined && typeof doc.pid_namespace !== 'boolean') r.fail('pid_namespace must be true or false', r.lines.key('pid_namespace'));
  if (network === 'none' && services.length > 0) r.fail('services need a network: this scenario has network = "none"', services[0]!.line, 'use network = "loopback" for a private network');
  const expectations = parseExpect(r, doc.expect);
  if (steps.length === 0 && expectations.length === 0) r.fail('the scenario has no steps and no expectations', undefined, 'add [[steps]] tables (write, copy, mkdir, ggen, run) and an [expect] table');
  const base = file.split(/[\\/]/).pop()!.replace(/\.toml$/, '');
  return {
    file,
    name: r.string(doc, 'name', 'the scenario') ?? base,
    env: r.envTable(doc, 'env', 'the scenario'),
    services,
    steps,
    ...optional('network', network as NetworkMode | undefined),
    ...optional('pidNamespace', doc.pid_namespace as boolean | undefined),
    ...optional('limits', parseLimits(r, doc.limits, 'limits', r.lines.key('limits'))),
    expectations,
    ...optional('description', r.string(doc, 'description', 'the scenario')),
    ...optional('timeoutMs', r.integer(doc, 'timeout_ms', 'the scenario')),
  };
}

/** Reads and parses a scenario file. */
export async function loadScenario(file: string): Promise<Scenario> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GgenError('E_IO', code === 'ENOENT' ? 'scenario file not found' : code === 'EISDIR' ? 'scenario path is a directory' : `cannot read scenario: ${(err as Error).message}`, { at: { file }, hint: 'check the path', cause: err });
  }
  return parseScenario(text, file);
}
