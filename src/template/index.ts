// Public surface of src/template: the Tera 1.x compatible engine, ggen's filters and frontmatter splitting.
export {
  createTemplateEngine,
  ggenFilterNames,
  renderTemplateString,
  type CompiledTemplate,
  type TemplateEngine,
  type TemplateEngineOptions,
  type TemplateFilter,
  type TemplateFunction,
} from './engine.js';
export { splitFrontmatter, type FrontmatterSplit } from './frontmatter.js';
export { renderTemplateFile, type RenderTemplateFileOptions } from './render-file.js';
/** ggen's filter functions by name (for callers that need them outside the engine, e.g. benchmarks). */
export { ggenFilters } from './filters/ggen-filters.js';
/** Context JSON read like Tera (serde_json) reads it: 1.0 stays a float, big integers stay exact. */
export { parseContextJson } from './engine/context-json.js';
