// `ggen graph …`: query, export, stats, validate, diff and snapshot RDF files. Actions load the graph library lazily.
import { Option, type Command } from 'commander';
import { GgenError } from '../errors.js';
import { outputFor, type Output } from './output.js';

type GraphLib = typeof import('../graph/index.js');

interface InputFlags {
  inputFormat?: string;
  base?: string;
}

const loadLib = (): Promise<GraphLib> => import('../graph/index.js');

function withInputOptions(cmd: Command): Command {
  return cmd
    .option('-i, --input-format <format>', 'RDF format of the input files when the extension does not say (turtle, ntriples, nquads, trig, n3, rdfxml, jsonld)')
    .option('-b, --base <iri>', 'base IRI for relative IRIs in the input');
}

async function loadInputs(lib: GraphLib, files: string[], flags: InputFlags) {
  let format: ReturnType<GraphLib['parseRdfFormat']>;
  if (flags.inputFormat !== undefined) {
    format = lib.parseRdfFormat(flags.inputFormat);
    if (format === undefined) throw new GgenError('E_USAGE', `unknown RDF format "${flags.inputFormat}"`, { hint: `use one of ${lib.RDF_FORMATS.join(', ')}` });
  }
  if (flags.base !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(flags.base)) throw new GgenError('E_USAGE', `base IRI "${flags.base}" is not absolute`, { hint: 'use e.g. --base http://example.org/' });
  return lib.loadGraph(files, { format, baseIri: flags.base });
}

const QUERY_FORMATS = ['table', 'json', 'csv', 'tsv'] as const;
type QueryFormat = (typeof QUERY_FORMATS)[number];

export const EXPORT_TARGETS = { ttl: 'turtle', nt: 'ntriples', nq: 'nquads', trig: 'trig', jsonld: 'jsonld', rdfxml: 'rdfxml' } as const;

interface EndpointFlags {
  endpoint?: string;
  defaultGraph?: string[];
  namedGraph?: string[];
  userEnv?: string;
  passwordEnv?: string;
  tokenEnv?: string;
  timeout?: string;
}

function withEndpointOptions(cmd: Command): Command {
  return cmd
    .option('--endpoint <url>', 'a SPARQL 1.1 endpoint (http://…/sparql) instead of RDF files')
    .option('--user-env <name>', 'endpoint: environment variable holding the user name (Basic auth)')
    .option('--password-env <name>', 'endpoint: environment variable holding the password (Basic auth)')
    .option('--token-env <name>', 'endpoint: environment variable holding a bearer token')
    .option('--timeout <ms>', 'endpoint: timeout per request in ms (default 60000)');
}

/** The endpoint client from the flags; credentials come from the named variables only. */
async function endpointOf(flags: EndpointFlags, dataset: { defaultGraphs?: string[]; namedGraphs?: string[] } = {}) {
  const { SparqlEndpoint } = await import('../graph/index.js');
  if ((flags.userEnv === undefined) !== (flags.passwordEnv === undefined)) throw new GgenError('E_USAGE', '--user-env and --password-env go together', { hint: 'or use --token-env NAME for a bearer token' });
  const auth = flags.tokenEnv !== undefined ? { tokenEnv: flags.tokenEnv } : flags.userEnv !== undefined ? { userEnv: flags.userEnv, passwordEnv: flags.passwordEnv! } : undefined;
  const timeoutMs = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) throw new GgenError('E_USAGE', `--timeout must be a positive whole number of ms, got "${flags.timeout}"`);
  return new SparqlEndpoint({ url: flags.endpoint!, ...dataset, ...(auth ? { auth } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
}

/**
 * CSV/TSV from an endpoint are written row by row as the results stream in, so a SELECT of any size runs in
 * constant memory. Rows already printed cannot be taken back: a connection lost after them is an error.
 */
async function streamRows(endpoint: import('../graph/index.js').SparqlEndpoint, sparql: string, source: string, format: 'csv' | 'tsv', lib: GraphLib, out: Output): Promise<void> {
  const render = format === 'csv' ? lib.sparqlSelectToCsv : lib.sparqlSelectToTsv;
  const eol = format === 'csv' ? '\r\n' : '\n';
  let variables: string[] | undefined;
  let early: import('../graph/index.js').Bindings[] = [];
  let buffer = '';
  let printed = 0;
  const flush = () => { if (buffer) { process.stdout.write(buffer); buffer = ''; } };
  const line = (row: import('../graph/index.js').Bindings) => {
    const text = render({ variables: variables!, rows: [row] });
    buffer += text.slice(text.indexOf(eol) + eol.length);
    printed++;
    if (buffer.length > 1 << 16) flush();
  };
  const head = await endpoint.stream(sparql, { source }, {
    head: (v) => { variables = v; buffer += render({ variables: v, rows: [] }); },
    row: (row) => { if (variables === undefined) early.push(row); else line(row); },
    reset: () => {
      if (printed > 0) throw new GgenError('E_NETWORK', `endpoint ${endpoint.url}: ${source}: the connection was lost after ${printed} rows were printed`, { hint: 'run the query again' });
      variables = undefined; early = []; buffer = '';
    },
  });
  endpoint.assertComplete(head, { source });
  if (variables === undefined) {
    variables = head.variables;
    buffer += render({ variables, rows: [] });
    for (const row of early) line(row);
  }
  flush();
  out.info(`${head.rows} ${head.rows === 1 ? 'row' : 'rows'}`);
}

function registerQuery(graph: Command): void {
  withEndpointOptions(withInputOptions(
    graph
      .command('query')
      .description('run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over RDF files or a SPARQL endpoint')
      .argument('[files...]', 'RDF files to load (format from the extension); none with --endpoint')
      .option('-q, --query <sparql>', 'the SPARQL query text')
      .option('--query-file <file>', 'read the SPARQL query from a file')
      .option('--default-graph <iri...>', 'endpoint: default-graph-uri of the query dataset')
      .option('--named-graph <iri...>', 'endpoint: named-graph-uri of the query dataset')
      .addOption(new Option('--format <format>', 'output format for results').choices([...QUERY_FORMATS]).default('table')),
  )).action(async (files: string[], flags: InputFlags & EndpointFlags & { query?: string; queryFile?: string; format: QueryFormat }, cmd: Command) => {
    const out = outputFor(cmd);
    if ((flags.query === undefined) === (flags.queryFile === undefined)) {
      throw new GgenError('E_USAGE', flags.query === undefined ? 'no query given' : 'give either -q or --query-file, not both', { hint: "use -q 'SELECT …' or --query-file query.rq" });
    }
    if (flags.endpoint !== undefined && files.length > 0) throw new GgenError('E_USAGE', 'give RDF files or --endpoint, not both', { hint: 'load files into the store with `ggen graph load FILE --endpoint URL`' });
    if (flags.endpoint === undefined && files.length === 0) throw new GgenError('E_USAGE', 'no RDF files given', { hint: 'ggen graph query FILE... -q \'SELECT …\' (or --endpoint URL)' });
    const lib = await loadLib();
    let sparql = flags.query ?? '';
    let source = 'query';
    if (flags.queryFile !== undefined) {
      const { readTextFile } = await import('../util/fs.js');
      sparql = await readTextFile(flags.queryFile, { what: 'query file' });
      source = flags.queryFile;
    }
    let result: import('../graph/index.js').QueryResult;
    let prefixes: Record<string, string> = {};
    if (flags.endpoint !== undefined) {
      const endpoint = await endpointOf(flags, { defaultGraphs: flags.defaultGraph, namedGraphs: flags.namedGraph });
      const format: QueryFormat = out.json ? 'json' : flags.format;
      const { queryKind } = await import('../graph/index.js');
      if ((format === 'csv' || format === 'tsv') && queryKind(sparql) === 'select') {
        await streamRows(endpoint, sparql, source, format, lib, out);
        return;
      }
      const r = await endpoint.query(sparql, { source });
      if (r.kind === 'graph') {
        // Sorted N-Triples as the embedded store gives them; Turtle uses the prefixes the query declares.
        const g = await lib.Graph.create();
        g.loadText(r.ntriples, { format: 'ntriples', source: flags.endpoint });
        const ntriples = g.serialize('ntriples');
        const declared = Object.fromEntries([...sparql.matchAll(/PREFIX\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>/gi)].map((m) => [m[1]!, m[2]!]));
        result = { kind: 'graph', ntriples, turtle: () => lib.serializeRdfQuads(ntriples, 'turtle', declared) };
      } else result = r;
      prefixes = lib.RDF_WELL_KNOWN_PREFIXES;
    } else {
      const graph = await loadInputs(lib, files, flags);
      result = graph.query(sparql, { source });
      prefixes = graph.queryPrefixes;
    }
    const format: QueryFormat = out.json ? 'json' : flags.format;
    if (result.kind === 'ask') {
      out.out(format === 'json' ? lib.sparqlAskToJson(result.value) : String(result.value));
    } else if (result.kind === 'graph') {
      if (format === 'csv' || format === 'tsv') throw new GgenError('E_USAGE', `--format ${format} is for SELECT results; CONSTRUCT/DESCRIBE print Turtle (or JSON-LD with --format json)`);
      if (format === 'json') {
        const g = await lib.Graph.create();
        g.loadText(result.ntriples, { format: 'ntriples' });
        out.out(g.serialize('jsonld'));
      } else out.out(result.turtle());
    } else {
      const text =
        format === 'json' ? lib.sparqlSelectToJson(result)
        : format === 'csv' ? lib.sparqlSelectToCsv(result)
        : format === 'tsv' ? lib.sparqlSelectToTsv(result)
        : lib.sparqlSelectToTable(result, prefixes);
      process.stdout.write(text);
      out.info(`${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'}`);
    }
  });
}

function registerLoad(graph: Command): void {
  withEndpointOptions(withInputOptions(
    graph
      .command('load')
      .description('upload RDF files into a SPARQL store (Graph Store HTTP Protocol, or INSERT DATA where the store has none)')
      .argument('<files...>', 'RDF files to upload (parsed by ggen: every format it reads, lexical forms as written)')
      .option('--graph-iri <iri>', 'target named graph (default: the store\'s default graph)')
      .option('--replace', 'replace the graph\'s contents instead of adding to them')
      .option('--graph-store <url>', 'Graph Store endpoint (default: the --endpoint URL; Virtuoso: http://host:8890/sparql-graph-crud)'),
  )).action(async (files: string[], flags: InputFlags & EndpointFlags & { graphIri?: string; replace?: boolean; graphStore?: string }, cmd: Command) => {
    const out = outputFor(cmd);
    if (flags.endpoint === undefined) throw new GgenError('E_USAGE', 'graph load needs --endpoint URL', { hint: 'ggen graph load FILE... --endpoint http://host:8890/sparql [--graph-iri IRI] [--replace]' });
    if (flags.graphIri !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(flags.graphIri)) throw new GgenError('E_USAGE', `--graph-iri "${flags.graphIri}" is not an absolute IRI`, { hint: 'use e.g. --graph-iri http://example.org/graph' });
    const { loadIntoEndpoint } = await import('../graph/index.js');
    const lib = await loadLib();
    const format = flags.inputFormat === undefined ? undefined : lib.parseRdfFormat(flags.inputFormat);
    if (flags.inputFormat !== undefined && format === undefined) throw new GgenError('E_USAGE', `unknown RDF format "${flags.inputFormat}"`, { hint: `use one of ${lib.RDF_FORMATS.join(', ')}` });
    const endpoint = await endpointOf(flags);
    const r = await loadIntoEndpoint(endpoint, { files, graphIri: flags.graphIri, replace: flags.replace, graphStore: flags.graphStore, baseIri: flags.base, format });
    if (out.json) out.outJson({ endpoint: endpoint.url, graph: r.graph || null, triples: r.triples, method: r.method, replaced: flags.replace === true });
    else out.summary(`${flags.replace ? 'replaced' : 'loaded'} ${r.triples} ${r.triples === 1 ? 'triple' : 'triples'} into ${r.graph ? `<${r.graph}>` : 'the default graph'} at ${endpoint.url} (${r.method === 'graph-store' ? 'Graph Store protocol' : 'SPARQL UPDATE'})`);
  });
}

function registerExport(graph: Command): void {
  withInputOptions(
    graph
      .command('export')
      .description('convert RDF files to one syntax (sorted, deterministic)')
      .argument('<files...>', 'RDF files to load')
      .requiredOption('--to <format>', `output syntax: ${Object.keys(EXPORT_TARGETS).join('|')} (or a format name: turtle, ntriples, n3, …)`)
      .option('-o, --output <file>', 'write to this file (atomically) instead of stdout'),
  ).action(async (files: string[], flags: InputFlags & { to: string; output?: string }, cmd: Command) => {
    const out = outputFor(cmd);
    const lib = await loadLib();
    const target = EXPORT_TARGETS[flags.to as keyof typeof EXPORT_TARGETS] ?? lib.parseRdfFormat(flags.to);
    if (target === undefined) throw new GgenError('E_USAGE', `unknown export format "${flags.to}"`, { hint: `use --to ${Object.keys(EXPORT_TARGETS).join('|')}` });
    const graph = await loadInputs(lib, files, flags);
    const text = graph.serialize(target);
    if (flags.output === undefined) {
      process.stdout.write(text);
      return;
    }
    const { writeFileAtomic } = await import('../util/fs.js');
    await writeFileAtomic(flags.output, text);
    if (out.json) out.outJson({ output: flags.output, format: target, quads: graph.size, bytes: Buffer.byteLength(text) });
    else out.info(`exported ${graph.size} ${graph.size === 1 ? 'statement' : 'statements'} to ${flags.output} (${Buffer.byteLength(text)} bytes)`);
  });
}

function registerStats(graph: Command): void {
  withInputOptions(
    graph
      .command('stats')
      .description('count triples, subjects, predicates, objects, classes and predicates in RDF files')
      .argument('<files...>', 'RDF files to load')
      .option('--top <n>', 'how many classes and predicates to list', '10'),
  ).action(async (files: string[], flags: InputFlags & { top: string }, cmd: Command) => {
    const out = outputFor(cmd);
    const top = Number(flags.top);
    if (!Number.isInteger(top) || top < 0) throw new GgenError('E_USAGE', `--top must be a whole number, got "${flags.top}"`);
    const lib = await loadLib();
    const graph = await loadInputs(lib, files, flags);
    const stats = lib.computeGraphStats(graph, { top });
    if (out.json) {
      out.outJson(stats);
      return;
    }
    const name = (iri: string) => (iri.startsWith('_:') ? iri : (lib.rdfCompactIri(iri, graph.queryPrefixes) ?? `<${iri}>`));
    const lines = [
      `triples:     ${stats.triples}`,
      `quads:       ${stats.quads}`,
      `subjects:    ${stats.subjects}`,
      `predicates:  ${stats.predicates}`,
      `objects:     ${stats.objects}`,
      `named graphs: ${stats.namedGraphs.length}`,
    ];
    for (const g of stats.namedGraphs) lines.push(`  ${name(g.graph)}  ${g.triples}`);
    lines.push(`classes:     ${stats.classes.length}`);
    // --top bounds both lists; what is left out is counted, not dropped silently.
    const more = (n: number) => `  … ${n} more (--top ${top + n} lists all)`;
    for (const c of stats.classes.slice(0, top)) lines.push(`  ${name(c.class)}  ${c.instances}`);
    if (stats.classes.length > top) lines.push(more(stats.classes.length - top));
    lines.push(`top predicates:`);
    for (const p of stats.topPredicates) lines.push(`  ${name(p.predicate)}  ${p.triples}`);
    if (stats.predicates > stats.topPredicates.length) lines.push(more(stats.predicates - stats.topPredicates.length));
    out.out(lines.join('\n'));
  });
}

function printShaclReport(out: Output, lib: GraphLib, report: Awaited<ReturnType<GraphLib['validateShacl']>>, prefixes: Record<string, string>): void {
  const show = (t: Parameters<GraphLib['rdfDisplayTerm']>[0]) => lib.rdfDisplayTerm(t, prefixes);
  const iri = (value: string) => lib.rdfCompactIri(value, prefixes) ?? `<${value}>`;
  const compactPath = (path: string) => path.replace(/<([^>]*)>/g, (_m, p: string) => iri(p));
  if (report.conforms) {
    out.out('conforms: no SHACL results');
    return;
  }
  const others = Object.entries(report.otherSeverities).map(([severity, n]) => `, ${n} ${iri(severity)}`).join('');
  const lines = [`does not conform: ${report.violations} ${report.violations === 1 ? 'violation' : 'violations'}, ${report.warnings} ${report.warnings === 1 ? 'warning' : 'warnings'}, ${report.infos} info${others}`];
  report.results.forEach((r, i) => {
    const severity = ['Violation', 'Warning', 'Info'].includes(r.severity) ? r.severity : iri(r.severity);
    lines.push('', `${i + 1}. ${severity}: ${r.message || '(no message)'}`, `   focus node: ${show(r.focusNode)}`);
    if (r.path !== undefined) lines.push(`   path:       ${compactPath(r.path)}`);
    if (r.value !== undefined) lines.push(`   value:      ${show(r.value)}`);
    lines.push(`   constraint: ${iri(r.constraint)}`, `   shape:      ${show(r.shape)}`);
  });
  out.out(lines.join('\n'));
}

function registerValidate(graph: Command): void {
  withInputOptions(
    graph
      .command('validate')
      .description('validate RDF files against SHACL shapes (SHACL Core); exit 1 on violations')
      .argument('<files...>', 'RDF data files')
      .requiredOption('--shapes <files...>', 'SHACL shapes files'),
  ).action(async (files: string[], flags: InputFlags & { shapes: string[] }, cmd: Command) => {
    const out = outputFor(cmd);
    const lib = await loadLib();
    const data = await loadInputs(lib, files, flags);
    const shapes = await loadInputs(lib, flags.shapes, flags);
    const report = await lib.validateShacl(data, shapes);
    if (out.json) out.outJson(lib.shaclReportToJsonLd(report));
    else printShaclReport(out, lib, report, { ...shapes.queryPrefixes, ...data.queryPrefixes });
    if (report.violations > 0) process.exitCode = 1;
  });
}

function registerDiff(graph: Command): void {
  withInputOptions(
    graph
      .command('diff')
      .description('show statements removed from A and added in B (blank-node aware); exit 1 when they differ')
      .argument('<a>', 'the old RDF file')
      .argument('<b>', 'the new RDF file'),
  ).action(async (a: string, b: string, flags: InputFlags, cmd: Command) => {
    const out = outputFor(cmd);
    const lib = await loadLib();
    const graphA = await loadInputs(lib, [a], flags);
    const graphB = await loadInputs(lib, [b], flags);
    const diff = await lib.diffGraphs(graphA, graphB);
    if (out.json) out.outJson({ equal: diff.equal, removed: diff.removed, added: diff.added });
    else if (diff.equal) out.out(`graphs are equal (${graphA.size} ${graphA.size === 1 ? 'statement' : 'statements'})`);
    else {
      out.out([`--- ${a}`, `+++ ${b}`, ...diff.removed.map((l) => `- ${l}`), ...diff.added.map((l) => `+ ${l}`), `${diff.removed.length} removed, ${diff.added.length} added`].join('\n'));
    }
    if (!diff.equal) process.exitCode = 1;
  });
}

function registerSnapshot(graph: Command): void {
  const snapshot = graph
    .command('snapshot')
    .description('record a graph (canonical hash, counts, statements) and later check it has not changed')
    .addHelpText('after', `
Examples:
  $ ggen graph snapshot create model.ttl vocab.nq -o model.snapshot.json
  $ ggen graph snapshot verify model.snapshot.json model.ttl vocab.nq`);
  withInputOptions(
    snapshot
      .command('create')
      .description('write a snapshot of the graph loaded from FILE...')
      .argument('<files...>', 'RDF files to load')
      .requiredOption('-o, --output <snap>', 'snapshot file to write'),
  ).action(async (files: string[], flags: InputFlags & { output: string }, cmd: Command) => {
    const out = outputFor(cmd);
    const lib = await loadLib();
    const graphToSnap = await loadInputs(lib, files, flags);
    const snap = await lib.createGraphSnapshot(graphToSnap, files);
    const { writeFileAtomic } = await import('../util/fs.js');
    await writeFileAtomic(flags.output, `${JSON.stringify(snap, null, 2)}\n`);
    if (out.json) out.outJson({ output: flags.output, hash: snap.hash, counts: snap.counts });
    else out.out(`snapshot ${flags.output}: ${snap.counts.triples} triples, hash ${snap.hash}`);
  });
  withInputOptions(
    snapshot
      .command('verify')
      .description('check that FILE... still give the graph recorded in SNAP; exit 1 and show what changed if not')
      .argument('<snap>', 'snapshot file')
      .argument('<files...>', 'RDF files to load'),
  ).action(async (snapPath: string, files: string[], flags: InputFlags, cmd: Command) => {
    const out = outputFor(cmd);
    const lib = await loadLib();
    const snap = await lib.readGraphSnapshot(snapPath);
    const current = await loadInputs(lib, files, flags);
    const result = await lib.verifyGraphSnapshot(snap, current, files);
    if (!result.ok) process.exitCode = 1;
    if (out.json) {
      out.outJson(result);
      return;
    }
    if (result.ok) {
      out.out(`snapshot matches: ${result.counts.actual.triples} triples, hash ${result.actualHash}`);
      return;
    }
    const lines = [`snapshot does not match: ${snapPath}`, `  hash: expected ${result.expectedHash}`, `        actual   ${result.actualHash}`];
    const e = result.counts.expected;
    const c = result.counts.actual;
    for (const key of ['triples', 'quads', 'subjects', 'predicates', 'objects', 'namedGraphs'] as const) {
      if (e[key] !== c[key]) lines.push(`  ${key}: ${e[key]} -> ${c[key]} (${c[key] > e[key] ? '+' : ''}${c[key] - e[key]})`);
    }
    for (const f of result.files) lines.push(`  file ${f.change}: ${f.path}`);
    lines.push(...result.diff.removed.map((l) => `- ${l}`), ...result.diff.added.map((l) => `+ ${l}`));
    lines.push(`${result.diff.removed.length} removed, ${result.diff.added.length} added`);
    out.out(lines.join('\n'));
  });
}

export function registerGraph(program: Command): void {
  const graph = program
    .command('graph')
    .description('load RDF, query it with SPARQL, export, count, validate (SHACL), diff and snapshot it')
    .addHelpText('after', `
Files: Turtle (.ttl), N-Triples (.nt), N-Quads (.nq), TriG (.trig), N3 (.n3), RDF/XML (.rdf, .owl, .xml),
JSON-LD (.jsonld, .json); -i/--input-format names the format otherwise. Queries see the union of all
files and named graphs; GRAPH ?g { … } still addresses named graphs. Prefixes declared in the files
(and rdf, rdfs, owl, xsd, sh) may be used in queries without PREFIX lines.

Examples:
  $ ggen graph query model.ttl -q 'SELECT ?c ?label WHERE { ?c a owl:Class ; rdfs:label ?label } ORDER BY ?c'
  $ ggen graph query model.ttl --query-file classes.rq --format json
  $ ggen graph export model.ttl extra.nq --to jsonld -o model.jsonld
  $ ggen graph stats model.ttl --json
  $ ggen graph validate model.ttl --shapes shapes.ttl
  $ ggen graph diff old.ttl new.ttl
  $ ggen graph snapshot create model.ttl -o model.snapshot.json
  $ ggen graph snapshot verify model.snapshot.json model.ttl`);
  registerQuery(graph);
  registerLoad(graph);
  registerExport(graph);
  registerStats(graph);
  registerValidate(graph);
  registerDiff(graph);
  registerSnapshot(graph);
}
