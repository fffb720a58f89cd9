// The Tera 1.x compatible engine: compiles once, renders many times, turns failures into GgenErrors with positions.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { closestName } from '../util/closest.js';
import { createBuiltinFunctions } from './engine/builtin-functions.js';
import { builtinFilters } from './engine/builtin-filters.js';
import { builtinTests } from './engine/builtin-tests.js';
import { collectCalls } from './engine/calls.js';
import { TeraSyntaxError } from './engine/parser.js';
import { RenderError, Renderer, type FilterFn, type FunctionFn, type RenderEnv } from './engine/render.js';
import { buildTemplate, lineOfTag, linkTemplate, TemplateBuildError, type TemplateUnit } from './engine/template-unit.js';
import { isObject, plain } from './engine/values.js';
import { ggenFilters } from './filters/ggen-filters.js';
import { identFilter } from './filters/ident.js';
import { pluginRegistrations, type TemplatePlugin } from './plugins.js';

export type TemplateFunction = (args: Record<string, unknown>) => unknown;
export type TemplateFilter = (value: unknown, args: Record<string, unknown>) => unknown;

export interface TemplateEngineOptions {
  /** Directory that include/import/extends names are resolved against. */
  templatesDir?: string;
  /** Drives now() and get_random() when set, so renders are reproducible. */
  seed?: number | string;
  /** get_env reads only these variables when set; unset means Tera's behaviour (any variable). */
  allowedEnv?: readonly string[];
  /** Extra functions (named arguments), e.g. generation's sparql() and local(). */
  functions?: Record<string, TemplateFunction>;
  /** Extra filters (named arguments); they override built-ins of the same name. */
  filters?: Record<string, TemplateFilter>;
  /** Where get_env reads (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told of every partial file and environment variable a render reads, so generation can record its inputs. */
  onRead?: (read: TemplateRead) => void;
  /** Project plugins (filters, functions, tests), over the built-ins; later plugins win over earlier ones. */
  plugins?: readonly TemplatePlugin[];
}

/** A file (include/import/extends; `found: false` when it was missing) or an environment variable read by a render. */
export type TemplateRead = { kind: 'partial'; file: string; found: boolean } | { kind: 'env'; name: string; value: string | undefined };

/** Per-render additions: functions (and filters) that belong to one render, e.g. sparql() over one template's graph. */
export interface RenderOptions {
  functions?: Record<string, TemplateFunction>;
  filters?: Record<string, TemplateFilter>;
}

export interface CompiledTemplate {
  render(context: Record<string, unknown>, opts?: RenderOptions): string;
}

/** A filter, function or test a template calls that the engine does not know (file line, with a did-you-mean). */
export interface UnknownCall {
  kind: 'filter' | 'function' | 'test';
  name: string;
  line: number;
  column: number;
  hint: string;
}

export interface TemplateEngine {
  compile(source: string, name: string, opts?: { lineOffset?: number }): CompiledTemplate;
  /** Calls to names not registered (built-ins, plugins, options, plus `known`), for lint; throws on syntax errors. */
  unknownCalls(source: string, name: string, opts?: { lineOffset?: number; known?: readonly string[] }): UnknownCall[];
  renderString(source: string, context: Record<string, unknown>, name?: string, opts?: RenderOptions): string;
}

/** Names of ggen's own filters (ggen 1.x register.rs), in the order 1.x registered them. */
export const ggenFilterNames: readonly string[] = Object.freeze(Object.keys(ggenFilters));

/** The source line at `line` with a caret under `column`, for error details. */
export function sourceExcerpt(source: string, line: number, column: number, fileLine = line): string {
  const text = source.split('\n')[line - 1]?.replace(/\r$/, '') ?? '';
  const gutter = String(fileLine);
  return `${gutter} | ${text}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`;
}

function syntaxError(err: unknown, file: string, source: string, lineOffset: number): GgenError {
  if (err instanceof TeraSyntaxError) {
    const before = source.slice(0, err.offset);
    const line = before.split('\n').length;
    const column = err.offset - (before.lastIndexOf('\n') + 1) + 1;
    return new GgenError('E_TEMPLATE_SYNTAX', `template syntax error: ${err.message}`, {
      at: { file, line: line + lineOffset - 1, column },
      detail: sourceExcerpt(source, line, column, line + lineOffset - 1),
      hint: 'templates use Tera 1.x syntax: {{ expr }}, {% tag %}, {# comment #}; filter arguments are named, e.g. replace(from="a", to="b")',
    });
  }
  if (err instanceof TemplateBuildError) {
    return new GgenError('E_TEMPLATE_SYNTAX', err.message, {
      at: { file, line: err.line === undefined ? undefined : err.line + lineOffset - 1 },
      detail: err.line === undefined ? undefined : sourceExcerpt(source, err.line, 1, err.line + lineOffset - 1),
    });
  }
  if (err instanceof GgenError) return err;
  return new GgenError('E_TEMPLATE_SYNTAX', (err as Error).message, { at: { file } });
}

// Extension filters and functions see plain JSON values (integral floats unboxed).
const wrapFilter = (f: TemplateFilter): FilterFn => (v, args) => f(plain(v), plain(args) as Record<string, unknown>);
const wrapFunction = (f: TemplateFunction): FunctionFn => (args) => f(plain(args) as Record<string, unknown>);

class Engine implements TemplateEngine {
  private readonly filters = new Map<string, FilterFn>();
  private readonly tests = new Map(Object.entries(builtinTests));
  private readonly functions = new Map<string, FunctionFn>();
  private readonly resetFunctions: () => void;
  private readonly partials = new Map<string, TemplateUnit | null>();
  /** mtime of each loaded partial file, to notice edits (watch mode) at the next compile. */
  private readonly partialStamps = new Map<string, number>();
  private readonly templatesDir: string | undefined;
  private readonly onRead: ((read: TemplateRead) => void) | undefined;
  private readonly env: RenderEnv;
  /** The environment for each RenderOptions object, built once (a foreach renders many rows with the same one). */
  private readonly envs = new WeakMap<RenderOptions, RenderEnv>();

  constructor(opts: TemplateEngineOptions) {
    for (const [k, f] of Object.entries(builtinFilters)) this.filters.set(k, f);
    // ggen 1.x registered its filters over Tera's, replacing title, upper, lower and pluralize.
    for (const [k, f] of Object.entries(ggenFilters)) this.filters.set(k, f);
    // ggen 2's identifier filter (not in 1.x): names that compile in a target language.
    this.filters.set('ident', identFilter);
    const plugged = pluginRegistrations(opts.plugins ?? []);
    for (const [k, f] of plugged.filters) this.filters.set(k, f);
    for (const [k, f] of plugged.tests) this.tests.set(k, f);
    // Extension filters and functions see plain JSON values (integral floats unboxed).
    for (const [k, f] of Object.entries(opts.filters ?? {})) this.filters.set(k, wrapFilter(f));
    const onRead = opts.onRead;
    this.onRead = onRead;
    const builtins = createBuiltinFunctions({ seed: opts.seed, allowedEnv: opts.allowedEnv, env: opts.env, onEnvRead: onRead && ((name, value) => onRead({ kind: 'env', name, value })) });
    this.resetFunctions = builtins.reset;
    for (const [k, f] of Object.entries(builtins.functions)) this.functions.set(k, f);
    for (const [k, f] of plugged.functions) this.functions.set(k, f);
    for (const [k, f] of Object.entries(opts.functions ?? {})) this.functions.set(k, wrapFunction(f));
    this.templatesDir = opts.templatesDir === undefined ? undefined : resolve(opts.templatesDir);
    this.env = {
      filters: this.filters,
      tests: this.tests,
      functions: this.functions,
      getTemplate: (name) => this.loadPartial(name),
    };
  }

  /** Full path of a partial, or undefined when the name leaves the templates directory. */
  private partialPath(name: string): string | undefined {
    if (this.templatesDir === undefined || isAbsolute(name)) return undefined;
    const full = resolve(this.templatesDir, name);
    const rel = relative(this.templatesDir, full);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return full;
  }

  private displayName(tpl: TemplateUnit): string {
    if (this.partials.get(tpl.name) === tpl) return this.partialPath(tpl.name) ?? tpl.name;
    return tpl.name;
  }

  private loadPartial(name: string): TemplateUnit | undefined {
    const cached = this.partials.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const full = this.partialPath(name);
    if (full === undefined || !existsSync(full) || !statSync(full).isFile()) {
      if (full !== undefined) this.onRead?.({ kind: 'partial', file: full, found: false });
      this.partials.set(name, null);
      return undefined;
    }
    const source = readFileSync(full, 'utf8');
    this.onRead?.({ kind: 'partial', file: full, found: true });
    this.partialStamps.set(full, statSync(full).mtimeMs);
    let unit: TemplateUnit;
    try {
      unit = buildTemplate(name, source);
    } catch (e) {
      throw syntaxError(e, full, source, 1);
    }
    this.partials.set(name, unit);
    try {
      this.link(unit);
    } catch (e) {
      this.partials.delete(name);
      throw e;
    }
    return unit;
  }

  /** Tera's build_inheritance_chains + check_macro_files for one template (loading what it needs). */
  private link(unit: TemplateUnit): void {
    const file = this.displayName(unit);
    try {
      linkTemplate(unit, (n) => this.loadPartial(n));
    } catch (e) {
      if (e instanceof TemplateBuildError) {
        throw new GgenError('E_TEMPLATE_SYNTAX', e.message, {
          at: { file, line: e.line === undefined ? undefined : e.line + unit.lineOffset - 1 },
          hint: this.templatesDir === undefined ? 'pass a templates directory (--templates-dir) for extends/include/import' : `names are relative to ${this.templatesDir}`,
        });
      }
      throw e;
    }
    for (const [macroFile] of unit.imports) {
      if (this.loadPartial(macroFile) === undefined) {
        const line = lineOfTag(unit, 'import', macroFile);
        throw new GgenError('E_TEMPLATE_SYNTAX', `template "${unit.name}" imports macros from "${macroFile}", which does not exist in the templates directory`, {
          at: { file, line: line === undefined ? undefined : line + unit.lineOffset - 1 },
          hint: this.templatesDir === undefined ? 'pass a templates directory (--templates-dir) for extends/include/import' : `names are relative to ${this.templatesDir}`,
        });
      }
    }
  }

  /** Drops every cached partial when one changed on disk since it was read (partials link to each other). */
  private refreshPartials(): void {
    for (const [file, stamp] of this.partialStamps) {
      let now: number | undefined;
      try {
        now = statSync(file).mtimeMs;
      } catch {
        now = undefined;
      }
      if (now !== stamp) {
        this.partials.clear();
        this.partialStamps.clear();
        return;
      }
    }
  }

  compile(source: string, name: string, opts: { lineOffset?: number } = {}): CompiledTemplate {
    const lineOffset = opts.lineOffset ?? 1;
    this.refreshPartials();
    let unit: TemplateUnit;
    try {
      unit = buildTemplate(name, source, lineOffset);
    } catch (e) {
      throw syntaxError(e, name, source, lineOffset);
    }
    this.link(unit);
    return { render: (context, renderOpts) => this.render(unit, context, renderOpts) };
  }

  unknownCalls(source: string, name: string, opts: { lineOffset?: number; known?: readonly string[] } = {}): UnknownCall[] {
    const lineOffset = opts.lineOffset ?? 1;
    let unit: TemplateUnit;
    try {
      unit = buildTemplate(name, source, lineOffset);
    } catch (e) {
      throw syntaxError(e, name, source, lineOffset);
    }
    const known = new Set(opts.known ?? []);
    const pools = { filter: this.filters, function: this.functions, test: this.tests } as const;
    const found: UnknownCall[] = [];
    for (const c of collectCalls(unit.nodes)) {
      const pool = pools[c.kind];
      // safe and default are the renderer's own (Tera's too): no registry holds them.
      if (pool.has(c.name) || known.has(c.name) || (c.kind === 'filter' && (c.name === 'safe' || c.name === 'default'))) continue;
      const near = closestName(c.name, [...pool.keys(), ...(c.kind === 'test' ? [] : known)]);
      found.push({ kind: c.kind, name: c.name, line: c.line + lineOffset - 1, column: c.column, hint: near === undefined ? `no ${c.kind} of that name is built in or comes from a plugin` : `did you mean "${near}"?` });
    }
    return found;
  }

  renderString(source: string, context: Record<string, unknown>, name = '<template>', opts?: RenderOptions): string {
    return this.compile(source, name).render(context, opts);
  }

  private envFor(opts: RenderOptions | undefined): RenderEnv {
    if (opts === undefined || (opts.functions === undefined && opts.filters === undefined)) return this.env;
    let env = this.envs.get(opts);
    if (env === undefined) {
      const functions = new Map(this.functions);
      for (const [k, f] of Object.entries(opts.functions ?? {})) functions.set(k, wrapFunction(f));
      const filters = new Map(this.filters);
      for (const [k, f] of Object.entries(opts.filters ?? {})) filters.set(k, wrapFilter(f));
      env = { ...this.env, functions, filters };
      this.envs.set(opts, env);
    }
    return env;
  }

  private render(unit: TemplateUnit, context: Record<string, unknown>, opts?: RenderOptions): string {
    if (!isObject(context)) throw new GgenError('E_TEMPLATE_RENDER', 'the template context must be an object', { at: { file: unit.name } });
    this.resetFunctions();
    const renderer = new Renderer(this.envFor(opts), unit, context);
    try {
      return renderer.render();
    } catch (e) {
      if (e instanceof GgenError) throw e;
      if (!(e instanceof RenderError)) {
        throw new GgenError('E_TEMPLATE_RENDER', `template failed: ${(e as Error).message ?? String(e)}`, { at: { file: unit.name }, cause: e });
      }
      const where = e.template ?? unit;
      const line = e.line === undefined ? undefined : e.line + where.lineOffset - 1;
      return this.throwRenderError(e, where, line, renderer);
    }
  }

  private throwRenderError(e: RenderError, where: TemplateUnit, line: number | undefined, renderer: Renderer): never {
    let hint = e.hint;
    if (hint === undefined && e.subject !== undefined) {
      if (e.kind === 'undefined') {
        const names = renderer.visibleNames().filter((n) => n !== e.subject);
        const near = closestName(e.subject, names);
        const listed = names.length === 0 ? 'no variables are defined' : `defined: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`;
        hint = near === undefined ? `pass it with --var ${e.subject}=… (${listed})` : `did you mean "${near}"? (or pass --var ${e.subject}=…; ${listed})`;
      } else {
        const pool = e.kind === 'filter' ? this.filters : e.kind === 'function' ? this.functions : this.tests;
        const near = closestName(e.subject, [...pool.keys()]);
        hint = near === undefined ? `known ${e.kind}s: ${[...pool.keys()].sort().join(', ')}` : `did you mean "${near}"?`;
      }
    }
    const file = this.displayName(where);
    const source = where.source;
    const detail = line === undefined ? undefined : sourceExcerpt(source, line - where.lineOffset + 1, 1).replace(/^\d+/, String(line));
    throw new GgenError('E_TEMPLATE_RENDER', e.message, { at: { file, line }, hint, detail: detail?.split('\n')[0] });
  }
}

export function createTemplateEngine(opts: TemplateEngineOptions = {}): TemplateEngine {
  return new Engine(opts);
}

export function renderTemplateString(source: string, context: Record<string, unknown>, opts: TemplateEngineOptions = {}): string {
  return createTemplateEngine(opts).renderString(source, context);
}

