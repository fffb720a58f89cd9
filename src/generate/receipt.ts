// `.ggen/receipt.json`: what a run consumed and produced (hashes only, no timestamps), read back for safe overwrites.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GgenError } from '../errors.js';
import { targetProblem } from './paths.js';

export const RECEIPT_PATH = '.ggen/receipt.json';

export interface ReceiptOutput {
  /** Path relative to the output root (POSIX). */
  path: string;
  /** SHA-256 of the whole file as written. */
  hash: string;
  /** SHA-256 ignoring freeze-block interiors: hand edits inside them are allowed. */
  hashOutsideFrozen: string;
  template: string;
  /** `file`: ggen owns the whole file; `inject`: ggen inserted into a file it does not own. */
  kind: 'file' | 'inject';
  /** SHA-256 of the pure render when the file holds something else (hand edits merged in, frozen blocks kept). */
  base?: string;
  /** The file was written with conflict markers that someone still has to resolve. */
  conflict?: true;
}

export interface Receipt {
  version: 1;
  /** `endpoint`: queries went to this SPARQL endpoint; `hash` is then that of the query results. */
  graph: { hash: string; files: Array<{ path: string; hash: string }>; endpoint?: { url: string; resultsHash: string } };
  templates: Array<{ path: string; hash: string; rdf: Array<{ path: string; hash: string }> }>;
  vars: Record<string, string>;
  /** The vars given on the command line (`--var`), so verify can re-apply them over the current ggen.toml. */
  cliVars?: Record<string, string>;
  seed: string;
  /** Plugin modules the run loaded, with the SHA-256 of each file (absent without plugins). */
  plugins?: Array<{ module: string; sha256: string }>;
  outputs: ReceiptOutput[];
}

const fileHash = z.object({ path: z.string(), hash: z.string() });

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * One output record's problem, or undefined. Checked by hand rather than by a zod object per record: a receipt of
 * 3,000 outputs is read on every run, and this is ~20× faster. Paths are re-checked under the planning rules: a
 * forged receipt must not steer a prune or a merge.
 */
function outputProblem(value: unknown): { key: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { key: '', message: 'expected an object' };
  const o = value as Record<string, unknown>;
  if (typeof o.path !== 'string') return { key: 'path', message: 'expected a string' };
  const problem = targetProblem(o.path);
  if (problem !== undefined) return { key: 'path', message: `output path ${problem}` };
  if (o.path.includes('\\') || o.path.split('/').some((s) => s === '.' || s === '..' || s === '')) return { key: 'path', message: `output path is not normalised: ${o.path}` };
  for (const key of ['hash', 'hashOutsideFrozen'] as const) if (typeof o[key] !== 'string' || !HEX64.test(o[key])) return { key, message: 'not a SHA-256 hex digest' };
  if (o.base !== undefined && (typeof o.base !== 'string' || !HEX64.test(o.base))) return { key: 'base', message: 'not a SHA-256 hex digest' };
  if (typeof o.template !== 'string') return { key: 'template', message: 'expected a string' };
  if (o.kind !== 'file' && o.kind !== 'inject') return { key: 'kind', message: 'expected "file" or "inject"' };
  if (o.conflict !== undefined && o.conflict !== true) return { key: 'conflict', message: 'expected true' };
  return undefined;
}

/** The known keys only (like a zod object, unknown keys are dropped). */
function pickOutput(o: ReceiptOutput): ReceiptOutput {
  const out: ReceiptOutput = { path: o.path, hash: o.hash, hashOutsideFrozen: o.hashOutsideFrozen, template: o.template, kind: o.kind };
  if (o.base !== undefined) out.base = o.base;
  if (o.conflict !== undefined) out.conflict = o.conflict;
  return out;
}

// z.unknown() over the whole array: zod's per-element machinery is most of the cost for thousands of records.
const outputsSchema = z.unknown().superRefine((items, ctx) => {
  if (!Array.isArray(items)) {
    ctx.addIssue({ code: 'custom', message: 'expected an array' });
    return;
  }
  items.forEach((item, i) => {
    const problem = outputProblem(item);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: problem.key ? [i, problem.key] : [i], message: problem.message });
  });
}).transform((items) => (items as ReceiptOutput[]).map(pickOutput));

export const receiptSchema = z.object({
  version: z.literal(1),
  graph: z.object({ hash: z.string(), files: z.array(fileHash), endpoint: z.object({ url: z.string(), resultsHash: z.string() }).optional() }),
  templates: z.array(z.object({ path: z.string(), hash: z.string(), rdf: z.array(fileHash) })),
  vars: z.record(z.string(), z.string()),
  cliVars: z.record(z.string(), z.string()).optional(),
  seed: z.string(),
  plugins: z.array(z.object({ module: z.string(), sha256: z.string().regex(HEX64, 'not a SHA-256 hex digest') })).optional(),
  outputs: outputsSchema,
});

/** `where: message` for the first problem zod found, e.g. `outputs[3].path: output path escapes the output root`. */
export function describeSchemaIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
  return where ? `${where}: ${issue.message}` : issue.message;
}

export async function readReceipt(root: string): Promise<Receipt | undefined> {
  return (await readReceiptFile(root))?.receipt;
}

/** The receipt and its exact text (the inputs record is bound to the text), read once. */
export async function readReceiptFile(root: string): Promise<{ receipt: Receipt; text: string } | undefined> {
  const file = join(root, RECEIPT_PATH);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const hint = 'delete it and regenerate with --force if you are sure the outputs are ggen-generated';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GgenError('E_CONFIG', `receipt is not valid JSON: ${(err as Error).message}`, { at: { file }, hint });
  }
  const parsed = receiptSchema.safeParse(value);
  if (!parsed.success) throw new GgenError('E_CONFIG', `receipt is not valid: ${describeSchemaIssue(parsed.error)}`, { at: { file }, hint });
  return { receipt: parsed.data as Receipt, text };
}

/** Sorted, pretty JSON with a final newline: byte-stable across runs and machines. */
export function serializeReceipt(receipt: Receipt): string {
  return [...receiptPieces(receipt)].join('');
}

/** The SHA-256 of the receipt's text, hashed piece by piece (a large tree's receipt is tens of MB). */
export function receiptHash(receipt: Receipt): string {
  const hash = createHash('sha256');
  for (const piece of receiptPieces(receipt)) hash.update(piece);
  return hash.digest('hex');
}

/** Where the outputs go in the receipt's text; a string no receipt value can hold (values are escaped). */
const OUTPUTS_MARK = '\u0000ggen:outputs\u0000';
const PIECE_OUTPUTS = 1000;

/**
 * The receipt's text (serializeReceipt's bytes) in pieces of a thousand outputs: a receipt of 100k outputs is 25 MB,
 * which applying streams into its file and hash instead of holding. The same text as `JSON.stringify(sorted, null,
 * 2)`: each output is an object of scalars two levels down, so its own pretty JSON indented by four more spaces.
 */
export function* receiptPieces(receipt: Receipt): Generator<string> {
  const outputs = [...receipt.outputs].sort((a, b) => cmp(a.path, b.path) || cmp(a.template, b.template));
  const sorted: Omit<Receipt, 'outputs'> & { outputs: unknown } = {
    ...receipt,
    graph: { hash: receipt.graph.hash, files: [...receipt.graph.files].sort((a, b) => cmp(a.path, b.path)), ...(receipt.graph.endpoint ? { endpoint: receipt.graph.endpoint } : {}) },
    templates: [...receipt.templates].sort((a, b) => cmp(a.path, b.path)),
    vars: Object.fromEntries(Object.entries(receipt.vars).sort(([a], [b]) => cmp(a, b))),
    ...(receipt.cliVars && Object.keys(receipt.cliVars).length > 0 ? { cliVars: Object.fromEntries(Object.entries(receipt.cliVars).sort(([a], [b]) => cmp(a, b))) } : { cliVars: undefined }),
    outputs: OUTPUTS_MARK,
  };
  const frame = `${JSON.stringify(sorted, null, 2)}\n`;
  const mark = JSON.stringify(OUTPUTS_MARK);
  const at = frame.indexOf(mark);
  if (outputs.length === 0) {
    yield frame.replace(mark, '[]');
    return;
  }
  yield `${frame.slice(0, at)}[\n`;
  for (let i = 0; i < outputs.length; i += PIECE_OUTPUTS) {
    const piece = outputs.slice(i, i + PIECE_OUTPUTS).map((o) => `    ${JSON.stringify(o, null, 2).replaceAll('\n', '\n    ')}`).join(',\n');
    yield i + PIECE_OUTPUTS < outputs.length ? `${piece},\n` : piece;
  }
  yield `\n  ]${frame.slice(at + mark.length)}`;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
