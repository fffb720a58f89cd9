// The decide step, pure: rendered outputs + the disk state read once + the previous receipt → operations with reasons.
import { GgenError, type SourceLocation } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { hashOutsideFrozen, keepFrozen } from './freeze.js';
import { injectContents, wrapRegion, type InjectOptions } from './inject.js';
import { mergeThreeWay, hasConflictMarkers, type MergeConflict } from './merge.js';
import { cmp, type Receipt, type ReceiptOutput } from './receipt.js';

/** What one template rendered for one target (one per template, or per foreach row). */
export interface OutputRender {
  path: string;
  /** Template label (path relative to the project, or `pack:path`). */
  template: string;
  /** Index of the foreach row that produced it. */
  row?: number;
  content: string;
  inject: boolean;
  injectOptions: InjectOptions;
  force: boolean;
  unlessExists: boolean;
  backup: boolean;
  /** sh_before / sh_after commands, as rendered for this output. */
  hooks?: { before?: string; after?: string };
}

export interface PlannedHook {
  kind: 'hook';
  when: 'before' | 'after';
  command: string;
  template: string;
}

/** A target as found on disk before anything is written. */
export type DiskEntry = { kind: 'absent' } | { kind: 'file'; text: string } | { kind: 'not-file' };

export type OperationKind = 'create' | 'overwrite' | 'merge' | 'conflict' | 'inject' | 'skip' | 'unchanged' | 'orphan' | 'delete';

export interface PlannedOperation {
  kind: OperationKind;
  /** Target path relative to the output root (POSIX). */
  path: string;
  templates: string[];
  reason: string;
  /** SHA-256 of the content the file will have (absent for skips, orphans and deletes). */
  contentHash?: string;
  content?: string;
  /** SHA-256 of the file when planned, or null when it did not exist: apply refuses if it changed. */
  previousHash: string | null;
  /** The pure render (merge base for the next run) when it differs from `content` (merged, frozen, conflicted). */
  base?: string;
  /** Conflicts written as markers (kind `conflict`), with the lines they start at in the written file. */
  conflicts?: MergeConflict[];
  /** Why the run would refuse this file (kind `skip`), when refusals are reported instead of thrown. */
  refused?: string;
}

export interface DecidePolicy {
  /** Take the new render over hand edits (and delete edited orphans when pruning). */
  force: boolean;
  /** `fail` (default): a merge conflict refuses the run; `markers`: write git-style markers. */
  conflicts?: 'fail' | 'markers';
  /** Delete orphans nobody edited. */
  prune?: boolean;
  /**
   * Templates this run rendered: receipt outputs of these templates that were not produced are orphans.
   * `all`: every template of the project ran (outputs of templates that are gone are orphans too).
   */
  ranTemplates: 'all' | ReadonlySet<string>;
  /** `throw` (default): files that must not be touched fail the run; `report`: they become skips saying why (diff, verify). */
  refusals?: 'throw' | 'report';
}

export interface DecideInput {
  outputs: readonly OutputRender[];
  /** Every path the outputs name, their `.backup` siblings and the receipt's outputs. */
  disk: ReadonlyMap<string, DiskEntry>;
  receipt: Receipt | undefined;
  /** Base contents by hash (what ggen last generated), from `.ggen/objects`. */
  baseOf: (hash: string) => string | undefined;
  policy: DecidePolicy;
  /**
   * Outputs of reused templates whose files are exactly as ggen wrote them (by their recorded stats): unchanged
   * without being read or rendered. No rendered output names their paths.
   */
  settled?: readonly ReceiptOutput[];
}

/** One file the run refuses to touch, with why; all of them are listed in one error. */
interface Refusal {
  path: string;
  why: string;
}

function describeRender(o: OutputRender): string {
  return o.row === undefined ? o.template : `${o.template} (foreach row ${o.row + 1})`;
}

function groupByPath(outputs: readonly OutputRender[]): Map<string, OutputRender[]> {
  const byPath = new Map<string, OutputRender[]>();
  for (const o of outputs) {
    const list = byPath.get(o.path);
    if (list) list.push(o);
    else byPath.set(o.path, [o]);
  }
  return byPath;
}

function assertOneWriter(path: string, writers: OutputRender[]): void {
  if (writers.length <= 1) return;
  const [a, b] = [writers[0]!, writers[1]!];
  const what = a.template === b.template && a.row !== undefined && b.row !== undefined
    ? `foreach rows ${a.row + 1} and ${b.row + 1} of ${a.template} both write ${path}`
    : `two templates write ${path}: ${describeRender(a)} and ${describeRender(b)}`;
  throw new GgenError('E_GENERATE', what, { at: { file: a.template }, hint: 'make their to: paths differ (for foreach, include a row value in to:)' });
}

const textOf = (entry: DiskEntry | undefined): string | undefined => (entry?.kind === 'file' ? entry.text : undefined);
const hashOf = (text: string | undefined): string | null => (text === undefined ? null : sha256Hex(text));

/** The merge base of an owned output: the pure render recorded last time (equal to what was written unless noted). */
function baseHashOf(record: ReceiptOutput): string {
  return record.base ?? record.hash;
}

interface WriterDecision {
  kind: OperationKind;
  reason: string;
  content?: string;
  base?: string;
  conflicts?: MergeConflict[];
}

/** The overwrite rule for a file ggen writes whole: create, keep, regenerate, merge hand edits, or refuse. */
function decideWriter(writer: OutputRender, existing: string | undefined, record: ReceiptOutput | undefined, input: DecideInput, refusals: Refusal[]): WriterDecision {
  const render = writer.content;
  if (existing === undefined) return { kind: 'create', reason: 'new file', content: render };
  const generated = keepFrozen(render, existing, writer.path);
  const base = generated === render ? undefined : render;
  if (existing === generated) return { kind: 'unchanged', reason: 'content is identical', content: existing, base };
  if (writer.unlessExists) return { kind: 'skip', reason: 'file exists and unless_exists is set' };
  const forced = writer.force || input.policy.force;
  if (record === undefined) {
    if (forced) return { kind: 'overwrite', reason: 'forced: it was not written by ggen', content: generated, base };
    refusals.push({ path: writer.path, why: `exists and was not written by ggen; from ${describeRender(writer)}` });
    return { kind: 'skip', reason: 'refused' };
  }
  // Unedited since ggen wrote it (freeze-block interiors do not count), and what it wrote was the pure render.
  const untouched = hashOutsideFrozen(existing) === record.hashOutsideFrozen && baseHashOf(record) === record.hash && record.conflict !== true;
  if (untouched) return { kind: 'overwrite', reason: 'regenerated: ggen wrote it last time and nobody edited it', content: generated, base };
  if (forced) return { kind: 'overwrite', reason: 'forced: it was edited by hand since ggen wrote it', content: generated, base };
  if (hasConflictMarkers(existing) && record.conflict === true) {
    refusals.push({ path: writer.path, why: 'has unresolved conflict markers from an earlier merge; resolve them (or --force to take the new render)' });
    return { kind: 'skip', reason: 'refused' };
  }
  const baseText = input.baseOf(baseHashOf(record));
  if (baseText === undefined) {
    refusals.push({ path: writer.path, why: `edited by hand since ggen wrote it; from ${describeRender(writer)}` });
    return { kind: 'skip', reason: 'refused' };
  }
  const merged = mergeThreeWay(baseText, existing, generated, writer.path);
  if (merged.conflicts.length === 0) {
    if (merged.text === existing) return { kind: 'unchanged', reason: 'hand edits kept (nothing new to merge)', content: existing, base: render };
    return { kind: 'merge', reason: 'hand edits merged with the new render', content: merged.text, base: render };
  }
  if (input.policy.conflicts === 'markers') {
    return { kind: 'conflict', reason: `merged with ${merged.conflicts.length} conflict${merged.conflicts.length === 1 ? '' : 's'} marked in the file`, content: merged.text, base: render, conflicts: merged.conflicts };
  }
  const lines = merged.conflicts.map((c) => (c.existingLines <= 1 ? `${c.existingLine}` : `${c.existingLine}-${c.existingLine + c.existingLines - 1}`));
  refusals.push({ path: writer.path, why: `edited by hand since ggen wrote it, and the edits conflict with the new render at line${lines.length === 1 && !lines[0]!.includes('-') ? '' : 's'} ${lines.join(', ')}; from ${describeRender(writer)}` });
  return { kind: 'skip', reason: 'refused' };
}

/** Several injections into one target: those with the same options (one per foreach row) go in together, in row order. */
function applyInjections(path: string, injectors: OutputRender[], start: string | undefined): { content: string | undefined; reasons: string[] } {
  const groups = new Map<string, OutputRender[]>();
  for (const injector of injectors) {
    const key = JSON.stringify([injector.template, injector.injectOptions]);
    const list = groups.get(key);
    if (list) list.push(injector);
    else groups.set(key, [injector]);
  }
  let content = start;
  const reasons: string[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const contents = members.map((m) => m.content);
    const label = members.length === 1 ? describeRender(first) : `${first.template} (${members.length} rows)`;
    if (content === undefined) {
      content = first.injectOptions.region !== undefined ? wrapRegion(path, first.injectOptions.region, contents.join('')) : contents.join('');
      reasons.push(`created by injection from ${label}`);
      continue;
    }
    const at: SourceLocation = { file: first.template };
    const result = injectContents(content, contents, first.injectOptions, { path, at });
    reasons.push(`${result.reason} (${label})`);
    if (result.changed) content = result.text;
  }
  return { content, reasons };
}

/**
 * The operation with its content hash. Built in one literal, without `delete`: a run can plan 100k operations, and
 * objects that all share one shape cost a third of what objects given a hidden class each do.
 */
function withContent(op: Omit<PlannedOperation, 'contentHash'>): PlannedOperation {
  if (op.content === undefined) return op;
  const { kind, path, templates, reason, previousHash, content, base, conflicts } = op;
  const planned: PlannedOperation = { kind, path, templates, reason, previousHash, content, contentHash: sha256Hex(content) };
  if (base !== undefined && base !== content) planned.base = base;
  if (conflicts !== undefined) planned.conflicts = conflicts;
  return planned;
}

/** Outputs of the previous receipt this run did not produce: reported, kept, or deleted with --prune. */
function decideOrphans(produced: ReadonlySet<string>, input: DecideInput): PlannedOperation[] {
  const ops: PlannedOperation[] = [];
  const ran = input.policy.ranTemplates;
  for (const record of input.receipt?.outputs ?? []) {
    if (record.kind !== 'file' || produced.has(record.path)) continue;
    if (ran !== 'all' && !record.template.split(', ').some((t) => ran.has(t))) continue;
    const existing = textOf(input.disk.get(record.path));
    const previousHash = hashOf(existing);
    const templates = record.template.split(', ');
    if (existing === undefined) {
      ops.push({ kind: 'orphan', path: record.path, templates, reason: 'no longer generated (and already gone from disk)', previousHash });
      continue;
    }
    const edited = hashOutsideFrozen(existing) !== record.hashOutsideFrozen;
    if (input.policy.prune && (!edited || input.policy.force)) {
      ops.push({ kind: 'delete', path: record.path, templates, reason: edited ? 'pruned (forced: it was edited by hand)' : 'pruned: no longer generated and nobody edited it', previousHash });
    } else {
      const reason = edited
        ? `no longer generated; kept because it was edited by hand${input.policy.prune ? ' (--force deletes it)' : ''}`
        : 'no longer generated (--prune deletes it)';
      ops.push({ kind: 'orphan', path: record.path, templates, reason, previousHash });
    }
  }
  return ops;
}

/**
 * Decides, per target path, what applying would do, under the overwrite rule (docs/generation.md):
 * create, keep, regenerate unedited files, merge hand edits (3-way, with the last render as base), inject,
 * skip, report or prune orphans. Every file that must not be touched is listed in one E_WRITE_CONFLICT.
 */
export function decideOperations(input: DecideInput): PlannedOperation[] {
  // One shared (frozen) list per template for its single-writer files: a foreach writes 100k of them.
  const lists = new Map<string, string[]>();
  const templatesOf = (label: string): string[] => {
    let list = lists.get(label);
    if (list === undefined) lists.set(label, (list = Object.freeze([label]) as string[]));
    return list;
  };
  const byPath = groupByPath(input.outputs);
  const owned = new Map((input.receipt?.outputs ?? []).filter((o) => o.kind === 'file').map((o) => [o.path, o]));
  const operations: PlannedOperation[] = [];
  const refusals: Refusal[] = [];
  for (const path of [...byPath.keys()].sort(cmp)) {
    const group = byPath.get(path)!;
    const writers = group.filter((o) => !o.inject);
    const injectors = group.filter((o) => o.inject);
    assertOneWriter(path, writers);
    const entry = input.disk.get(path) ?? { kind: 'absent' };
    if (entry.kind === 'not-file') throw new GgenError('E_GENERATE', `target ${path} exists and is not a regular file`, { at: { file: group[0]!.template } });
    const existing = textOf(entry);
    const previousHash = hashOf(existing);
    const templates = group.length === 1 ? templatesOf(group[0]!.template) : [...new Set(group.map((o) => o.template))];
    const writer = writers[0];
    let decision: WriterDecision = { kind: 'unchanged', reason: 'up to date', content: existing };
    if (writer !== undefined) decision = decideWriter(writer, existing, owned.get(path), input, refusals);
    if (injectors.length > 0 && decision.kind !== 'skip') {
      const { content, reasons } = applyInjections(path, injectors, decision.content);
      const joined = reasons.join('; ');
      if (writer === undefined) {
        decision = content === existing ? { kind: 'unchanged', reason: joined, content } : { kind: existing === undefined ? 'create' : 'inject', reason: joined, content };
        if (existing !== undefined && content !== existing && injectors.some((i) => i.backup)) {
          const backupPath = `${path}.backup`;
          operations.push(withContent({ kind: 'create', path: backupPath, templates, reason: `backup of ${path} before injection`, content: existing, previousHash: hashOf(textOf(input.disk.get(backupPath))) }));
        }
      } else {
        decision = { ...decision, content, reason: `${decision.reason}; ${joined}`, kind: decision.kind === 'unchanged' && content !== existing ? 'overwrite' : decision.kind };
      }
    }
    const { kind, reason } = decision;
    const op: Omit<PlannedOperation, 'contentHash'> = { kind, path, templates, reason, previousHash };
    if (decision.content !== undefined && kind !== 'skip') {
      op.content = decision.content;
      if (decision.base !== undefined) op.base = decision.base;
      if (decision.conflicts !== undefined) op.conflicts = decision.conflicts;
    }
    operations.push(withContent(op));
  }
  if (refusals.length > 0 && input.policy.refusals === 'report') {
    const why = new Map(refusals.map((r) => [r.path, r.why]));
    for (const op of operations) {
      const reason = why.get(op.path);
      if (reason !== undefined && op.kind === 'skip') Object.assign(op, { reason: `would refuse: ${reason}`, refused: reason });
    }
  } else if (refusals.length > 0) {
    const first = refusals[0]!;
    const merge = refusals.some((r) => r.why.includes('conflict with the new render'));
    throw new GgenError('E_WRITE_CONFLICT', refusals.length === 1 ? `refusing to overwrite ${first.path} (${first.why})` : `refusing to overwrite ${refusals.length} files: ${first.path} (${first.why}), …`, {
      detail: refusals.length > 1 ? refusals.map((r) => `  ${r.path} (${r.why})`).join('\n') : undefined,
      hint: merge
        ? 'nothing was written; resolve by hand, rerun with --conflicts=markers to write conflict markers, or --force to take the new render'
        : 'pass --force (or force: true in the frontmatter) to overwrite, or move hand-written code into freeze blocks / owned regions',
    });
  }
  for (const record of input.settled ?? []) {
    if (byPath.has(record.path)) throw new Error(`settled output ${record.path} is also rendered`); // plan.ts un-settles these
    operations.push({ kind: 'unchanged', path: record.path, templates: [record.template], reason: 'unchanged: same inputs, file as ggen wrote it', contentHash: record.hash, previousHash: record.hash });
  }
  operations.push(...decideOrphans(new Set([...byPath.keys(), ...(input.settled ?? []).map((r) => r.path)]), input));
  return operations.sort((a, b) => cmp(a.path, b.path));
}

/** The hooks a run would execute: each (when, template, command) once, in output order; blank commands dropped. */
export function decideHooks(outputs: readonly OutputRender[]): PlannedHook[] {
  const seen = new Set<string>();
  const hooks: PlannedHook[] = [];
  for (const o of outputs) {
    for (const when of ['before', 'after'] as const) {
      const command = o.hooks?.[when];
      if (command === undefined || command.trim() === '') continue;
      const key = `${when}\u0000${o.template}\u0000${command}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hooks.push({ kind: 'hook', when, command, template: o.template });
    }
  }
  return hooks;
}
