// The cleanroom API as tests use it (the source, so coverage and stack traces point at src/).
export * from '../../src/cleanroom/index.js';
export { GgenError } from '../../src/errors.js';
