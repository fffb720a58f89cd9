// Public surface of src/template: the Tera 1.x compatible engine, ggen's filters and frontmatter splitting.
export {
  createTemplateEngine,
  ggenFilterNames,
  renderTemplateString,
  type CompiledTemplate,
  type RenderOptions,
  type TemplateEngine,
  type TemplateEngineOptions,
  type TemplateFilter,
  type TemplateFunction,
  type TemplateRead,
  type UnknownCall,
} from './engine.js';
export * from './frontmatter/index.js';
export type { PluginFilter, PluginFunction, PluginTest, TemplatePlugin } from './plugins.js';
export { renderTemplateFile, type RenderTemplateFileOptions } from './render-file.js';
/** ggen's filter functions by name (for callers that need them outside the engine, e.g. benchmarks). */
export { ggenFilters } from './filters/ggen-filters.js';
/** Context JSON read like Tera (serde_json) reads it: 1.0 stays a float, big integers stay exact. */
export { parseContextJson } from './engine/context-json.js';
/** Rust `regex` syntax (ggen 1.x patterns, Tera's `matching`) as a JavaScript RegExp; RustRegexError when refused. */
export { compileRustRegex, RustRegexError } from './engine/rust-regex.js';
/** The `ident` filter's rules as a function: a name that is an identifier in a target language. */
export { IDENT_CASES, IDENT_LANGS, toIdent, type IdentCase, type IdentLang } from './filters/ident.js';
