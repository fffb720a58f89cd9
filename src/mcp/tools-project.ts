// project_plan, project_gen and project_verify: the calls behind `ggen project plan|gen|verify` on the root project.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GgenError } from '../errors.js';
import { existingFileReader, planDiff, planGeneration, resolveProject, runGeneration, verifyReceipt, type ApplyResult, type GenerationPlan, type ResolvedProject } from '../generate/index.js';
import { guarded, jsonResult, type McpContext } from './context.js';

const projectArgs = {
  dir: z.string().optional().describe('project directory (holding ggen.toml and templates) relative to the project root; default "." (the root itself)'),
  vars: z.record(z.string(), z.string()).optional().describe('template variables, as `--var key=value` gives them: they win over ggen.toml [vars] and frontmatter defaults'),
  graph: z.array(z.string()).optional().describe('extra RDF files (relative to the project root) on top of the graph of ggen.toml'),
};

interface ProjectArgs {
  dir?: string;
  vars?: Record<string, string>;
  graph?: string[];
  force?: boolean;
  prune?: boolean;
}

async function setup(ctx: McpContext, args: ProjectArgs): Promise<ResolvedProject> {
  const dir = ctx.path(args.dir ?? '.', 'project directory');
  return resolveProject(dir, {
    vars: args.vars ?? {}, graphFiles: (args.graph ?? []).map((g) => ctx.path(g, 'graph file')), force: args.force, prune: args.prune,
  }, { cwd: ctx.root });
}

/** The plan as `--json` prints it (contents left out: the diff shows them), with paths relative to the server root. */
function planData(ctx: McpContext, plan: GenerationPlan, project: ResolvedProject): Record<string, unknown> {
  return {
    root: ctx.shown(plan.root),
    operations: plan.operations.map((op) => ({ kind: op.kind, path: op.path, reason: op.reason, templates: op.templates, contentHash: op.contentHash ?? null })),
    hooks: plan.hooks.map((h) => ({ when: h.when, command: h.command, template: h.template })),
    warnings: [
      ...project.config.warnings.map((w) => ({ message: ctx.unrooted(w), file: null, line: null, column: null })),
      ...plan.warnings.map((w) => ({ message: w.message, file: ctx.shown(w.at.file), line: w.at.line ?? null, column: w.at.column ?? null })),
    ],
  };
}

function appliedData(ctx: McpContext, applied: ApplyResult): Record<string, unknown> {
  return { written: applied.written, deleted: applied.deleted, hookRuns: applied.hooks, receipt: applied.receiptPath ? ctx.shown(applied.receiptPath) : null };
}

export function registerProjectTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('project_plan', {
    title: 'Plan project generation (writes nothing)',
    description: [
      'Compute what `ggen project gen` would do for the project (ggen.toml, its templates and graph), without writing anything.',
      'Returns {root, operations:[{kind, path, reason, templates, contentHash}], hooks, warnings, diff}. kind is create, overwrite, merge, conflict, inject, unchanged, skip, orphan or delete; paths are relative to the output root; diff is a unified diff (git style, a/ b/ prefixes) of every file that would change, empty when nothing would.',
      'Use it to review generation before project_gen.',
    ].join(' '),
    inputSchema: {
      ...projectArgs,
      force: z.boolean().optional().describe('plan overwrites of files edited by hand (otherwise they are refused or merged)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async (args) => {
    const project = await setup(ctx, args);
    const plan = await planGeneration(project.plan);
    return jsonResult({ ...planData(ctx, plan, project), diff: planDiff(plan, existingFileReader(plan.root)) });
  }));

  server.registerTool('project_gen', {
    title: 'Generate the project (writes files)',
    description: [
      'Render every template of the project and write the files, as `ggen project gen` does: atomically, under the output root\'s lock, with .ggen/receipt.json recording what was generated.',
      'Available only when the server was started with --allow-write; otherwise it answers with an error saying how to enable it. Call project_plan first to see the changes.',
      'Templates with sh_before/sh_after hooks need the server started with --allow-hooks too.',
      'Returns {root, operations, hooks, warnings, written, deleted, hookRuns, receipt}.',
    ].join(' '),
    inputSchema: {
      ...projectArgs,
      force: z.boolean().optional().describe('overwrite files that were edited by hand or not written by ggen'),
      prune: z.boolean().optional().describe('delete outputs that are no longer generated (unless edited by hand; with force those too)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, guarded(ctx, async (args, extra) => {
    if (!ctx.allowWrite) {
      throw new GgenError('E_USAGE', 'project_gen writes files, and this ggen MCP server was started read-only', {
        hint: 'start it with `ggen mcp --allow-write` (add "--allow-write" to its args in the client configuration); project_plan shows the same changes without writing',
      });
    }
    const project = await setup(ctx, args);
    const run = await runGeneration({ ...project.plan, writeReceipt: true, wait: true, allowHooks: ctx.allowHooks, signal: extra.signal });
    return jsonResult({ ...planData(ctx, run.plan, project), ...appliedData(ctx, run.applied!) });
  }));

  server.registerTool('project_verify', {
    title: 'Verify generated files against the receipt',
    description: [
      'Recompute the project\'s receipt (.ggen/receipt.json, written by project_gen) and report drift, as `ggen project verify --json` does: outputs edited or missing, templates or graph changed since generation.',
      'Returns {receipt, ok, drift:[{kind, path, detail}], kept}; kept lists files whose hand edits regeneration keeps. Drift is a normal result (ok:false), not a tool error; a project never generated is an error.',
    ].join(' '),
    inputSchema: projectArgs,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async (args) => {
    const project = await setup(ctx, args);
    const result = await verifyReceipt(project.plan, { vars: args.vars ?? {} });
    return jsonResult({ receipt: ctx.shown(result.receiptPath), ok: result.drift.length === 0, drift: result.drift, kept: result.kept });
  }));
}
