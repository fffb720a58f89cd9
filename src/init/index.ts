// Public surface of src/init: scaffold a new ggen project (`ggen init`).
export { initProject, type InitOptions, type InitResult, type InitFileStatus } from './init.js';
export { INIT_PRESETS, INIT_PRESET_NAMES, scaffoldFiles, type InitPreset, type InitPresetName } from './scaffold.js';
