// Template files' frontmatter: one splitter, one parser (with positions) and one value renderer, for every command.
export { splitFrontmatter, type FrontmatterSplit, type SplitOptions } from './split.js';
export { parseFrontmatter, frontmatterKeys, ignoredKeys, type Frontmatter, type FrontmatterWarning, type ParsedFrontmatter, type VarPromptSpec } from './parse.js';
export { renderLeaf, renderDeep, hasTeraSyntax, type RenderText } from './values.js';
