// Template plugins: filters, functions and tests written by a project, added to the engine under Tera's calling
// convention. A plugin's failure becomes a render error at the template's line, naming the plugin.
import { RenderError, type FilterFn, type FunctionFn, type TestFn } from './engine/render.js';
import { plain } from './engine/values.js';

/** `{{ value | name(k=v) }}`: the piped value and the named arguments. */
export type PluginFilter = (value: unknown, kwargs: Record<string, unknown>) => unknown;
/** `{{ name(k=v) }}`: the named arguments. */
export type PluginFunction = (kwargs: Record<string, unknown>) => unknown;
/** `{% if value is name(a, b) %}`: the tested value and the positional arguments; returns a boolean. */
export type PluginTest = (value: unknown, args: unknown[]) => boolean;

export interface TemplatePlugin {
  /** Shown in errors, e.g. the module path `ggen.plugins.mjs`. */
  name: string;
  filters?: Record<string, PluginFilter>;
  functions?: Record<string, PluginFunction>;
  tests?: Record<string, PluginTest>;
}

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Runs one plugin call; a throw or a Promise becomes a RenderError whose hint names the plugin. */
function guarded<T>(plugin: string, kind: string, name: string, call: () => T): T {
  let result: T;
  try {
    result = call();
  } catch (e) {
    if (e instanceof RenderError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new RenderError(message, { hint: `raised by ${kind} "${name}" of plugin ${plugin}` });
  }
  if (isThenable(result)) {
    throw new RenderError(`returned a Promise; plugin ${kind}s must be synchronous`, { hint: `${kind} "${name}" of plugin ${plugin}: compute the value without await (rendering is synchronous and deterministic)` });
  }
  return result;
}

/** The plugins' registrations, later plugins over earlier ones, wrapped for the renderer. */
export function pluginRegistrations(plugins: readonly TemplatePlugin[]): { filters: Map<string, FilterFn>; functions: Map<string, FunctionFn>; tests: Map<string, TestFn> } {
  const filters = new Map<string, FilterFn>();
  const functions = new Map<string, FunctionFn>();
  const tests = new Map<string, TestFn>();
  for (const p of plugins) {
    for (const [k, f] of Object.entries(p.filters ?? {})) {
      filters.set(k, (v, args) => guarded(p.name, 'filter', k, () => f(plain(v), plain(args) as Record<string, unknown>)));
    }
    for (const [k, f] of Object.entries(p.functions ?? {})) {
      functions.set(k, (args) => guarded(p.name, 'function', k, () => f(plain(args) as Record<string, unknown>)));
    }
    for (const [k, f] of Object.entries(p.tests ?? {})) {
      tests.set(k, (v, args) => {
        const r = guarded(p.name, 'test', k, () => f(plain(v), args.map(plain)));
        if (typeof r !== 'boolean') throw new RenderError(`returned ${r === null ? 'null' : typeof r}, not true or false`, { hint: `test "${k}" of plugin ${p.name} must return a boolean` });
        return r;
      });
    }
  }
  return { filters, functions, tests };
}
