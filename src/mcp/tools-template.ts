// template_lint, template_render and template_show: the calls behind `ggen template lint|render|show`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeTemplate, lintTemplate } from '../generate/index.js';
import { renderTemplateFile } from '../template/index.js';
import { guarded, jsonResult, type McpContext } from './context.js';

export function registerTemplateTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('template_lint', {
    title: 'Lint templates',
    description: [
      'Check ggen templates (*.tmpl) without rendering them, as `ggen template lint --json` does: frontmatter schema, Tera body syntax, SPARQL syntax and prefixes, undefined and unused variables.',
      'Returns {ok, errors, warnings, files:[{file, issues:[{severity, message, file, line, column, hint}]}]}. Issues found are a normal result (ok:false), not a tool error.',
    ].join(' '),
    inputSchema: {
      files: z.array(z.string()).min(1).describe('template files relative to the project root, e.g. ["templates/entity.tmpl"]'),
      graph: z.array(z.string()).optional().describe('RDF files whose prefixes the queries may use'),
      strict: z.boolean().optional().describe('a variable used but not declared under vars: is an error (otherwise it may come from vars at render time)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async ({ files, graph, strict }) => {
    const graphFiles = (graph ?? []).map((g) => ctx.path(g, 'graph file'));
    const report: Array<{ file: string; issues: Array<{ severity: string; message: string; file: string; line: number | null; column: number | null; hint: string | null }> }> = [];
    for (const given of files) {
      const file = ctx.path(given, 'template');
      const issues = await lintTemplate(file, { display: ctx.shown(file), graphFiles, strict });
      report.push({ file: ctx.shown(file), issues: issues.map((i) => ({ severity: i.severity, message: i.message, file: ctx.shown(i.at.file), line: i.at.line ?? null, column: i.at.column ?? null, hint: i.hint ?? null })) });
    }
    const count = (severity: string) => report.reduce((n, r) => n + r.issues.filter((i) => i.severity === severity).length, 0);
    return jsonResult({ ok: count('error') === 0, errors: count('error'), warnings: count('warning'), files: report });
  }));

  server.registerTool('template_render', {
    title: 'Render a template',
    description: [
      'Render one template file with the given variables and return the text, as `ggen template render` does. A file with frontmatter renders its body, with the frontmatter vars as defaults under `vars`.',
      'SPARQL queries and the to: path are not run (use project_plan to see full generation output). include/import/extends resolve against the template\'s directory.',
      'The result text is exactly the rendered output.',
    ].join(' '),
    inputSchema: {
      file: z.string().min(1).describe('template file relative to the project root'),
      vars: z.record(z.string(), z.unknown()).optional().describe('template variables as a JSON object, e.g. {"name": "World"}; they override frontmatter vars'),
      seed: z.union([z.string(), z.number()]).optional().describe('seed for now() and get_random(), for reproducible output'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async ({ file: given, vars, seed }) => {
    const file = ctx.path(given, 'template');
    const output = renderTemplateFile(file, { context: vars ?? {}, templatesDir: dirname(file), seed });
    return { content: [{ type: 'text', text: output }], structuredContent: { file: ctx.shown(file), output } };
  }));

  server.registerTool('template_show', {
    title: 'Describe a template',
    description: [
      'Show what a template declares, as `ggen template show --json` does: {path, to, foreach, description, queries (name → SPARQL), vars (defaults), inputs (variables read but not declared), inject, rdf, prefixes, compat, hooks}.',
      'Use it before template_render or project_plan to learn which variables a template needs.',
    ].join(' '),
    inputSchema: {
      file: z.string().min(1).describe('template file relative to the project root'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async ({ file: given }) => {
    const file = ctx.path(given, 'template');
    const info = await describeTemplate(file, ctx.shown(file));
    return jsonResult({ ...info });
  }));
}
