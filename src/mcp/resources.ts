// Resources: the project's templates (by path), ggen.toml, the receipt, and ggen's own docs pages.
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { GgenError } from '../errors.js';
import { findTemplates, loadProjectConfig, RECEIPT_PATH } from '../generate/index.js';
import { readTextFile } from '../util/fs.js';
import { ggenPackageDir } from '../util/package-dir.js';
import type { McpContext } from './context.js';

/** The error a client sees for a resource it cannot read: ggen's message, as "not found" when it is one. */
async function reading(ctx: McpContext, uri: URL, mimeType: string, file: () => Promise<string>): Promise<ReadResourceResult> {
  try {
    const text = await readTextFile(await file(), { allowEmpty: true, what: 'resource' });
    return { contents: [{ uri: uri.href, mimeType, text }] };
  } catch (err) {
    const missing = err instanceof GgenError && err.code === 'E_IO' && err.message.endsWith('not found');
    // -32002 is MCP's "resource not found". Not an McpError: that prefixes "MCP error N:", and the client adds it again.
    throw Object.assign(new Error(ctx.errorText(err)), { code: missing ? -32002 : ErrorCode.InvalidParams });
  }
}

/** One URI template variable as a string (the SDK hands a list for exploded forms), percent-decoded. */
function variable(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join('/') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function docsDir(): string | undefined {
  const pkg = ggenPackageDir();
  const dir = pkg === undefined ? undefined : join(pkg, 'docs');
  return dir !== undefined && existsSync(dir) ? dir : undefined;
}

/** docs/*.md shipped with the package, sorted. */
export function docPages(): string[] {
  const dir = docsDir();
  return dir === undefined ? [] : readdirSync(dir).filter((f) => f.endsWith('.md') && statSync(join(dir, f)).isFile()).sort();
}

export function registerResources(server: McpServer, ctx: McpContext): void {
  const config = () => loadProjectConfig(ctx.root, { cwd: ctx.root });

  server.registerResource('template', new ResourceTemplate('ggen://template/{+path}', {
    list: async () => {
      const c = await config();
      const files = await findTemplates(c.templateDirs.filter((d) => existsSync(d)), [c.outDir], { cwd: ctx.root });
      return {
        resources: files
          .map((f) => ctx.shown(f))
          .filter((p) => !p.startsWith('../') && p !== '..' && !p.startsWith('/'))
          .map((p) => ({ uri: `ggen://template/${p}`, name: p, title: p, description: 'a ggen template of the project', mimeType: 'text/plain' })),
      };
    },
  }), {
    title: 'Project template',
    description: 'A template of the project (*.tmpl), by its path relative to the project root: ggen://template/templates/entity.tmpl',
    mimeType: 'text/plain',
  }, (uri, vars) => reading(ctx, uri, 'text/plain', async () => {
    const given = variable(vars.path);
    const file = ctx.path(given, 'template');
    const dirs = (await config()).templateDirs;
    if (!dirs.some((d) => file === d || file.startsWith(d + sep))) {
      throw new GgenError('E_USAGE', `"${given}" is not in a template directory of the project`, { hint: `templates live in ${dirs.map((d) => relative(ctx.root, d) || '.').join(', ')}` });
    }
    return file;
  }));

  server.registerResource('project', new ResourceTemplate('ggen://project/{name}', {
    list: async () => {
      const c = await config();
      const resources = [];
      if (c.configFile) resources.push({ uri: 'ggen://project/ggen.toml', name: 'ggen.toml', title: 'ggen.toml', description: 'the project configuration', mimeType: 'application/toml' });
      if (existsSync(join(c.outDir, RECEIPT_PATH))) {
        resources.push({ uri: 'ggen://project/receipt.json', name: 'receipt.json', title: 'generation receipt', description: `${RECEIPT_PATH} of the output root: what the last generation wrote, with hashes`, mimeType: 'application/json' });
      }
      return { resources };
    },
  }), {
    title: 'Project file',
    description: 'ggen://project/ggen.toml (the project configuration) or ggen://project/receipt.json (the output root\'s .ggen/receipt.json)',
  }, (uri, vars) => {
    const name = variable(vars.name);
    const mime = name === 'ggen.toml' ? 'application/toml' : 'application/json';
    return reading(ctx, uri, mime, async () => {
      if (name === 'ggen.toml') return join(ctx.root, 'ggen.toml');
      if (name === 'receipt.json') return join((await config()).outDir, RECEIPT_PATH);
      throw new GgenError('E_IO', `project resource "${name}" not found`, { hint: 'the project resources are ggen.toml and receipt.json' });
    });
  });

  server.registerResource('docs', new ResourceTemplate('ggen://docs/{name}', {
    list: () => ({ resources: docPages().map((p) => ({ uri: `ggen://docs/${p}`, name: p, title: `ggen docs: ${p.replace(/\.md$/, '')}`, mimeType: 'text/markdown' })) }),
  }), {
    title: 'ggen documentation page',
    description: 'A page of ggen\'s documentation (docs/*.md shipped with ggen): templates.md, generation.md, graph.md, market.md, …',
    mimeType: 'text/markdown',
  }, (uri, vars) => reading(ctx, uri, 'text/markdown', async () => {
    const name = variable(vars.name);
    const pages = docPages();
    if (!pages.includes(name)) throw new GgenError('E_IO', `docs page "${name}" not found`, { hint: pages.length ? `pages: ${pages.join(', ')}` : 'this ggen installation ships no docs/' });
    return join(docsDir()!, name);
  }));
}
