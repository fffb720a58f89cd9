// The one TOML reader for every config file ggen reads (ggen.toml, gpack.toml, ggen.lock, make.toml, scenarios).
export { parseTomlText, readTomlFile, byPosition, throwIfErrors, type TomlDocument, type TomlSyntaxOptions } from './parse.js';
export { ConfigReader, isTable, type ConfigIssue, type TomlTable } from './reader.js';
export { KeyPositions, type KeyPosition } from './positions.js';
