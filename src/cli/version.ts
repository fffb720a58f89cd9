// The package version, shared with the library (receipts and pack compatibility use it too).
export { ggenVersion } from '../util/version.js';
