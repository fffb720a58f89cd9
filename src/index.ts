// The ggen library API. The CLI is a client of it.
export { GgenError, formatLocation, type ErrorCode, type SourceLocation } from './errors.js';
