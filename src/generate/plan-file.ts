// Plan files (`ggen project plan -o plan.json`): every operation with its content, re-checked when read back.
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { z } from 'zod';
import { GgenError } from '../errors.js';
import { readTextFile, writeFileAtomic } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import type { GenerationPlan } from './plan.js';
import { describeSchemaIssue, RECEIPT_PATH, receiptSchema } from './receipt.js';
import { targetProblem } from './paths.js';
import { assertOutputRoot } from './state-dir.js';

/** What ties a plan to its output root: the root's real path and the receipt it was planned against. */
export interface PlanBinding {
  rootRealpath: string | null;
  receiptHash: string | null;
}

/** The real path a root resolves to: its nearest existing ancestor, real, plus the part still to be created. */
function realRoot(root: string): string {
  const rest: string[] = [];
  for (let p = root; ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...rest);
    } catch {
      if (dirname(p) === p) return root;
      rest.unshift(basename(p));
    }
  }
}

function bindingOf(root: string): PlanBinding {
  let receiptHash: string | null = null;
  try { receiptHash = sha256Hex(readFileSync(resolve(root, RECEIPT_PATH))); } catch { receiptHash = null; }
  return { rootRealpath: realRoot(root), receiptHash };
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 hex digest');
const planPath = z.string().superRefine((path, ctx) => {
  const problem = targetProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `path ${problem}` });
  else if (posix.normalize(path) !== path || path.includes('\\')) ctx.addIssue({ code: 'custom', message: `path is not normalised: ${path}` });
});

const planSchema = z.object({
  ggenPlan: z.literal(1),
  version: z.literal(1),
  root: z.string().refine((r) => isAbsolute(r), 'root must be an absolute path'),
  projectRoot: z.string().refine((r) => isAbsolute(r), 'projectRoot must be an absolute path'),
  binding: z.object({ rootRealpath: z.string().nullable(), receiptHash: sha256.nullable() }),
  operations: z.array(z.object({
    kind: z.enum(['create', 'overwrite', 'merge', 'conflict', 'inject', 'skip', 'unchanged', 'orphan', 'delete']),
    path: planPath,
    templates: z.array(z.string()),
    reason: z.string(),
    contentHash: sha256.optional(),
    content: z.string().optional(),
    previousHash: sha256.nullable(),
    base: z.string().optional(),
    conflicts: z.array(z.object({ line: z.number().int().positive(), lines: z.number().int().nonnegative(), existingLine: z.number().int().positive(), existingLines: z.number().int().nonnegative() })).optional(),
  }).superRefine((op, ctx) => {
    if ((op.content === undefined) !== (op.contentHash === undefined)) ctx.addIssue({ code: 'custom', message: 'content and contentHash go together' });
    else if (op.content !== undefined && sha256Hex(op.content) !== op.contentHash) ctx.addIssue({ code: 'custom', message: `content of ${op.path} does not match its contentHash (edited?)` });
    if (['create', 'overwrite', 'merge', 'conflict', 'inject'].includes(op.kind) && op.content === undefined) ctx.addIssue({ code: 'custom', message: `a ${op.kind} operation needs content` });
  })),
  hooks: z.array(z.object({ kind: z.literal('hook'), when: z.enum(['before', 'after']), command: z.string(), template: z.string() })),
  warnings: z.array(z.object({ message: z.string(), at: z.object({ file: z.string(), line: z.number().optional(), column: z.number().optional() }), hint: z.string().optional() })),
  receipt: receiptSchema,
});

export async function savePlan(plan: GenerationPlan, file: string): Promise<void> {
  // What the next run may reuse, and run statistics, belong to the run that planned, not to a saved plan.
  const { inputs: _inputs, stats: _stats, queryCache: _queryCache, startedAt: _startedAt, shacl: _shacl, shapeFiles: _shapeFiles, inputFiles: _inputFiles, checkedStats: _checkedStats, ...saved } = plan;
  await writeFileAtomic(file, `${JSON.stringify({ ggenPlan: 1, ...saved, binding: bindingOf(plan.root) }, null, 2)}\n`);
}

export interface LoadPlanOptions {
  /** The output root the plan is applied to (`project apply --out`); it must be the plan's. */
  root?: string;
  cwd?: string;
}

/**
 * Reads a plan and re-checks it: the schema, every path under the planning rules, each content against its
 * hash, and that it belongs to the output root it is applied to (same root, same real path, same receipt).
 */
export async function loadPlan(file: string, opts: LoadPlanOptions = {}): Promise<GenerationPlan> {
  const text = await readTextFile(file, { what: 'plan file' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GgenError('E_CONFIG', `plan file is not valid JSON: ${(err as Error).message}`, { at: { file } });
  }
  if (value === null || typeof value !== 'object' || (value as { ggenPlan?: unknown }).ggenPlan !== 1) {
    throw new GgenError('E_CONFIG', 'not a ggen plan file (made by `ggen project plan -o FILE`)', { at: { file } });
  }
  const parsed = planSchema.safeParse(value);
  const refuse = (why: string, hint = 'make a new plan with `ggen project plan -o FILE` and apply that'): never => {
    throw new GgenError('E_CONFIG', `refusing plan: ${why}`, { at: { file }, hint });
  };
  if (!parsed.success) return refuse(describeSchemaIssue(parsed.error));
  const { ggenPlan: _v, binding, ...plan } = parsed.data;
  const root = resolve(plan.root);
  if (root !== plan.root) refuse(`root is not normalised: ${plan.root}`);
  assertOutputRoot(root);
  if (opts.root !== undefined && resolve(opts.cwd ?? process.cwd(), opts.root) !== root) {
    refuse(`it was made for the output root ${plan.root}, not ${resolve(opts.cwd ?? process.cwd(), opts.root)}`);
  }
  const now = bindingOf(root);
  if (binding.rootRealpath === null || now.rootRealpath !== binding.rootRealpath) {
    refuse(`its output root ${plan.root} now resolves to ${now.rootRealpath}, not ${binding.rootRealpath} as when it was planned`);
  }
  if (now.receiptHash !== binding.receiptHash) {
    refuse(`the output root's receipt (${RECEIPT_PATH}) changed since the plan was made (or the plan belongs to another root)`);
  }
  const paths = new Set<string>();
  for (const op of plan.operations) {
    if (paths.has(op.path)) refuse(`two operations for ${op.path}`);
    paths.add(op.path);
  }
  return plan as GenerationPlan;
}
