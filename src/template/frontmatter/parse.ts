// Frontmatter: parse the YAML with positions, check every key's type, and normalise it into one model.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Tags } from 'yaml';
import { makeFloat } from '../engine/values.js';
import { GgenError, type SourceLocation } from '../../errors.js';
import { didYouMean } from '../../util/closest.js';

/** Frontmatter after type checks, before rendering: strings may still hold Tera expressions. */
export interface Frontmatter {
  to?: string;
  from?: string;
  force: boolean;
  unless_exists: boolean;
  inject: boolean;
  before?: string;
  after?: string;
  prepend: boolean;
  append: boolean;
  at_line?: number;
  skip_if?: string;
  idempotent: boolean;
  backup: boolean;
  eof_last: boolean;
  region?: string;
  sh_before?: string;
  sh_after?: string;
  base?: string;
  prefixes: Record<string, string>;
  rdf: string[];
  rdf_inline: string[];
  /** SHACL shapes files (relative to the template file) this template's graph must conform to before it renders. */
  shape: string[];
  sparql: Record<string, string>;
  /** Defaults; a prompted variable appears here only when its prompt has a `default`. */
  vars: Record<string, unknown>;
  /** Variables declared as `{ prompt: "…", default?: …, choices?: [...] }`: asked for on a terminal when no value is given. */
  prompts: Record<string, VarPromptSpec>;
  seed?: string;
  foreach?: string;
  compat?: 'ggen1';
  description?: string;
}

/** A variable's question, from frontmatter `vars: { name: { prompt: "Service name?", default: "api" } }`. */
export interface VarPromptSpec {
  prompt: string;
  /** Used when nothing is asked (piped, CI, --json) or the answer is left empty; may hold Tera like other vars. */
  default?: unknown;
  /** The answer is one of these. */
  choices?: string[];
}

export interface FrontmatterWarning {
  message: string;
  at: SourceLocation;
  hint?: string;
}

export interface ParsedFrontmatter {
  value: Frontmatter;
  warnings: FrontmatterWarning[];
  /** Where each top-level key (and `sparql.NAME`, `vars.NAME`) was written, for later errors. */
  positions: Map<string, SourceLocation>;
  /** True when the file had a frontmatter block at all. */
  present: boolean;
}

type Kind = 'string' | 'bool' | 'uint' | 'strings' | 'map' | 'sparql' | 'vars' | 'seed' | 'any';

const schema: Record<string, Kind> = {
  to: 'string', from: 'string', force: 'bool', unless_exists: 'bool', inject: 'bool',
  before: 'string', after: 'string', prepend: 'bool', append: 'bool', at_line: 'uint',
  skip_if: 'string', idempotent: 'bool', backup: 'bool', eof_last: 'bool', region: 'string',
  sh_before: 'string', sh: 'string', sh_after: 'string', base: 'string', prefixes: 'map',
  rdf: 'strings', rdf_inline: 'strings', sparql: 'sparql', vars: 'vars', determinism: 'seed',
  foreach: 'string', compat: 'string', description: 'string', shape: 'strings',
  // Accepted for 1.x templates; they have no effect (documented in docs/generation.md).
  freeze_policy: 'any', freeze_slots_dir: 'any', name: 'any', category: 'any', tags: 'any', version: 'any',
};

/** Keys that are accepted but do nothing; `template lint` mentions them. */
export const ignoredKeys = new Set(['freeze_policy', 'freeze_slots_dir', 'name', 'category', 'tags', 'version']);
export const frontmatterKeys = Object.keys(schema).sort();

const kindText: Record<Kind, string> = {
  string: 'a string', bool: 'true or false', uint: 'a whole number ≥ 0', strings: 'a string or a list of strings',
  map: 'a map of strings', sparql: 'a query string, a map of name → query, or a list of queries',
  vars: 'a map of name → value', seed: 'a seed (number or string) or { seed: … }', any: 'any value',
};

function emptyFrontmatter(): Frontmatter {
  return {
    force: false, unless_exists: false, inject: false, prepend: false, append: false, idempotent: false,
    backup: false, eof_last: false, prefixes: {}, rdf: [], rdf_inline: [], shape: [], sparql: {}, vars: {}, prompts: {},
  };
}

/**
 * Parses frontmatter YAML. `file` and `startLine` (the file line of the YAML's first line) place errors.
 * Type errors throw E_FRONTMATTER at the value; unknown keys become warnings with did-you-mean.
 */
export function parseFrontmatter(yamlText: string | undefined, file: string, startLine = 2): ParsedFrontmatter {
  const value = emptyFrontmatter();
  const positions = new Map<string, SourceLocation>();
  const warnings: FrontmatterWarning[] = [];
  if (yamlText === undefined) return { value, warnings, positions, present: false };
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true, customTags: keepFloats });
  const locate = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line + startLine - 1, column: pos.col };
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const msg = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new GgenError('E_FRONTMATTER', `invalid YAML in frontmatter: ${msg}`, {
      at: locate(firstError.pos[0]), hint: 'check indentation and quoting; values with ":" or "{{" need quotes',
    });
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { value, warnings, positions, present: true };
  if (!isMap(root)) {
    throw new GgenError('E_FRONTMATTER', 'frontmatter must be a YAML map of keys (to:, sparql:, vars: …)', { at: locate(root.range?.[0]) });
  }
  const values = documentValues(doc, locate(root.range?.[0]));
  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const at = locate(keyNode?.range?.[0]);
    const valueNode = pair.value as YamlNode | null;
    const valueAt = valueNode?.range ? locate(valueNode.range[0]) : at;
    positions.set(key, valueAt);
    const kind = schema[key];
    if (kind === undefined) {
      warnings.push({ message: `unknown frontmatter key "${key}" (ignored)`, at, hint: didYouMean(key, Object.keys(schema)) });
      continue;
    }
    const raw: unknown = Object.hasOwn(values, key) ? values[key] : null;
    const fail = (what = kindText[kind]): never => {
      throw new GgenError('E_FRONTMATTER', `frontmatter "${key}" must be ${what}, got ${describe(raw)}`, { at: valueAt });
    };
    if (isSeq(valueNode) || isMap(valueNode)) {
      for (const item of (valueNode.items as Array<unknown>)) {
        const node = (isMap(valueNode) ? (item as { key: YamlNode; value: YamlNode | null }).value : item) as YamlNode | null;
        const name = isMap(valueNode) ? String((item as { key: { value?: unknown } }).key?.value) : String(valueNode.items.indexOf(item as never));
        if (node?.range) positions.set(`${key}.${name}`, locate(node.range[0]));
      }
    }
    assign(value, key, kind, raw, fail, valueAt, warnings);
  }
  return { value, warnings, positions, present: true };
}

/**
 * YAML floats stay floats, as serde_yaml keeps them for Tera: `1.0` renders as `1.0`, not `1` (integers are
 * unaffected). The float resolvers of the core schema are wrapped to return the engine's float value.
 */
class YamlFloat {
  constructor(readonly value: number) {}
}

/** Replaces the float markers (which yaml's toJS passes through untouched) by the engine's float values. */
function unmarkFloats(v: unknown): unknown {
  if (v instanceof YamlFloat) return makeFloat(v.value);
  if (Array.isArray(v)) return v.map(unmarkFloats);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmarkFloats(x)]));
  }
  return v;
}

const keepFloats = (tags: Tags): Tags => tags.map((tag) => {
  if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:float' || !('resolve' in tag) || typeof tag.resolve !== 'function') return tag;
  const resolve = tag.resolve as (source: string, onError: (message: string) => void, options: unknown) => unknown;
  return { ...tag, resolve: (source: string, onError: (message: string) => void, options: unknown) => {
    const value = resolve(source, onError, options);
    const number = isScalar(value) ? value.value : value; // `1.0` resolves to a Scalar that remembers its digits
    return typeof number === 'number' ? new YamlFloat(number) : value;
  } } as typeof tag;
});

/** Aliases a frontmatter may use: enough for sharing values, too few for an exponential "alias bomb". */
export const MAX_YAML_ALIASES = 100;

/**
 * The whole document as plain values, aliases resolved (`b: *x` is the value of `&x`). Converting node by
 * node would not see the anchors; converting the document does, and bounds how much aliases may expand.
 */
function documentValues(doc: Document.Parsed, at: SourceLocation): Record<string, unknown> {
  try {
    return unmarkFloats(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ReferenceError || /alias/i.test((err as Error).message)) {
      throw new GgenError('E_FRONTMATTER', `frontmatter YAML expands aliases too much (${(err as Error).message.replace(/\.$/, '')})`, {
        at, hint: `a frontmatter may use at most ${MAX_YAML_ALIASES} alias expansions; write the values out instead`,
      });
    }
    throw err;
  }
}

function describe(raw: unknown): string {
  if (raw === null || raw === undefined) return 'nothing';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a map';
  if (typeof raw === 'string') return `the string ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`;
  return `${typeof raw} ${String(raw)}`;
}

function assign(fm: Frontmatter, key: string, kind: Kind, raw: unknown, fail: (what?: string) => never, at: SourceLocation, warnings: FrontmatterWarning[]): void {
  const target = fm as unknown as Record<string, unknown>;
  switch (kind) {
    case 'string':
      if (typeof raw !== 'string') fail();
      if (key === 'compat' && raw !== 'ggen1') fail('"ggen1" (the only compatibility mode)');
      target[key === 'sh' ? 'sh_before' : key] = raw;
      return;
    case 'bool':
      if (typeof raw !== 'boolean') fail();
      target[key] = raw;
      return;
    case 'uint':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) fail();
      target[key] = raw;
      return;
    case 'strings':
      if (typeof raw === 'string') target[key] = [raw];
      else if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) target[key] = raw;
      else if (raw === null) target[key] = [];
      else fail();
      return;
    case 'map':
      if (raw === null) return;
      if (typeof raw !== 'object' || Array.isArray(raw) || !Object.values(raw as object).every((v) => typeof v === 'string')) fail();
      fm.prefixes = raw as Record<string, string>;
      return;
    case 'sparql':
      fm.sparql = normaliseSparql(raw, fail);
      return;
    case 'vars': {
      const all = normaliseVars(raw);
      fm.vars = {};
      for (const [name, v] of Object.entries(all)) {
        const spec = promptSpec(v);
        if (spec === undefined) fm.vars[name] = v;
        else {
          fm.prompts[name] = spec;
          if (spec.default !== undefined) fm.vars[name] = spec.default;
        }
      }
      return;
    }
    case 'seed': {
      const seed = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).seed : raw;
      if (typeof seed !== 'number' && typeof seed !== 'string') fail();
      fm.seed = String(seed);
      return;
    }
    case 'any':
      warnings.push({ message: `frontmatter "${key}" is accepted for 1.x templates but has no effect`, at });
      return;
  }
}

function normaliseSparql(raw: unknown, fail: (what?: string) => never): Record<string, string> {
  if (raw === null) return {};
  if (typeof raw === 'string') return { default: raw };
  if (Array.isArray(raw)) {
    if (!raw.every((q) => typeof q === 'string')) fail();
    return Object.fromEntries(raw.map((q, i) => [`query_${i}`, q as string]));
  }
  if (typeof raw === 'object' && Object.values(raw as object).every((q) => typeof q === 'string')) return raw as Record<string, string>;
  return fail();
}

const PROMPT_KEYS = new Set(['prompt', 'default', 'choices']);

/**
 * A prompt spec is a map with a string `prompt` and no keys but prompt, default and choices (a list of strings).
 * Any other map stays a plain map value, as before prompts existed.
 */
function promptSpec(v: unknown): VarPromptSpec | undefined {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  const m = v as Record<string, unknown>;
  if (typeof m.prompt !== 'string' || !Object.keys(m).every((k) => PROMPT_KEYS.has(k))) return undefined;
  if (m.choices !== undefined && !(Array.isArray(m.choices) && m.choices.length > 0 && m.choices.every((c) => typeof c === 'string'))) return undefined;
  const spec: VarPromptSpec = { prompt: m.prompt };
  if (m.default !== undefined && m.default !== null) spec.default = m.default;
  if (m.choices !== undefined) spec.choices = m.choices as string[];
  return spec;
}

/** 1.x accepted a list (items become var0, var1 …) or a scalar (var0); a map is the normal form. */
function normaliseVars(raw: unknown): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((v, i) => [`var${i}`, v]));
  if (typeof raw === 'object') return raw as Record<string, unknown>;
  return { var0: raw };
}
