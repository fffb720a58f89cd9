// The ggen MCP server: ggen's tools and resources for coding agents, over any MCP transport.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Readable, Writable } from 'node:stream';
import { McpContext, type McpServerOptions } from './context.js';
import { registerResources } from './resources.js';
import { LineTransport } from './stdio.js';
import { registerGraphTools } from './tools-graph.js';
import { registerMarketTools } from './tools-market.js';
import { registerProjectTools } from './tools-project.js';
import { registerTemplateTools } from './tools-template.js';

export interface GgenMcpOptions extends McpServerOptions {
  /** Reported to clients as the server version. */
  version: string;
}

const INSTRUCTIONS = `ggen generates code from an RDF graph: templates (*.tmpl, YAML frontmatter + Tera body) query the graph with SPARQL and render files.
Paths are relative to the project root. A typical loop: template_show / template_lint a template, graph_query to see the rows it will get, project_plan to review the files and diff, then project_gen to write (needs the server started with --allow-write) and project_verify to check for drift.
The docs pages are resources (ggen://docs/templates.md, generation.md, graph.md, …).`;

/** An MCP server exposing ggen on the project at `opts.root`; connect it to a transport to serve. */
export function createGgenMcpServer(opts: GgenMcpOptions): McpServer {
  const ctx = new McpContext(opts);
  const server = new McpServer({ name: 'ggen', title: 'ggen', version: opts.version }, { instructions: INSTRUCTIONS });
  registerGraphTools(server, ctx);
  registerTemplateTools(server, ctx);
  registerProjectTools(server, ctx);
  registerMarketTools(server, ctx);
  registerResources(server, ctx);
  return server;
}

/** Serves over stdin/stdout until the client closes stdin; resolves then. Nothing else is written to stdout. */
export async function serveGgenMcpStdio(opts: GgenMcpOptions & { input?: Readable; output?: Writable }): Promise<void> {
  const server = createGgenMcpServer(opts);
  const transport = new LineTransport(opts.input, opts.output);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(transport);
  await closed;
}
