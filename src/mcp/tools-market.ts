// market_search and market_info: the calls behind `ggen market search|info`, with the project's registries.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { packInfo, searchPacks, SEARCH_SORTS } from '../market/index.js';
import { guarded, jsonResult, type McpContext } from './context.js';

export function registerMarketTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('market_search', {
    title: 'Search template packs',
    description: [
      'Search the gpack registries (template packs) as `ggen market search --json` does: the registries of GGEN_REGISTRY_URL, else [market] registries in ggen.toml, else the registry bundled with ggen. Typos are tolerated.',
      'Returns {results:[{id, name, description, latest_version, category, author, license, tags, keywords, downloads, registry, score}]}. Use market_info for one pack\'s versions and templates; a pack\'s templates are used as PACK_ID:path.',
    ].join(' '),
    inputSchema: {
      query: z.string().optional().describe('words to look for; empty or absent lists every pack'),
      category: z.string().optional().describe('only packs in this category'),
      keyword: z.string().optional().describe('only packs with this keyword or tag'),
      author: z.string().optional().describe('only packs whose author contains this'),
      license: z.string().optional().describe('only packs with this SPDX license'),
      sort: z.enum(SEARCH_SORTS as [string, ...string[]]).optional().describe('relevance (default), downloads, name or updated'),
      limit: z.number().int().min(0).max(100).optional().describe('at most this many results (default 10, max 100)'),
      offline: z.boolean().optional().describe('use only cached registry indexes'),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, guarded(ctx, async ({ query, category, keyword, author, license, sort, limit, offline }) => {
    const results = await searchPacks(query ?? '', {
      projectRoot: ctx.root, offline, category, keyword, author, license, sort: sort as (typeof SEARCH_SORTS)[number] | undefined, limit: limit ?? 10,
    });
    return jsonResult({ results });
  }));

  server.registerTool('market_info', {
    title: 'Describe a template pack',
    description: [
      'Show one gpack from the registries as `ggen market info --json` does: its metadata, every version (with dependencies, size, signature, templates), the registry it came from, and the version installed in this project (from ggen.lock) or null.',
    ].join(' '),
    inputSchema: {
      id: z.string().min(1).describe('pack id, e.g. "io.ggen.typescript.types"'),
      offline: z.boolean().optional().describe('use only cached registry indexes'),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, guarded(ctx, async ({ id, offline }) => {
    const info = await packInfo(id, { projectRoot: ctx.root, offline });
    return jsonResult({ ...info.pack, registry: info.registry, installed: info.installed ?? null });
  }));
}
