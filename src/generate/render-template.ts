// Renders one template into outputs: vars (CLI over defaults), queries, then `to` and body once or per foreach row.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import type { GenerationEngine } from './engine.js';
import { renderDeep, renderLeaf, type FrontmatterWarning, type RenderOptions } from '../template/index.js';
import { createResultHelpers } from './helpers.js';
import type { OutputRender } from './decide.js';
import { positionOf, type LoadedTemplate } from './load-template.js';
import { normaliseTarget } from './paths.js';
import type { Graph } from '../graph/index.js';
import { prologFor, queryForTemplate, resolveRdfFiles, runEndpointQuery, runEndpointQuerySync, runTemplateQuery, shapeResult, streamEndpointQuery, type GraphCache, type QueryRunOptions } from './queries.js';
import { QueryCache } from './query-cache.js';
import type { ResultValue, Row } from './rows.js';

/** What decide takes (OutputRender: the template by its label), hooks always present. */
export interface RenderedOutput extends Omit<OutputRender, 'hooks'> {
  hooks: NonNullable<OutputRender['hooks']>;
}

// Shared by every plain output: a 100k-row foreach would otherwise hold 200k empty objects.
const NOT_INJECTED: RenderedOutput['injectOptions'] = Object.freeze({});
const NO_HOOKS: RenderedOutput['hooks'] = Object.freeze({});

export interface RenderedTemplate {
  outputs: RenderedOutput[];
  /** rdf: files (absolute) the template loaded, for receipts and watch. */
  rdfFiles: string[];
  vars: Record<string, unknown>;
  /** Queries that returned no rows (a typo in a prefix or property is the usual cause). */
  warnings: FrontmatterWarning[];
}

export interface RenderTemplateOptions {
  engine: GenerationEngine;
  graphs: GraphCache;
  /** CLI/project vars: they override the frontmatter's `vars` defaults. */
  vars: Record<string, string>;
  /** Vars from a pack's preset: above frontmatter defaults, below CLI vars. */
  presetVars?: Record<string, string>;
  presetGraphFiles?: string[];
  /** Zero-row queries are errors instead of warnings. */
  strict?: boolean;
  /** SELECT/ASK results by (graph inputs, query text): when every query is found, the graph is not parsed. */
  queryCache?: { cache: QueryCache; hashOf: (file: string) => Promise<string | null> };
  /** Told of the `from:` file the body is read from (a recorded input of the run). */
  onFrom?: (file: string) => void;
  /** Called once the number of outputs is known (rows of foreach), then after each output is rendered. */
  onOutputs?: (count: number) => void;
  onOutput?: () => void;
}

/** What in a template can see a query's rows besides foreach: named results (`sparql_results`, `results=`), sparql(), partials. */
const STREAM_BLOCKERS = /results|\bsparql\s*\(|\{%-?\s*(?:include|import|extends)\b/;

/** The warning for a query that returned no rows (an error with --strict). */
function noRows(t: LoadedTemplate, queryName: string, strict: boolean | undefined): FrontmatterWarning {
  const used = t.frontmatter.foreach === queryName ? ' (foreach over it writes no files)' : '';
  const warning: FrontmatterWarning = {
    message: `query "${queryName}" returned no rows${used}`, at: positionOf(t, `sparql.${queryName}`),
    hint: 'check the query against the graph: a typo in a prefix or property (rdfs:labl) matches nothing',
  };
  if (strict) throw new GgenError('E_GENERATE', `${warning.message} (--strict)`, { at: warning.at, hint: warning.hint });
  return warning;
}

export const noGraph = (): never => {
  throw new GgenError('E_TEMPLATE_RENDER', 'sparql() needs a graph: pass --graph or declare rdf:/sparql: in the frontmatter');
};

/** rdf:/rdf_inline add files to the embedded store; with an endpoint the store holds the data. */
function assertEndpointTemplate(t: LoadedTemplate, extras: number): void {
  if (extras === 0) return;
  throw new GgenError('E_GENERATE', 'rdf:/rdf_inline (or a preset\'s graph files) cannot be combined with --endpoint: the endpoint holds the data', {
    at: positionOf(t, t.frontmatter.rdf.length > 0 ? 'rdf' : 'rdf_inline'), hint: 'load those files into the store with `ggen graph load FILE --endpoint URL`, or generate without --endpoint',
  });
}

export interface TemplateGraphInputs {
  vars: Record<string, unknown>;
  /** BASE/PREFIX lines placed before the template's queries and inline Turtle. */
  prolog: string;
  /** rdf: files, absolute. */
  rdfFiles: string[];
  inline: Array<{ text: string; source: string }>;
}

/**
 * The template's vars and the extras of its graph (rdf:, rdf_inline:), with the frontmatter leaves they need
 * rendered: what the render loads, and what the SHACL gate validates before anything renders.
 */
export async function templateGraphInputs(t: LoadedTemplate, opts: Pick<RenderTemplateOptions, 'engine' | 'vars' | 'presetVars'>): Promise<TemplateGraphInputs> {
  const fm = t.frontmatter;
  const name = t.display;
  const frontmatterHelpers: RenderOptions = createResultHelpers({ runQuery: noGraph, results: {} });
  const render = (source: string, context: Record<string, unknown>) => opts.engine.renderString(source, context, name, frontmatterHelpers);
  // Defaults may refer to CLI vars; then CLI vars win over the defaults.
  const cliContext: Record<string, unknown> = { ...opts.presetVars, ...opts.vars };
  const defaults = renderDeep(render, fm.vars, cliContext) as Record<string, unknown>;
  const vars: Record<string, unknown> = { ...defaults, ...opts.presetVars, ...opts.vars };
  const prefixes = renderDeep(render, fm.prefixes, vars) as Record<string, string>;
  const base = fm.base === undefined ? undefined : renderLeaf(render, fm.base, vars);
  const prolog = prologFor(base, prefixes);
  const rdfFiles = await resolveRdfFiles(t.file, fm.rdf.map((p) => renderLeaf(render, p, vars)), (i) => positionOf(t, fm.rdf.length > 1 ? `rdf.${i}` : 'rdf'));
  const inline = fm.rdf_inline.map((text, i) => ({ text: prolog + renderLeaf(render, text, vars), source: `${name} (rdf_inline ${i})` }));
  return { vars, prolog, rdfFiles, inline };
}

export async function renderTemplate(t: LoadedTemplate, opts: RenderTemplateOptions): Promise<RenderedTemplate> {
  const fm = t.frontmatter;
  const name = t.display;
  // Frontmatter values see the helpers without a graph: local() works, sparql() explains what it needs.
  const frontmatterHelpers: RenderOptions = createResultHelpers({ runQuery: noGraph, results: {} });
  const render = (source: string, context: Record<string, unknown>) => opts.engine.renderString(source, context, name, frontmatterHelpers);
  if (t.unclosed) {
    throw new GgenError('E_FRONTMATTER', 'the frontmatter opened on line 1 is never closed', {
      at: { file: name, line: 1, column: 1 }, hint: 'end the frontmatter with a line holding only ---',
    });
  }
  if (!t.present || fm.to === undefined) {
    throw new GgenError('E_GENERATE', t.present ? 'template has no "to:" (output path) in its frontmatter' : 'template has no frontmatter, so it has no output path', {
      at: { file: name, line: 1, column: 1 }, hint: 'start the file with ---\\nto: path/of/output.ext\\n--- (use `ggen template render` to render a body without writing)',
    });
  }
  const { vars, prolog, rdfFiles, inline } = await templateGraphInputs(t, opts);
  // sparql() calls (body, to:, other leaves, or a partial's) run synchronously during the render: their graph is
  // loaded up front.
  const callsSparql = /\bsparql\s*\(|\{%-?\s*(?:include|import|extends)\b/.test(t.source);
  const wantsGraph = Object.keys(fm.sparql).length > 0 || callsSparql || rdfFiles.length > 0 || inline.length > 0;
  const graphFiles = [...(opts.presetGraphFiles ?? []), ...rdfFiles];
  const remote = opts.graphs.remote();
  if (remote !== undefined) assertEndpointTemplate(t, rdfFiles.length + inline.length + (opts.presetGraphFiles?.length ?? 0));
  const endpoint = remote === undefined ? undefined : await remote;
  let graph: Graph | undefined;
  const loadGraph = async (): Promise<Graph> => (graph ??= await opts.graphs.get(graphFiles, inline));
  // An endpoint's answers are never cached across runs: the store can change without ggen seeing it.
  const cacheKey = endpoint === undefined && wantsGraph && opts.queryCache ? await opts.graphs.keyOf(graphFiles, inline, opts.queryCache.hashOf) : undefined;
  if (endpoint === undefined && wantsGraph && (callsSparql || cacheKey === undefined)) await loadGraph();

  const results: Record<string, ResultValue> = {};
  // A foreach from an endpoint, over a query in the store's order, renders its rows as they arrive and keeps none,
  // when nothing else in the template can see the rows (no named results, sparql(), partials or `from:` body).
  const mayStream = endpoint !== undefined && fm.foreach !== undefined && fm.from === undefined && !STREAM_BLOCKERS.test(t.source);
  let streamed: { text: string; run: QueryRunOptions } | undefined;
  for (const queryName of Object.keys(fm.sparql).sort()) {
    const text = prolog + renderLeaf(render, fm.sparql[queryName]!, vars);
    const run = { compat: t.compat, source: `query "${queryName}" in ${name}`, at: positionOf(t, `sparql.${queryName}`) };
    if (endpoint !== undefined) {
      if (mayStream && queryName === fm.foreach && endpoint.streams(text, t.compat)) streamed = { text, run };
      else results[queryName] = await runEndpointQuery(endpoint, text, run);
      continue;
    }
    const key = cacheKey === undefined ? undefined : QueryCache.key(cacheKey, text);
    let result = key === undefined ? undefined : opts.queryCache!.cache.get(key);
    if (result === undefined) {
      const fresh = queryForTemplate(await loadGraph(), text, run);
      if (fresh.kind === 'graph') {
        results[queryName] = shapeResult(fresh, text, t.compat);
        continue;
      }
      result = fresh;
      if (key !== undefined) opts.queryCache!.cache.put(key, result);
    }
    results[queryName] = shapeResult(result, text, t.compat);
  }
  const warnings: FrontmatterWarning[] = [];
  for (const queryName of Object.keys(results).sort()) {
    const value = results[queryName];
    if (Array.isArray(value) && value.length === 0) warnings.push(noRows(t, queryName, opts.strict));
  }
  // The body and `to:` see this template's graph and named results through the helpers of this render.
  const helpers: RenderOptions = createResultHelpers({
    results,
    runQuery: endpoint !== undefined ? (query) => runEndpointQuerySync(endpoint, prolog + query, { compat: t.compat, source: `sparql() in ${name}`, at: { file: name } }) : graph === undefined ? noGraph : ((g: Graph) => (query: string) => runTemplateQuery(g, prolog + query, { compat: t.compat, source: `sparql() in ${name}`, at: { file: name } }))(graph),
  });

  let body = t.body;
  let bodyLineOffset = t.bodyStartLine - 1;
  let bodyName = name;
  if (fm.from !== undefined) {
    const fromPath = resolve(dirname(t.file), renderLeaf(render, fm.from, vars));
    try {
      body = await readFile(fromPath, 'utf8');
    } catch {
      throw new GgenError('E_IO', `"from:" file not found: ${fromPath}`, { at: positionOf(t, 'from'), hint: 'from: is relative to the template file' });
    }
    opts.onFrom?.(fromPath);
    bodyLineOffset = 0;
    bodyName = fromPath;
  }

  const toPos = positionOf(t, 'to');
  const compiledTo = opts.engine.compile(fm.to, name, (toPos.line ?? 1) - 1);
  const compiledBody = opts.engine.compile(body, bodyName, bodyLineOffset);
  const baseContext: Record<string, unknown> = { ...vars, sparql_results: results };

  let rows: Array<Row | undefined> = [undefined];
  if (fm.foreach !== undefined && streamed === undefined) {
    const chosen = results[fm.foreach];
    if (chosen === undefined) {
      throw new GgenError('E_FRONTMATTER', `foreach names an unknown query "${fm.foreach}"`, {
        at: positionOf(t, 'foreach'), hint: didYouMean(fm.foreach, Object.keys(results)) ?? `declared queries: ${Object.keys(results).sort().join(', ') || 'none'}`,
      });
    }
    if (!Array.isArray(chosen)) throw new GgenError('E_FRONTMATTER', `foreach query "${fm.foreach}" is an ASK query; it needs a SELECT`, { at: positionOf(t, 'foreach') });
    rows = chosen;
  }

  const outputs: RenderedOutput[] = [];
  const renderRow = (row: Row | undefined, index: number) => {
    const context = row === undefined ? baseContext : { ...baseContext, row };
    const path = normaliseTarget(compiledTo.render(context, helpers), toPos);
    const leaf = (key: 'before' | 'after' | 'skip_if' | 'region' | 'sh_before' | 'sh_after') => {
      const v = fm[key];
      return v === undefined ? undefined : renderLeaf((source, ctx) => opts.engine.renderString(source, ctx, name, helpers), v, context);
    };
    const region = leaf('region');
    const inject = fm.inject || region !== undefined;
    const hooks = fm.sh_before === undefined && fm.sh_after === undefined ? NO_HOOKS : { before: leaf('sh_before'), after: leaf('sh_after') };
    outputs.push({
      path, template: t.display, row: row === undefined ? undefined : index, content: compiledBody.render(context, helpers), inject,
      injectOptions: inject ? { prepend: fm.prepend, append: fm.append, before: leaf('before'), after: leaf('after'), at_line: fm.at_line, skip_if: leaf('skip_if'), eof_last: fm.eof_last, region } : NOT_INJECTED,
      force: fm.force, unlessExists: fm.unless_exists, backup: fm.backup, hooks,
    });
    opts.onOutput?.();
  };
  if (streamed === undefined) {
    opts.onOutputs?.(rows.length);
    rows.forEach(renderRow);
    return { outputs, rdfFiles, vars, warnings };
  }
  // Streamed: a render that fails stops rendering (the rest of the response is drained), and fails the run after.
  let failure: { error: unknown } | undefined;
  const count = await streamEndpointQuery(endpoint!, streamed.text, streamed.run, {
    row: (row) => {
      if (failure !== undefined) return;
      try { renderRow(row, outputs.length); } catch (error) { failure = { error }; }
    },
    reset: () => { outputs.length = 0; failure = undefined; },
  });
  if (failure !== undefined) throw failure.error;
  opts.onOutputs?.(count);
  if (count === 0) warnings.push(noRows(t, fm.foreach!, opts.strict));
  return { outputs, rdfFiles, vars, warnings };
}
