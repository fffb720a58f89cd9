// What a run's outputs depend on, recorded in the receipt, so the next run can skip every template (and the
// graph) whose inputs did not change: same template bytes, vars, seed, graph files and files the render read.
//
// The record lives in `.ggen/cache/inputs.json`, not in the receipt: it is signed with the per-user state key and
// bound to the exact receipt it was written with, so a receipt or record edited, forged or copied from another
// machine (a commit) never makes ggen trust files it did not render. Then everything is rendered, as without it.
import { lstatSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TemplateRead } from '../template/index.js';
import { writeFileAtomicSync } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import { ggenVersion } from '../util/version.js';
import { stateMac } from './state-key.js';
import { ensureCacheDir } from './query-cache.js';
import { createRootGuard } from './paths.js';
import { stateDir } from './state-dir.js';

/** Files and environment variables the renders read beyond templates and graph files (partials, `from:`, get_env). */
export interface RunReads {
  /** Paths relative to the project root (POSIX); hash null: the file was looked for and missing. */
  files: Array<{ path: string; hash: string | null }>;
  /** SHA-256 of each variable's value (never the value: it may be a secret); null: unset. */
  env: Array<{ name: string; hash: string | null }>;
}

/** SHA-256 of each file, read once per run (many templates share graph files). */
export class FileHashes {
  private readonly hashes = new Map<string, Promise<string | null>>();

  /** null when the file cannot be read. */
  of(file: string): Promise<string | null> {
    let hash = this.hashes.get(file);
    if (hash === undefined) {
      hash = readFile(file).then((bytes) => sha256Hex(bytes), () => null);
      this.hashes.set(file, hash);
    }
    return hash;
  }

  /** Every file hashed so far (absolute), sorted, with its hash. */
  async entries(): Promise<Array<[string, string | null]>> {
    const files = [...this.hashes.keys()].sort();
    const hashes = await Promise.all(files.map((f) => this.hashes.get(f)!));
    return files.map((f, i) => [f, hashes[i]!]);
  }
}

/** Collects what the renders of one run read, through the engine's onRead and `from:` files. */
export class ReadRecorder {
  private readonly files = new Set<string>();
  private readonly env = new Map<string, string | undefined>();

  readonly onRead = (read: TemplateRead): void => {
    if (read.kind === 'partial') this.files.add(read.file);
    else if (!this.env.has(read.name)) this.env.set(read.name, read.value);
  };

  file(abs: string): void {
    this.files.add(abs);
  }

  /** `shown` gives the path as the receipt does (relative to the project root). */
  async toReceipt(shown: (file: string) => string, hashes: FileHashes): Promise<RunReads> {
    const files = await Promise.all([...this.files].sort().map(async (f) => ({ path: shown(f), hash: await hashes.of(f) })));
    const env = [...this.env.keys()].sort().map((name) => ({ name, hash: envHash(this.env.get(name)) }));
    return { files, env };
  }
}

const envHash = (value: string | undefined): string | null => (value === undefined ? null : sha256Hex(`env\u0000${value}`));

/** Two runs' reads together (a reused template read its partials last time); `later` wins for the same path or name. */
export function unionReads(earlier: RunReads, later: RunReads): RunReads {
  const files = new Map(earlier.files.map((f) => [f.path, f]));
  for (const f of later.files) files.set(f.path, f);
  const env = new Map(earlier.env.map((v) => [v.name, v]));
  for (const v of later.env) env.set(v.name, v);
  const by = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return { files: [...files.values()].sort(by((f) => f.path)), env: [...env.values()].sort(by((v) => v.name)) };
}

/** True when every file and variable the last run read still has the same bytes or value. */
export async function readsUnchanged(reads: RunReads | undefined, projectRoot: string, hashes: FileHashes, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (reads === undefined) return false;
  for (const v of reads.env) if (envHash(env[v.name]) !== v.hash) return false;
  const now = await Promise.all(reads.files.map((f) => hashes.of(resolve(projectRoot, f.path))));
  return reads.files.every((f, i) => now[i] === f.hash);
}

/** Everything one template's outputs depend on, hashed; equal fingerprints mean the render would be the same. */
export interface TemplateInputs {
  template: { label: string; hash: string };
  vars: Record<string, string>;
  presetVars?: Record<string, string>;
  seed: string;
  compat?: string;
  baseIri?: string;
  prefixes?: Record<string, string>;
  /** Project graph files, preset graph files and the template's rdf: files, with their content hashes. */
  graphFiles: Array<{ path: string; hash: string | null }>;
  /** Plugin modules loaded for the run, with their hashes: a plugin edit re-renders everything. */
  plugins?: Array<{ module: string; sha256: string }>;
  /** SHACL shapes files the run's gate checks this template's graph against (ggen.toml `shapes`, frontmatter `shape:`). */
  shapes?: Array<{ path: string; hash: string | null }>;
}

export function templateFingerprint(inputs: TemplateInputs): string {
  const sortedObject = (o: Record<string, string> | undefined) => (o === undefined ? null : Object.keys(o).sort().map((k) => [k, o[k]]));
  return sha256Hex(JSON.stringify([
    'ggen-template-inputs/1', ggenVersion(), inputs.template.label, inputs.template.hash, sortedObject(inputs.vars), sortedObject(inputs.presetVars),
    inputs.seed, inputs.compat ?? null, inputs.baseIri ?? null, sortedObject(inputs.prefixes),
    sortedFiles(inputs.graphFiles),
    (inputs.plugins ?? []).map((p) => [p.module, p.sha256]),
    ...(inputs.shapes !== undefined && inputs.shapes.length > 0 ? [sortedFiles(inputs.shapes)] : []),
  ]));
}

const sortedFiles = (files: Array<{ path: string; hash: string | null }>) => [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.hash]);

/**
 * The key of the project graph's inputs: its files' hashes, the base IRI and the project's SHACL shapes (the
 * receipt's graph hash is reused under it).
 */
export function graphKey(files: Array<{ path: string; hash: string | null }>, baseIri: string | undefined, shapes: Array<{ path: string; hash: string | null }> = []): string {
  return sha256Hex(JSON.stringify(['ggen-graph-inputs/1', ggenVersion(), baseIri ?? null, files.map((f) => [f.path, f.hash]), ...(shapes.length > 0 ? [sortedFiles(shapes)] : [])]));
}

/** What the next run may reuse, valid only together with the receipt it was written beside. */
export interface InputsRecord {
  /** The project graph's key and canonical hash (reused instead of parsing when the key is the same). */
  graph?: { key: string; hash: string };
  reads: RunReads;
  /** Template label → fingerprint, for templates whose outputs may be reused unrendered. */
  templates: Record<string, string>;
  /**
   * Output path → [size, mtimeMs, inode] right after ggen wrote or checked it: a file that still has them is taken
   * as unedited without reading it (as git's index does); anything else is read and hashed.
   */
  stats?: Record<string, [number, number, number]>;
  /** SHACL gate keys (graph inputs + shapes) that passed: a run with the same keys needs no validation. */
  shacl?: string[];
  /** The run this tree is settled under (see settled.ts): the same run again, with nothing changed, is a no-op. */
  settled?: SettledMemo;
}

export interface SettledMemo {
  /** The run's options (see runKey). */
  key: string;
  /** Every file the run read (absolute), sorted, with its SHA-256 (null: looked for and missing). */
  files: Array<[string, string | null]>;
  /** The templates' labels, sorted. */
  templates: string[];
  /** SHACL gate checks that passed (reported as unchanged). */
  shaclChecks: number;
}

/**
 * The stats of every plain output the receipt records as ggen's own, unmerged, whose file holds exactly what the
 * record says: those this run just wrote, those it found so by their stats (`checked`, whose stats still hold),
 * and those it read and found so (`confirmed`) if last modified before `since` (when the run started planning).
 * Anything else, such as an edited orphan kept, or a file modified during the run, is left out: the next run reads it.
 * So recorded stats always mean "this file holds the recorded content".
 */
export function outputStats(root: string, outputs: ReadonlyArray<{ path: string; kind: string; base?: string; conflict?: true }>, since: number, written: ReadonlySet<string>, checked: Record<string, [number, number, number]> = {}, confirmed: ReadonlySet<string> = new Set()): Record<string, [number, number, number]> {
  const stats: Record<string, [number, number, number]> = {};
  for (const o of outputs) {
    if (o.kind !== 'file' || o.base !== undefined || o.conflict) continue;
    if (!written.has(o.path)) {
      // Found as ggen wrote it by its stats, and not written since: those stats still describe it.
      const known = checked[o.path];
      if (known !== undefined) {
        stats[o.path] = known;
        continue;
      }
      if (!confirmed.has(o.path)) continue;
    }
    const info = lstatSync(join(root, ...o.path.split('/')), { throwIfNoEntry: false });
    if (info?.isFile() && (written.has(o.path) || info.mtimeMs < since)) stats[o.path] = [info.size, info.mtimeMs, info.ino];
  }
  return stats;
}

export function inputsRecordPath(root: string): string {
  return join(stateDir(root), 'cache', 'inputs.json');
}

/**
 * What the MAC covers: the record's JSON (as written, not re-serialised: a record of 100k output stats is several
 * MB), bound to this format, ggen's version, the root and the receipt's hash.
 */
function signedText(recordJson: string, receiptHash: string, root: string): string {
  return `${JSON.stringify(['ggen-inputs/1', ggenVersion(), root, receiptHash]).slice(0, -1)},${recordJson}]`;
}

/** The file: `{"record":…,"mac":"…"}`; only ggen writes it, so anything else is not a record. */
const RECORD_HEAD = '{"record":';
const RECORD_TAIL = /,"mac":"([0-9a-f]{64})"\}\n?$/;

/** The record, when it is this user's, for this root, and written with the receipt now on disk; else undefined. */
export function readInputsRecord(root: string, receiptText: string, env: NodeJS.ProcessEnv = process.env): InputsRecord | undefined {
  try {
    const text = readFileSync(inputsRecordPath(root), 'utf8');
    const tail = RECORD_TAIL.exec(text.slice(-80));
    if (!text.startsWith(RECORD_HEAD) || tail === null) return undefined;
    const recordJson = text.slice(RECORD_HEAD.length, text.length - tail[0].length);
    if (stateMac(signedText(recordJson, sha256Hex(receiptText), root), env) !== tail[1]) return undefined;
    return JSON.parse(recordJson) as InputsRecord;
  } catch {
    return undefined;
  }
}

/** Writes the record, bound to the receipt it was made with (by the SHA-256 of the receipt's text), unless it is already there; failures only cost speed. */
export function writeInputsRecord(root: string, record: InputsRecord, receiptHash: string, env: NodeJS.ProcessEnv = process.env): void {
  try {
    const recordJson = JSON.stringify(record);
    const text = `${RECORD_HEAD}${recordJson},"mac":${JSON.stringify(stateMac(signedText(recordJson, receiptHash, root), env))}}\n`;
    let before: string | undefined;
    try { before = readFileSync(inputsRecordPath(root), 'utf8'); } catch { before = undefined; }
    if (before !== text) {
      ensureCacheDir(root);
      writeFileAtomicSync(inputsRecordPath(root), text);
    }
  } catch {
    // a read-only or full disk: the next run renders everything
  }
}

/** Recorded outputs whose files still have the size, mtime and inode recorded right after ggen wrote them. */
export function statClean(root: string, outputs: ReadonlyArray<{ path: string; kind: string; base?: string; conflict?: true }>, stats: Record<string, [number, number, number]> | undefined): Set<string> {
  const clean = new Set<string>();
  if (stats === undefined) return clean;
  const guard = createRootGuard(root);
  for (const o of outputs) {
    if (o.kind !== 'file' || o.base !== undefined || o.conflict) continue;
    const recorded = stats[o.path];
    if (recorded === undefined) continue;
    const info = guard(o.path, { file: '.ggen/receipt.json' });
    if (info !== undefined && info.isFile() && recorded[0] === info.size && recorded[1] === info.mtimeMs && recorded[2] === info.ino) clean.add(o.path);
  }
  return clean;
}
