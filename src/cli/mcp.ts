// `ggen mcp`: serve ggen to coding agents over the Model Context Protocol (stdio). stdout carries only the protocol.
import type { Command } from 'commander';
import { GgenError } from '../errors.js';
import { ggenVersion } from './version.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('run an MCP (Model Context Protocol) server over stdio for coding agents: graph, template, project and market tools')
    .option('--root <dir>', 'project root: every path a client gives must stay inside it (default: the current directory)')
    .option('--allow-write', 'enable project_gen, which writes generated files (otherwise it answers how to enable it)')
    .option('--allow-hooks', 'let project_gen run templates\' sh_before/sh_after hooks')
    .addHelpText('after', `
The server speaks newline-delimited JSON-RPC on stdin/stdout and exits when stdin closes; a client
(Claude Desktop, Claude Code, Cursor, …) starts it. Client configuration:
  { "mcpServers": { "ggen": { "command": "ggen", "args": ["mcp", "--root", "/path/to/project"] } } }

Examples:
  $ ggen mcp --root .
  $ ggen mcp --root ~/src/shop --allow-write`)
    .action(async (flags: { root?: string; allowWrite?: boolean; allowHooks?: boolean }) => {
      const { resolve } = await import('node:path');
      const { statSync } = await import('node:fs');
      const root = resolve(flags.root ?? '.');
      const info = statSync(root, { throwIfNoEntry: false });
      if (!info?.isDirectory()) {
        throw new GgenError('E_USAGE', info === undefined ? `project root not found: ${flags.root ?? '.'}` : `project root is not a directory: ${flags.root}`, { hint: 'pass --root DIR, a project directory (with ggen.toml)' });
      }
      const { serveGgenMcpStdio } = await import('../mcp/index.js');
      await serveGgenMcpStdio({ root, allowWrite: flags.allowWrite, allowHooks: flags.allowHooks, version: ggenVersion() });
    });
}
