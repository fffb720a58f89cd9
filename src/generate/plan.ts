// planGeneration: renders every template and decides, per target path, what applying would do. Writes nothing.
import { lstatSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GgenError, type SourceLocation } from '../errors.js';
import type { Graph } from '../graph/index.js';
import { sha256Hex } from '../util/hash.js';
import { createEngineFactory } from './engine.js';
import { keepFrozen, hashOutsideFrozen } from './freeze.js';
import type { FrontmatterWarning } from './frontmatter.js';
import type { HelperScope } from './helpers.js';
import { injectContents, wrapRegion } from './inject.js';
import { loadTemplate, type LoadedTemplate } from './load-template.js';
import { createRootGuard } from './paths.js';
import { GraphCache } from './queries.js';
import { cmp, readReceipt, type Receipt, type ReceiptOutput } from './receipt.js';
import { noGraph, renderTemplate, type RenderedOutput } from './render-template.js';

export interface TemplateInput {
  path: string;
  /** Shown in messages and receipts instead of the path (e.g. `pack-id:templates/x.tmpl`). */
  label?: string;
  preset?: { vars: Record<string, string>; graphFiles: string[] };
}

export interface PlanOptions {
  templates: Array<string | TemplateInput>;
  graphFiles?: string[];
  /** CLI/project vars; they override frontmatter `vars` defaults. */
  vars?: Record<string, string>;
  /** Output root: every `to:` resolves inside it. */
  outDir: string;
  /** Paths in messages and receipts are relative to this (default: the working directory). */
  projectRoot?: string;
  force?: boolean;
  compat?: 'ggen1';
  seed?: string;
  baseIri?: string;
  prefixes?: Record<string, string>;
  /** Keep receipt entries of outputs not produced by this run (partial runs: `gen`, watch). */
  mergeReceipt?: boolean;
  /** Hash the graph for the receipt (default true); skipped when no receipt will be written. */
  hashGraph?: boolean;
  /** Called after each template is rendered (for a progress bar). */
  onProgress?: (done: number, total: number, template: string) => void;
}

export type OperationKind = 'create' | 'overwrite' | 'inject' | 'skip' | 'unchanged';

export interface PlannedOperation {
  kind: OperationKind;
  /** Target path relative to the output root (POSIX). */
  path: string;
  templates: string[];
  reason: string;
  /** SHA-256 of the content the file will have (absent for skips). */
  contentHash?: string;
  content?: string;
  /** SHA-256 of the file when planned, or null when it did not exist: apply refuses if it changed. */
  previousHash: string | null;
}

export interface PlannedHook {
  kind: 'hook';
  when: 'before' | 'after';
  command: string;
  template: string;
}

export interface GenerationPlan {
  version: 1;
  /** Absolute output root. */
  root: string;
  /** Absolute project root (hooks run here). */
  projectRoot: string;
  operations: PlannedOperation[];
  hooks: PlannedHook[];
  warnings: Array<FrontmatterWarning>;
  /** Written to `<root>/.ggen/receipt.json` by applyPlan when asked. */
  receipt: Receipt;
}

/** A path relative to the project root, with forward slashes (`../x` outside it), so receipts travel between machines. */
function displayPath(projectRoot: string, file: string): string {
  const rel = relative(projectRoot, file);
  if (rel === '' || isAbsolute(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}

export async function planGeneration(opts: PlanOptions): Promise<GenerationPlan> {
  const projectRoot = resolve(opts.projectRoot ?? process.cwd());
  const root = resolve(projectRoot, opts.outDir);
  const vars = opts.vars ?? {};
  const seed = opts.seed ?? '0';
  const graphFiles = [...new Set((opts.graphFiles ?? []).map((f) => resolve(projectRoot, f)))].sort();
  const graphs = new GraphCache({ files: graphFiles, baseIri: opts.baseIri, prefixes: opts.prefixes });

  const emptyScope: HelperScope = { runQuery: noGraph, results: {} };
  let scope = emptyScope;
  const engineFor = createEngineFactory(() => scope);

  // Inputs sorted by path and de-duplicated: the order they were given in must not matter.
  const inputs = new Map<string, TemplateInput>();
  for (const input of opts.templates) {
    const t = typeof input === 'string' ? { path: input } : input;
    inputs.set(resolve(projectRoot, t.path), t);
  }
  const templates: Array<{ loaded: LoadedTemplate; input: TemplateInput }> = [];
  for (const file of [...inputs.keys()].sort()) {
    const input = inputs.get(file)!;
    templates.push({ loaded: await loadTemplate(file, input.label ?? displayPath(projectRoot, file), { compat: opts.compat }), input });
  }

  const outputs: RenderedOutput[] = [];
  const templateEntries: Receipt['templates'] = [];
  const warnings: FrontmatterWarning[] = [];
  for (const { loaded, input } of templates) {
    warnings.push(...loaded.warnings);
    const engine = engineFor(projectRoot, loaded.frontmatter.seed ?? seed);
    const rendered = await renderTemplate(loaded, {
      engine, graphs, vars, presetVars: input.preset?.vars, presetGraphFiles: input.preset?.graphFiles,
      setScope: (s) => { scope = s; },
    });
    scope = emptyScope;
    opts.onProgress?.(templateEntries.length + 1, templates.length, loaded.display);
    outputs.push(...rendered.outputs);
    const extra = [...(input.preset?.graphFiles ?? []), ...rendered.rdfFiles];
    templateEntries.push({
      path: loaded.display, hash: loaded.hash,
      rdf: await Promise.all([...new Set(extra)].sort().map(async (f) => ({ path: displayPath(projectRoot, f), hash: sha256Hex(await readFile(f)) }))),
    });
  }

  const previous = await readReceipt(root);
  const operations = await decideOperations(root, outputs, previous, opts.force === true);
  const hooks = collectHooks(outputs);

  const graphHash = opts.hashGraph === false ? '' : graphFiles.length > 0 ? await graphHashOf(await graphs.base()) : sha256Hex('');
  const receiptOutputs: ReceiptOutput[] = [];
  for (const op of operations) {
    if (op.content === undefined || op.contentHash === undefined) continue;
    const owned = op.kind !== 'inject';
    receiptOutputs.push({ path: op.path, hash: op.contentHash, hashOutsideFrozen: op.content.includes('ggen:freeze:start:') ? hashOutsideFrozen(op.content) : op.contentHash, template: op.templates.join(', '), kind: owned ? 'file' : 'inject' });
  }
  let receipt: Receipt = {
    version: 1,
    graph: { hash: graphHash, files: await Promise.all(graphFiles.map(async (f) => ({ path: displayPath(projectRoot, f), hash: sha256Hex(await readFile(f)) }))) },
    templates: templateEntries,
    vars: { ...vars },
    seed,
    outputs: receiptOutputs,
  };
  if (opts.mergeReceipt && previous) receipt = mergeReceipts(previous, receipt);
  return { version: 1, root, projectRoot, operations, hooks, warnings, receipt };
}

/**
 * Without blank nodes, sorted N-Quads already are the canonical form, so hashing them equals hashing the
 * RDFC-1.0 output and is much faster; graphs with blank nodes go through full canonicalisation.
 */
async function graphHashOf(graph: Graph): Promise<string> {
  const nquads = graph.nquads();
  return /(^|\s)_:/m.test(nquads) ? graph.canonicalHash() : sha256Hex(nquads);
}

function mergeReceipts(previous: Receipt, current: Receipt): Receipt {
  const outputs = new Map(previous.outputs.map((o) => [o.path, o]));
  for (const o of current.outputs) outputs.set(o.path, o);
  const templates = new Map(previous.templates.map((t) => [t.path, t]));
  for (const t of current.templates) templates.set(t.path, t);
  return { ...current, vars: { ...previous.vars, ...current.vars }, templates: [...templates.values()], outputs: [...outputs.values()] };
}

function describeOutput(o: RenderedOutput): string {
  return o.row === undefined ? o.template.display : `${o.template.display} (foreach row ${o.row + 1})`;
}

function collectHooks(outputs: RenderedOutput[]): PlannedHook[] {
  const seen = new Set<string>();
  const hooks: PlannedHook[] = [];
  for (const o of outputs) {
    for (const when of ['before', 'after'] as const) {
      const command = o.hooks[when];
      if (command === undefined || command.trim() === '') continue;
      const key = `${when}\u0000${o.template.display}\u0000${command}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hooks.push({ kind: 'hook', when, command, template: o.template.display });
    }
  }
  return hooks;
}

/** The current text of a target, or undefined when absent (sync: thousands of small reads). */
function readExisting(abs: string, rel: string, at: SourceLocation): string | undefined {
  const info = lstatSync(abs, { throwIfNoEntry: false });
  if (info === undefined) return undefined;
  if (!info.isFile() && !info.isSymbolicLink()) throw new GgenError('E_GENERATE', `target ${rel} exists and is not a regular file`, { at });
  return readFileSync(abs, 'utf8');
}

/** Groups outputs by target and decides create/overwrite/inject/skip/unchanged under the overwrite rule. */
async function decideOperations(root: string, outputs: RenderedOutput[], receipt: Receipt | undefined, forceAll: boolean): Promise<PlannedOperation[]> {
  const byPath = new Map<string, RenderedOutput[]>();
  for (const o of outputs) {
    const list = byPath.get(o.path);
    if (list) list.push(o);
    else byPath.set(o.path, [o]);
  }
  const owned = new Map((receipt?.outputs ?? []).filter((o) => o.kind === 'file').map((o) => [o.path, o]));
  const operations: PlannedOperation[] = [];
  const conflicts: string[] = [];
  const guard = createRootGuard(root);
  for (const path of [...byPath.keys()].sort(cmp)) {
    const group = byPath.get(path)!;
    const writers = group.filter((o) => !o.inject);
    const injectors = group.filter((o) => o.inject);
    const at: SourceLocation = { file: group[0]!.template.display };
    if (writers.length > 1) {
      const [a, b] = [writers[0]!, writers[1]!];
      const what = a.template === b.template && a.row !== undefined && b.row !== undefined
        ? `foreach rows ${a.row + 1} and ${b.row + 1} of ${a.template.display} both write ${path}`
        : `two templates write ${path}: ${describeOutput(a)} and ${describeOutput(b)}`;
      throw new GgenError('E_GENERATE', what, {
        at, hint: 'make their to: paths differ (for foreach, include a row value in to:)',
      });
    }
    guard(path, at);
    const abs = join(root, ...path.split('/'));
    const existing = readExisting(abs, path, at);
    const previousHash = existing === undefined ? null : sha256Hex(existing);
    const templatesOf = group.map((o) => o.template.display).filter((v, i, a) => a.indexOf(v) === i);
    let content = existing;
    let kind: OperationKind = 'unchanged';
    let reason = 'up to date';
    const writer = writers[0];
    if (writer !== undefined) {
      const generated = existing === undefined ? writer.content : keepFrozen(writer.content, existing, path);
      if (existing === undefined) {
        [kind, reason, content] = ['create', 'new file', generated];
      } else if (existing === generated) {
        [kind, reason] = ['unchanged', 'content is identical'];
      } else if (writer.unlessExists) {
        [kind, reason] = ['skip', 'file exists and unless_exists is set'];
      } else {
        const record = owned.get(path);
        const untouched = record !== undefined && hashOutsideFrozen(existing) === record.hashOutsideFrozen;
        if (untouched) [kind, reason, content] = ['overwrite', 'regenerated: ggen wrote it last time and nobody edited it', generated];
        else if (writer.force || forceAll) [kind, reason, content] = ['overwrite', record ? 'forced: it was edited by hand since ggen wrote it' : 'forced: it was not written by ggen', generated];
        else conflicts.push(`${path} (${record ? 'edited by hand since ggen wrote it' : 'exists and was not written by ggen'}; from ${describeOutput(writer)})`);
      }
    }
    const reasons: string[] = [];
    // Injections with the same options (e.g. one per foreach row) go in together, in row order.
    const groups = new Map<string, RenderedOutput[]>();
    for (const injector of kind === 'skip' ? [] : injectors) {
      const key = JSON.stringify([injector.template.display, injector.injectOptions]);
      const list = groups.get(key);
      if (list) list.push(injector);
      else groups.set(key, [injector]);
    }
    for (const members of groups.values()) {
      const first = members[0]!;
      const contents = members.map((m) => m.content);
      const label = members.length === 1 ? describeOutput(first) : `${first.template.display} (${members.length} rows)`;
      if (content === undefined) {
        content = first.injectOptions.region !== undefined ? wrapRegion(path, first.injectOptions.region, contents.join('')) : contents.join('');
        reasons.push(`created by injection from ${label}`);
        continue;
      }
      const result = injectContents(content, contents, first.injectOptions, { path, at: { file: first.template.display } });
      reasons.push(`${result.reason} (${label})`);
      if (result.changed) content = result.text;
    }
    if (injectors.length > 0 && kind !== 'skip') {
      if (content === existing) [kind, reason] = ['unchanged', reasons.join('; ')];
      else if (writer === undefined) [kind, reason] = [existing === undefined ? 'create' : 'inject', reasons.join('; ')];
      else reason = `${reason}; ${reasons.join('; ')}`;
      if (existing !== undefined && content !== existing && injectors.some((i) => i.backup) && writer === undefined) {
        operations.push({ kind: 'create', path: `${path}.backup`, templates: templatesOf, reason: `backup of ${path} before injection`, content: existing, contentHash: sha256Hex(existing), previousHash: ((t) => (t === undefined ? null : sha256Hex(t)))(readExisting(join(root, `${path}.backup`), `${path}.backup`, at)) });
      }
    }
    const op: PlannedOperation = { kind, path, templates: templatesOf, reason, previousHash };
    if (content !== undefined && kind !== 'skip') {
      op.content = content;
      op.contentHash = sha256Hex(content);
    }
    operations.push(op);
  }
  if (conflicts.length > 0) {
    throw new GgenError('E_WRITE_CONFLICT', `refusing to overwrite ${conflicts.length === 1 ? conflicts[0] : `${conflicts.length} files: ${conflicts[0]}, …`}`, {
      detail: conflicts.length > 1 ? conflicts.map((c) => `  ${c}`).join('\n') : undefined,
      hint: 'pass --force (or force: true in the frontmatter) to overwrite, or move hand-written code into freeze blocks / owned regions',
    });
  }
  return operations.sort((a, b) => cmp(a.path, b.path));
}
