// The SHACL gate: before anything renders, the project graph is validated against the project's shapes
// (ggen.toml `shapes`, --shapes) and each template's own graph against its frontmatter `shape:` files.
// Only sh:Violation results refuse the run; sh:Warning, sh:Info and custom severities are reported as warnings.
import { dirname, resolve } from 'node:path';
import { GgenError } from '../errors.js';
import type { Graph } from '../graph/index.js';
import { sha256Hex } from '../util/hash.js';
import { ggenVersion } from '../util/version.js';
import type { FileHashes } from './inputs.js';
import { positionOf, type LoadedTemplate } from './load-template.js';
import type { GraphCache } from './queries.js';
import { formatGateReport, gateLabel, refuses, type ShaclGateReport } from './shacl-format.js';

export type { ShaclGateReport } from './shacl-format.js';

/** A run refused because a graph has sh:Violation results; nothing was rendered or written. */
export class ShaclGateError extends GgenError {
  /** `shapeFiles`: every shapes file the run checked against, absolute (watch keeps observing them). */
  constructor(readonly reports: ShaclGateReport[], readonly shapeFiles: string[] = []) {
    const refusing = reports.filter(refuses);
    const violations = refusing.reduce((n, r) => n + r.report.violations, 0);
    const which = refusing.map(gateLabel).join(', ');
    super('E_SHACL', `${which} ${refusing.length === 1 ? 'does' : 'do'} not conform to ${refusing.length === 1 ? 'its' : 'their'} SHACL shapes (${violations} ${violations === 1 ? 'violation' : 'violations'}); nothing was written`, {
      detail: refusing.map((r) => formatGateReport(r).map((l) => `  ${l}`).join('\n')).join('\n'),
      hint: 'fix the data or the shapes (`ggen graph validate DATA --shapes SHAPES` shows the full report); --no-validate generates anyway',
    });
  }
}

export function isShaclGateError(err: unknown): err is ShaclGateError {
  return err instanceof ShaclGateError;
}

export interface GateTemplate {
  loaded: LoadedTemplate;
  /** The template's graph extras (preset graph files, rdf:, rdf_inline:), computed only for templates with `shape:`. */
  extras: () => Promise<{ files: string[]; inline: Array<{ text: string; source: string }> }>;
}

export interface GateOptions {
  /** false (`--no-validate`): nothing is validated, nothing recorded as passed. */
  validate: boolean;
  /** Absolute paths of the project's shapes files. */
  projectShapes: string[];
  templates: GateTemplate[];
  graphs: GraphCache;
  hashes: FileHashes;
  baseIri?: string;
  /** Gate keys that passed in the last successful run (from the signed inputs record). */
  passedBefore: readonly string[];
  displayPath: (file: string) => string;
}

export interface GateOutcome {
  /** Shapes files (shown path + hash) that apply to each template label: part of its reuse fingerprint. */
  shapesOf: (label: string) => Array<{ path: string; hash: string | null }>;
  /** Project shapes (shown path + hash): part of the graph key. */
  projectShapes: Array<{ path: string; hash: string | null }>;
  /** Every shapes file the gate read, absolute (watch observes them). */
  shapeFiles: string[];
  /** Gate keys that conform now (validated with no result, or unchanged since they did); empty when validation is off. */
  passed: string[];
  /** Reports of the graphs validated now that have (non-refusing) results. */
  reports: ShaclGateReport[];
  /** How many graphs were validated now, and how many were skipped as unchanged since they passed. */
  validated: number;
  skipped: number;
}

/** Resolves a template's `shape:` files (relative to the template file); checks that they exist when validating. */
async function templateShapeFiles(t: LoadedTemplate, hashes: FileHashes, mustExist: boolean): Promise<string[]> {
  const shapes = t.frontmatter.shape;
  const out: string[] = [];
  for (const [i, p] of shapes.entries()) {
    const abs = resolve(dirname(t.file), p);
    if (mustExist && (await hashes.of(abs)) === null) {
      throw new GgenError('E_IO', `shapes file not found: ${p} (resolved to ${abs})`, { at: positionOf(t, shapes.length > 1 ? `shape.${i}` : 'shape'), hint: 'shape: paths are relative to the template file' });
    }
    out.push(abs);
  }
  return [...new Set(out)].sort();
}

/**
 * Validates before anything renders. A graph whose inputs and shapes are what passed in the last successful run
 * is not validated again (nor parsed for it): a violation writes nothing, so a recorded key did pass.
 * Throws ShaclGateError when any graph has sh:Violation results.
 */
export async function runShaclGate(opts: GateOptions): Promise<GateOutcome> {
  const { hashes } = opts;
  const withHashes = (files: string[]) => Promise.all(files.map(async (f) => ({ path: opts.displayPath(f), hash: await hashes.of(f) })));
  const projectShapeFiles = [...new Set(opts.projectShapes)].sort();
  for (const f of opts.validate ? projectShapeFiles : []) {
    if ((await hashes.of(f)) === null) throw new GgenError('E_IO', `shapes file not found: ${opts.displayPath(f)} (resolved to ${f})`, { hint: 'ggen.toml `shapes` paths are relative to the project directory; --shapes paths to the working directory' });
  }
  const projectShapes = await withHashes(projectShapeFiles);
  const perTemplate = new Map<string, string[]>();
  for (const t of opts.templates) if (t.loaded.frontmatter.shape.length > 0) perTemplate.set(t.loaded.display, await templateShapeFiles(t.loaded, hashes, opts.validate));
  const shownShapes = new Map<string, Array<{ path: string; hash: string | null }>>();
  for (const [label, files] of perTemplate) shownShapes.set(label, await withHashes(files));
  const shapeFiles = [...new Set([...projectShapeFiles, ...[...perTemplate.values()].flat()])].sort();
  const outcome: GateOutcome = {
    shapesOf: (label) => [...projectShapes, ...(shownShapes.get(label) ?? [])],
    projectShapes, shapeFiles, passed: [], reports: [], validated: 0, skipped: 0,
  };
  if (!opts.validate) return outcome;

  // Each distinct (graph, shapes) pair once: the project graph once, templates with the same extras and shapes once.
  interface Check { key: string; template?: string; shapes: string[]; data: () => Promise<Graph> }
  const checks = new Map<string, Check>();
  const keyOf = async (extraFiles: string[], inline: Array<{ text: string; source: string }>, shapes: string[]) => {
    const dataKey = await opts.graphs.keyOf(extraFiles, inline, (f) => hashes.of(f));
    return sha256Hex(JSON.stringify(['ggen-shacl-gate/1', ggenVersion(), dataKey, opts.baseIri ?? null, await Promise.all(shapes.map(async (f) => [f, await hashes.of(f)]))]));
  };
  if (projectShapeFiles.length > 0) {
    const key = await keyOf([], [], projectShapeFiles);
    checks.set(key, { key, shapes: projectShapeFiles, data: () => opts.graphs.base() });
  }
  for (const t of opts.templates) {
    const shapes = perTemplate.get(t.loaded.display);
    if (shapes === undefined) continue;
    const extras = await t.extras();
    const key = await keyOf(extras.files, extras.inline, shapes);
    if (!checks.has(key)) checks.set(key, { key, template: t.loaded.display, shapes, data: () => opts.graphs.get(extras.files, extras.inline) });
  }

  if (checks.size === 0) return outcome;
  const passedBefore = new Set(opts.passedBefore);
  const lib = await import('../graph/index.js');
  const shapesGraphs = new Map<string, Promise<Graph>>();
  // Shapes are parsed once per run, however many graphs they check.
  const shapesGraph = (files: string[]) => {
    const k = JSON.stringify(files);
    let g = shapesGraphs.get(k);
    if (g === undefined) {
      g = (async () => {
        const graph = await lib.Graph.create({ baseIri: opts.baseIri });
        for (const f of files) await graph.loadFile(f);
        return graph;
      })();
      shapesGraphs.set(k, g);
    }
    return g;
  };
  const reports: ShaclGateReport[] = [];
  for (const check of checks.values()) {
    if (passedBefore.has(check.key)) {
      outcome.skipped++;
      outcome.passed.push(check.key);
      continue;
    }
    const shapes = await shapesGraph(check.shapes);
    const data = await check.data();
    const report = await lib.validateShacl(data, shapes);
    outcome.validated++;
    if (report.results.length > 0) reports.push({ ...(check.template !== undefined ? { template: check.template } : {}), shapes: check.shapes.map(opts.displayPath), report, prefixes: { ...shapes.queryPrefixes, ...data.queryPrefixes } });
    // Only a graph without any result is skipped next time: warnings are shown on every run, not just the first.
    if (report.results.length === 0) outcome.passed.push(check.key);
  }
  if (reports.some(refuses)) throw new ShaclGateError(reports, shapeFiles);
  outcome.passed.sort();
  outcome.reports = reports;
  return outcome;
}
