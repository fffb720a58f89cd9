// graph_query and graph_validate: the library calls behind `ggen graph query|validate`, over the project's graph.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GgenError } from '../errors.js';
import { Graph, loadGraph, shaclReportToJsonLd, sparqlSelectToJson, validateShacl } from '../graph/index.js';
import { loadProjectConfig } from '../generate/index.js';
import { guarded, jsonResult, type McpContext } from './context.js';

export const DEFAULT_ROW_LIMIT = 100;
export const MAX_ROW_LIMIT = 10_000;

const filesArg = z.array(z.string()).optional();

/** The given files (checked inside the root), else the graph files ggen.toml names, with its prefixes and base. */
async function projectGraph(ctx: McpContext, files: string[] | undefined, what: string): Promise<Graph> {
  const config = await loadProjectConfig(ctx.root, { cwd: ctx.root });
  const paths = files !== undefined && files.length > 0 ? files.map((f) => ctx.path(f, what)) : config.graphFiles;
  if (paths.length === 0) {
    throw new GgenError('E_USAGE', config.configFile ? 'ggen.toml names no graph files' : 'the project has no ggen.toml naming graph files', {
      hint: 'pass "files" (RDF files relative to the project root), or set graph = ["…"] in ggen.toml',
    });
  }
  return loadGraph(paths, { baseIri: config.baseIri, prefixes: config.prefixes });
}

export function registerGraphTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('graph_query', {
    title: 'SPARQL query over the project graph',
    description: [
      'Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the project\'s RDF graph: the files named by `graph` in ggen.toml, or the given `files`.',
      'Prefixes declared in the files and ggen.toml (and rdf, rdfs, owl, xsd, sh) may be used without PREFIX lines.',
      'SELECT returns {kind:"select", variables, rows, rowCount, truncated}; each row maps a variable to a W3C SPARQL JSON term ({type:"uri"|"literal"|"bnode", value, datatype?, xml:lang?}); unbound variables are absent.',
      'ASK returns {kind:"ask", boolean}. CONSTRUCT/DESCRIBE return {kind:"graph", turtle, triples, truncated}.',
      `At most \`limit\` rows or triples come back (default ${DEFAULT_ROW_LIMIT}); rowCount/triples is the full count. Same engine as \`ggen graph query\`.`,
    ].join(' '),
    inputSchema: {
      query: z.string().min(1).describe('SPARQL query text, e.g. "SELECT ?c ?label WHERE { ?c a rdfs:Class ; rdfs:label ?label } ORDER BY ?c"'),
      files: filesArg.describe('RDF files relative to the project root (Turtle, N-Triples, N-Quads, TriG, N3, RDF/XML, JSON-LD by extension). Default: the graph of ggen.toml'),
      limit: z.number().int().min(1).max(MAX_ROW_LIMIT).optional().describe(`most rows (SELECT) or triples (CONSTRUCT) to return; default ${DEFAULT_ROW_LIMIT}, max ${MAX_ROW_LIMIT}`),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async ({ query, files, limit }) => {
    const max = limit ?? DEFAULT_ROW_LIMIT;
    const graph = await projectGraph(ctx, files, 'graph file');
    const result = graph.query(query, { source: 'query' });
    if (result.kind === 'ask') return jsonResult({ kind: 'ask', boolean: result.value });
    if (result.kind === 'graph') {
      const lines = result.ntriples.split('\n').filter((l) => l !== '');
      if (lines.length <= max) return jsonResult({ kind: 'graph', turtle: result.turtle(), triples: lines.length, truncated: false });
      const part = await Graph.create();
      part.addPrefixes(graph.queryPrefixes);
      part.loadText(`${lines.slice(0, max).join('\n')}\n`, { format: 'ntriples' });
      return jsonResult({ kind: 'graph', turtle: part.serialize('turtle'), triples: lines.length, truncated: true });
    }
    // The W3C JSON form of the kept rows (it also spells RDF 1.2 triple terms the standard way).
    const json = JSON.parse(sparqlSelectToJson({ variables: result.variables, rows: result.rows.slice(0, max) })) as { results: { bindings: unknown[] } };
    return jsonResult({ kind: 'select', variables: result.variables, rows: json.results.bindings, rowCount: result.rows.length, truncated: result.rows.length > max });
  }));

  server.registerTool('graph_validate', {
    title: 'SHACL validation',
    description: [
      'Validate RDF data against SHACL shapes (SHACL Core), as `ggen graph validate --json` does.',
      'Data: the given `files`, or the graph of ggen.toml. Returns {conforms, violations, warnings, infos, report} where report is the W3C sh:ValidationReport as JSON-LD (sh:result entries with focus node, path, value, constraint, shape, severity, message).',
      'A graph that does not conform is a normal result (conforms:false), not a tool error.',
    ].join(' '),
    inputSchema: {
      shapes: z.array(z.string()).min(1).describe('SHACL shapes files, relative to the project root'),
      files: filesArg.describe('RDF data files relative to the project root; default: the graph of ggen.toml'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, guarded(ctx, async ({ shapes, files }) => {
    const data = await projectGraph(ctx, files, 'graph file');
    const shapesGraph = await loadGraph(shapes.map((s) => ctx.path(s, 'shapes file')));
    const report = await validateShacl(data, shapesGraph);
    return jsonResult({ conforms: report.conforms, violations: report.violations, warnings: report.warnings, infos: report.infos, report: shaclReportToJsonLd(report) });
  }));
}
