// Public surface of src/mcp: the Model Context Protocol server behind `ggen mcp`.
export { createGgenMcpServer, serveGgenMcpStdio, type GgenMcpOptions } from './server.js';
export { LineTransport } from './stdio.js';
export { DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT } from './tools-graph.js';
