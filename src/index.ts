// The ggen library API. The CLI is a client of it; each area's index.ts is its public surface.
export { GgenError, formatLocation, type ErrorCode, type SourceLocation } from './errors.js';
export * from './graph/index.js';
export * from './template/index.js';
export * from './generate/index.js';
export * from './market/index.js';
export * from './lifecycle/index.js';
