// The built-in validators.
export { fileEqualsGolden, fileExists, treeEqualsSnapshot } from './files.js';
export { parseFormats, parsesAs, type ParseFormat } from './parse.js';
export { shaclConforms } from './shacl.js';
export { commandSucceeds, describeRun, readinessAtLeast, readReadinessJson } from './command.js';
export { compileLanguages, compiles, type CompileLanguage, type CompileOptions } from './compiles.js';
