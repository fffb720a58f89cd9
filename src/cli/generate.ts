// `ggen gen` and `ggen project gen|plan|apply|diff|watch|verify`: parse flags, call src/generate, print the report.
import type { Command } from 'commander';
import { GgenError } from '../errors.js';
import type { ApplyResult, GenerationPlan, LockOptions, ProjectOverrides, ResolvedProject, RunOptions, ShaclGateReport, TemplateInput } from '../generate/index.js';
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { outputFor, paint, type Output } from './output.js';
import { promptForMissing } from './prompts.js';

/** What reports need to format SHACL results: the light start module has it, so does the index. */
type ShaclFormat = Pick<typeof import('../generate/start.js'), 'formatGateReport' | 'gateReportJson'>;

interface GenFlags {
  strict?: boolean;
  wait?: boolean;
  conflicts?: string;
  prune?: boolean;
  graph?: string[];
  shapes?: string[];
  validate?: boolean;
  var?: string[];
  out?: string;
  dryRun?: boolean;
  diff?: boolean;
  force?: boolean;
  allowHooks?: boolean;
  allowPlugins?: boolean;
  receipt?: boolean;
  compat?: string;
  seed?: string;
  base?: string;
  endpoint?: string;
  cache?: boolean;
}

/**
 * `--graph` and `--var` take several values (`--graph a.ttl b.ttl`) and may be repeated, so a positional
 * argument written after them lands in their list: hand templates/directories back to the positionals.
 */
async function regroup(positionals: string[], flags: GenFlags): Promise<string[]> {
  const { statSync } = await import('node:fs');
  const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
  const graph: string[] = [];
  const shapes: string[] = [];
  const vars: string[] = [];
  flags.graph ??= [];
  flags.var ??= [];
  const moved: string[] = [];
  for (const g of flags.graph ?? []) (g.endsWith('.tmpl') || isDir(g) ? moved : graph).push(g);
  for (const g of flags.shapes ?? []) (g.endsWith('.tmpl') || isDir(g) ? moved : shapes).push(g);
  for (const v of flags.var ?? []) (v.includes('=') ? vars : moved).push(v);
  flags.graph = graph;
  if (flags.shapes !== undefined) flags.shapes = shapes;
  flags.var = vars;
  return [...positionals, ...moved];
}

function parseVars(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new GgenError('E_USAGE', `--var expects key=value, got "${pair}"`, { hint: 'for example --var name=Customer' });
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

/** The accepted --compat and --conflicts values (shell completion offers these). */
export const COMPAT_MODES = ['ggen1'] as const;
export const CONFLICT_MODES = ['fail', 'markers'] as const;

function compatOf(flags: GenFlags): 'ggen1' | undefined {
  if (flags.compat === undefined) return undefined;
  if (!(COMPAT_MODES as readonly string[]).includes(flags.compat)) throw new GgenError('E_USAGE', `unknown compat mode "${flags.compat}"`, { hint: 'the only mode is ggen1' });
  return 'ggen1';
}

function withInputFlags(cmd: Command): Command {
  return cmd
    .option('-g, --graph <files...>', 'RDF files to load (any order; repeatable)')
    .option('--shapes <files...>', 'SHACL shapes the graph must conform to before anything renders (adds to ggen.toml shapes)')
    .option('--no-validate', 'skip the SHACL check (ggen.toml shapes, --shapes, frontmatter shape:)')
    .option('--var <key=value...>', 'template variables; override frontmatter vars defaults (repeatable)')
    .option('--out <dir>', 'output root: every to: path resolves inside it')
    .option('--compat <mode>', 'ggen1: 1.x row shape (row["?name"], N-Triples values)')
    .option('--seed <seed>', 'seed for template randomness (default 0)')
    .option('--base <iri>', 'base IRI for relative IRIs in graph files')
    .option('--strict', 'a query that returns no rows is an error, not a warning')
    .option('--endpoint <url>', 'send templates\' queries to this SPARQL 1.1 endpoint instead of loading graph files ([graph] endpoint in ggen.toml)')
    .option('--no-cache', 'render every template and run every query, even when their inputs did not change')
    .option('--allow-plugins', 'load the plugin modules listed in ggen.toml [plugins] (they run project code)');
}

function withWriteFlags(cmd: Command): Command {
  return cmd
    .option('--dry-run', 'show what would be written; write nothing')
    .option('--diff', 'print a unified diff of every change')
    .option('-f, --force', 'overwrite files that were edited by hand or not written by ggen')
    .option('--conflicts <mode>', 'when hand edits conflict with the new render: fail (default) or markers')
    .option('--prune', 'delete outputs that are no longer generated (unless edited by hand; --force deletes those too)')
    .option('--no-wait', 'fail at once when another ggen run is writing the same output root')
    .option('--allow-hooks', 'run sh_before/sh_after hooks declared by templates');
}

function conflictsOf(flags: GenFlags): 'fail' | 'markers' | undefined {
  if (flags.conflicts === undefined) return undefined;
  if (!(CONFLICT_MODES as readonly string[]).includes(flags.conflicts)) throw new GgenError('E_USAGE', `--conflicts must be fail or markers, got "${flags.conflicts}"`);
  return flags.conflicts as 'fail' | 'markers';
}

/** Waiting for another run on the same root is said once, on stderr. */
async function lockOptionsFor(cmd: Command, flags: { wait?: boolean }): Promise<LockOptions> {
  const out = outputFor(cmd);
  const { describeHolder } = await import('../util/file-lock.js');
  return {
    wait: flags.wait !== false,
    onWait: (holder, root) => out.warn(`waiting for ${describeHolder(holder)} to finish writing ${root} (--no-wait fails instead)`),
  };
}

const kindWord: Record<string, string> = { create: 'create', overwrite: 'overwrite', merge: 'merge', conflict: 'conflict', inject: 'inject', skip: 'skip', unchanged: 'unchanged', orphan: 'orphan', delete: 'delete' };
const summaryWord: Record<string, string> = { create: 'created', overwrite: 'overwritten', merge: 'merged', conflict: 'with conflicts', inject: 'injected', unchanged: 'unchanged', skip: 'skipped', orphan: 'orphaned', delete: 'deleted' };

function printWarnings(out: Output, plan: GenerationPlan, gen: ShaclFormat): void {
  for (const w of plan.warnings) {
    const where = w.at.line === undefined ? w.at.file : `${w.at.file}:${w.at.line}:${w.at.column ?? 1}`;
    out.warn(`${where}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`);
  }
  printShaclWarnings(out, gen, plan.shacl ?? []);
}

/** SHACL results that do not refuse (sh:Warning, sh:Info, custom severities): one line each, then the counts. */
function printShaclWarnings(out: Output, gen: ShaclFormat, reports: ShaclGateReport[]): void {
  for (const r of reports) {
    const [heading, ...lines] = gen.formatGateReport(r);
    out.warn(`SHACL: ${heading}`);
    for (const line of lines) out.warn(line);
  }
}

/**
 * Runs a generating command; when the SHACL gate refuses it, `--json` also gets the report on stdout (the error
 * itself, with the report, goes to stderr and exits 1 like any other).
 */
async function gated<T>(cmd: Command, fn: () => Promise<T>): Promise<T> {
  const gen = await import('../generate/index.js');
  try {
    return await fn();
  } catch (err) {
    const out = outputFor(cmd);
    if (out.json && gen.isShaclGateError(err)) out.outJson({ ok: false, error: { code: err.code, message: err.message }, shacl: err.reports.map(gen.gateReportJson) });
    throw err;
  }
}

const shaclJson = (gen: ShaclFormat, reports: ShaclGateReport[] | undefined) => ({ shacl: (reports ?? []).map(gen.gateReportJson) });

function summary(plan: GenerationPlan): string {
  const counts = new Map<string, number>();
  for (const op of plan.operations) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
  const parts = ['create', 'overwrite', 'merge', 'conflict', 'inject', 'unchanged', 'skip', 'orphan', 'delete'].filter((k) => counts.get(k)).map((k) => `${counts.get(k)} ${summaryWord[k]}`);
  return parts.join(', ') || 'nothing to do';
}

function planJson(plan: GenerationPlan, gen: ShaclFormat, extra: Record<string, unknown> = {}) {
  return {
    root: plan.root,
    operations: plan.operations.map((op) => ({ kind: op.kind, path: op.path, reason: op.reason, templates: op.templates, contentHash: op.contentHash ?? null })),
    hooks: plan.hooks.map((h) => ({ when: h.when, command: h.command, template: h.template })),
    warnings: plan.warnings.map((w) => ({ message: w.message, file: w.at.file, line: w.at.line ?? null, column: w.at.column ?? null })),
    ...(plan.stats ? { templates: { rendered: plan.stats.rendered, reused: plan.stats.reused }, graphParsed: plan.stats.graphParsed } : {}),
    ...shaclJson(gen, plan.shacl),
    ...extra,
  };
}

/** A bar over outputs while rendering, on an interactive terminal only. */
async function renderProgress(cmd: Command): Promise<{ onProgress?: (done: number, total: number, template: string) => void; stop: () => void }> {
  const out = outputFor(cmd);
  if (!out.interactive) return { stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: 'rendering {bar} {value}/{total} {name}', stream: process.stderr, clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (done, total, name) => {
      if (!started) { bar.start(total, 0, { name }); started = true; }
      bar.setTotal(total);
      bar.update(done, { name });
    },
    stop: () => { if (started) bar.stop(); },
  };
}

/** Plans, and unless a dry run applies under the root's lock, with a progress bar on a TTY; prints the report. */
async function generateAndReport(cmd: Command, options: RunOptions, flags: GenFlags): Promise<void> {
  // The daily no-op first, without loading the pipeline: a settled run repeated with nothing changed.
  if (!flags.dryRun && !flags.diff) {
    const start = await import('../generate/start.js');
    const settled = await start.runSettled({ ...options, allowHooks: flags.allowHooks });
    if (settled !== undefined) {
      report(cmd, start, settled.plan, flags, settled.applied, true, '');
      return;
    }
  }
  const gen = await import('../generate/index.js');
  const { runGeneration, planDiff, existingFileReader } = gen;
  const bar = await renderProgress(cmd);
  // Ctrl-C or a TERM while applying: stop hooks and roll back instead of leaving half a tree.
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort).on('SIGTERM', abort).on('SIGHUP', abort);
  let diffText = '';
  let run;
  try {
    const lock = await lockOptionsFor(cmd, flags);
    run = await gated(cmd, () => runGeneration({
      ...options, ...lock, dryRun: flags.dryRun, allowHooks: flags.allowHooks, signal: controller.signal, onProgress: bar.onProgress,
      // The diff is of the tree as it was planned against, so it is taken before anything is written.
      onPlanned: flags.diff ? (plan) => { bar.stop(); diffText = planDiff(plan, existingFileReader(plan.root)); } : undefined,
    }));
  } finally {
    bar.stop();
    process.off('SIGINT', abort).off('SIGTERM', abort).off('SIGHUP', abort);
  }
  report(cmd, gen, run.plan, flags, run.applied, options.writeReceipt !== false, diffText);
}

/** Prints the plan (dry run) or what applying did. */
function report(cmd: Command, gen: ShaclFormat, plan: GenerationPlan, flags: GenFlags, result: ApplyResult | undefined, writeReceipt: boolean, diffText: string): void {
  const out = outputFor(cmd);
  const c = paint(out.color);
  printWarnings(out, plan, gen);
  const dry = flags.dryRun === true;
  const receiptPath = writeReceipt && result?.receiptPath ? result.receiptPath : undefined;
  if (out.json) {
    out.outJson(planJson(plan, gen, { dryRun: dry, written: result?.written ?? [], deleted: result?.deleted ?? [], hookRuns: result?.hooks ?? [], receipt: receiptPath ?? null, ...(flags.diff ? { diff: diffText } : {}) }));
    return;
  }
  if (diffText) out.out(diffText);
  const shownRoot = relative(process.cwd(), plan.root) || '.';
  for (const op of plan.operations) {
    if ((op.kind === 'unchanged' && !out.flags.verbose) || out.flags.quiet) continue;
    const word = (dry ? `would ${kindWord[op.kind]}` : kindWord[op.kind]!).padEnd(dry ? 15 : 9);
    const colour = op.kind === 'create' ? c.green : op.kind === 'skip' || op.kind === 'unchanged' ? c.dim : op.kind === 'conflict' || op.kind === 'delete' ? c.red : c.yellow;
    const why = op.kind === 'skip' || op.kind === 'orphan' || op.kind === 'conflict' || out.flags.verbose;
    out.out(`${colour(word)} ${shownRoot === '.' ? op.path : `${shownRoot}/${op.path}`}${why ? c.dim(`  (${op.reason})`) : ''}`);
  }
  for (const hook of plan.hooks) {
    if (dry) out.out(`${c.cyan(`would run sh_${hook.when}`)} ${hook.command}  ${c.dim(`(${hook.template}${flags.allowHooks ? '' : '; needs --allow-hooks'})`)}`);
  }
  for (const run of result?.hooks ?? []) {
    out.out(`${c.cyan(`ran sh_${run.when}`)} ${run.command}  ${c.dim(`(exit ${run.exitCode})`)}`);
    for (const line of (run.stdout + run.stderr).split('\n').filter((l) => l !== '')) out.out(`  | ${line}`);
  }
  if (out.flags.verbose && plan.stats) {
    const { rendered, reused, graphParsed, shacl } = plan.stats;
    const validated = shacl && shacl.validated + shacl.skipped > 0 ? `; SHACL: ${shacl.validated} validated, ${shacl.skipped} unchanged since they passed` : '';
    out.out(c.dim(`${rendered.length} template${rendered.length === 1 ? '' : 's'} rendered, ${reused.length} reused (inputs unchanged); graph ${graphParsed ? 'parsed' : 'not parsed'}${validated}`));
  }
  out.summary(`${dry ? 'dry run: ' : ''}${summary(plan)}${receiptPath ? ` · receipt ${relative(process.cwd(), receiptPath)}` : ''}`);
}

/** A `PACK_ID` or `PACK_ID:path` reference (checked only for arguments that are not files). */
async function isPackRef(arg: string): Promise<boolean> {
  const { looksLikePackReference } = await import('../market/index.js');
  return looksLikePackReference(arg);
}

/** Resolves `gen` arguments: files and directories of templates, or `PACK_ID:path` pack references. */
async function resolveTemplateArgs(args: string[]): Promise<{ inputs: TemplateInput[]; fromDirs: string[] }> {
  const { stat } = await import('node:fs/promises');
  const { findTemplates } = await import('../generate/start.js');
  const inputs: TemplateInput[] = [];
  const fromDirs: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) {
      fromDirs.push(arg);
      for (const file of await findTemplates([arg])) inputs.push({ path: file });
    } else if (info === undefined && (await isPackRef(arg))) {
      inputs.push(...(await resolvePack(arg)));
    } else {
      inputs.push({ path: arg });
    }
  }
  return { inputs, fromDirs };
}

/** Templates of an installed pack (through ggen.lock), each labelled `PACK_ID:path` and carrying the pack's preset. */
async function resolvePack(ref: string): Promise<TemplateInput[]> {
  const { resolvePackReference } = await import('../market/index.js');
  const pack = await resolvePackReference(ref, { projectRoot: process.cwd() });
  const { relative, sep } = await import('node:path');
  return pack.templates.map((path) => ({ path, label: `${pack.packId}:${relative(pack.dir, path).split(sep).join('/')}`, preset: pack.preset }));
}

/** The project directory argument, also when it was written after --graph/--var values. */
async function projectDirArg(cmd: Command, dirArg: string, flags: GenFlags): Promise<string> {
  const extra = await regroup([], flags);
  if (extra.length > 1 || (extra.length === 1 && cmd.args.length > 0)) throw new GgenError('E_USAGE', `unexpected argument "${extra.at(-1)}"`, { hint: 'project commands take one project directory (or pack id)' });
  return extra[0] ?? dirArg;
}

/** A project's plan with the answers to its prompts, recorded like --var values so verify re-applies them. */
async function withAnswers(cmd: Command, plan: RunOptions): Promise<RunOptions> {
  const answers = await promptForMissing(cmd, { templates: plan.templates, vars: plan.vars, cwd: plan.cwd, projectRoot: plan.projectRoot });
  if (Object.keys(answers).length === 0) return plan;
  return { ...plan, vars: { ...plan.vars, ...answers }, cliVars: { ...plan.cliVars, ...answers } };
}

function overridesOf(flags: GenFlags): ProjectOverrides {
  if (flags.endpoint !== undefined && (flags.graph?.length ?? 0) > 0) throw new GgenError('E_USAGE', '--graph and --endpoint do not combine: queries go to one store', { hint: 'load the files into the store with `ggen graph load FILE --endpoint URL`' });
  return {
    graphFiles: flags.graph ?? [], shapes: flags.shapes ?? [], validate: flags.validate !== false, vars: parseVars(flags.var ?? []), outDir: flags.out, compat: compatOf(flags), seed: flags.seed, baseIri: flags.base,
    force: flags.force, conflicts: conflictsOf(flags), prune: flags.prune, strict: flags.strict, incremental: flags.cache !== false, allowPlugins: flags.allowPlugins, endpoint: flags.endpoint,
  };
}

/** Plan options from flags alone (a template file or a pack, no ggen.toml). */
function flagPlan(flags: GenFlags): Omit<ProjectOverrides, 'endpoint'> & { endpoint?: { url: string } } {
  const { endpoint, ...o } = overridesOf(flags);
  return { ...o, ...(endpoint !== undefined ? { endpoint: { url: endpoint } } : {}) };
}

/** A project directory (ggen.toml under the flags, in src/generate) or an installed pack's templates. */
async function projectSetup(cmd: Command, dir: string, flags: GenFlags): Promise<Pick<ResolvedProject, 'plan' | 'watch' | 'ignore'>> {
  const info = statSync(dir, { throwIfNoEntry: false });
  // A template file, as 1.x scripts call it (`ggen project gen hello.tmpl --var name=World`).
  if (info?.isFile()) {
    const o = flagPlan(flags);
    return { plan: { ...o, cliVars: o.vars, templates: [{ path: dir }], outDir: flags.out ?? '.', cwd: process.cwd() }, watch: [dir], ignore: [] };
  }
  if (!info?.isDirectory()) {
    if (info === undefined && (await isPackRef(dir))) {
      const templates = await resolvePack(dir);
      const o = flagPlan(flags);
      return { plan: { ...o, cliVars: o.vars, templates, outDir: flags.out ?? '.', cwd: process.cwd() }, watch: templates.map((t) => t.path), ignore: [] };
    }
    throw new GgenError('E_USAGE', info === undefined ? `project directory not found: ${dir}` : `not a directory: ${dir}`, { hint: 'project commands take a directory of templates (with an optional ggen.toml), a template file, or a pack id' });
  }
  const { resolveProject } = await import('../generate/start.js');
  const project = await resolveProject(dir, overridesOf(flags), { cwd: process.cwd() });
  for (const w of project.config.warnings) outputFor(cmd).warn(w);
  return project;
}

export function registerGenerate(program: Command): void {
  withWriteFlags(withInputFlags(program.command('gen')))
    .description('generate files from templates and an RDF graph (one file per template, or per row with foreach)')
    .argument('[template...]', 'template files, directories of *.tmpl, or PACK_ID:path pack references')
    .option('--receipt', 'keep .ggen/receipt.json and merge bases in the output root (the default)')
    .option('--no-receipt', 'keep no state: no receipt, no merge bases (overwrites then need --force)')
    .addHelpText('after', `
Examples:
  $ ggen gen templates/entity.tmpl --graph model.ttl --out src/generated
  $ ggen gen templates/ --graph model.ttl --var package=shop --dry-run
  $ ggen gen hello.tmpl --var name=World --diff
  $ ggen gen old-1x.tmpl --compat ggen1 --graph data.ttl`)
    .action(async (args: string[], _opts: GenFlags, cmd: Command) => {
      const flags = cmd.opts<GenFlags>();
      const templateArgs = await regroup(args, flags);
      if (templateArgs.length === 0) throw new GgenError('E_USAGE', 'missing template argument', { hint: 'ggen gen TEMPLATE... [--graph FILE]... [--var k=v]... [--out DIR]' });
      const { inputs } = await resolveTemplateArgs(templateArgs);
      if (inputs.length === 0) throw new GgenError('E_USAGE', 'no templates (*.tmpl) found', { hint: 'pass template files or a directory holding *.tmpl files' });
      const outDir = flags.out ?? '.';
      // `gen` runs from the working directory: its ggen.toml may list plugins.
      const { readPluginConfig } = await import('../generate/start.js');
      const pluginConfig = readPluginConfig(process.cwd());
      for (const w of pluginConfig.warnings) outputFor(cmd).warn(w);
      // Ownership by default: the output root keeps its receipt and merge bases unless --no-receipt.
      const writeReceipt = flags.receipt !== false;
      const o = flagPlan(flags);
      const vars = parseVars(flags.var ?? []);
      Object.assign(vars, await promptForMissing(cmd, { templates: inputs, vars, cwd: process.cwd() }));
      await generateAndReport(cmd, {
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        templates: inputs, graphFiles: flags.graph ?? [], vars, cliVars: vars, outDir, cwd: process.cwd(), force: flags.force,
        conflicts: conflictsOf(flags), prune: flags.prune, strict: flags.strict, compat: compatOf(flags), seed: flags.seed, baseIri: flags.base, mergeReceipt: true, hashGraph: writeReceipt, writeReceipt,
        plugins: pluginConfig.modules, allowPlugins: flags.allowPlugins, incremental: flags.cache !== false,
        shapes: flags.shapes ?? [], validate: flags.validate !== false,
      }, flags);
    });

  const project = program.command('project').description('generate a whole project: every template under a directory, with its ggen.toml')
    .addHelpText('after', `
ggen.toml (optional, in the project directory):
  templates = "templates"            # where *.tmpl live (default: the directory)
  graph = ["ontology/shop.ttl"]      # RDF files for every template
  shapes = ["shapes.ttl"]            # SHACL shapes the graph must conform to (else nothing is generated)
  output = "out"                     # output root (default: the directory)
  [vars]                             # defaults below --var, above frontmatter vars
  package = "shop"
  [plugins]                          # filters, functions, tests (docs/plugins.md)
  modules = ["./ggen.plugins.mjs"]   # load with --allow-plugins or a trusted project
  # or, from a triple store (then graph files go to [graph] files = [...]):
  # [graph]
  # endpoint = "http://localhost:8890/sparql"   # --endpoint URL overrides
  # default_graph = "http://example.org/shop"
  # auth = { user_env = "SPARQL_USER", password_env = "SPARQL_PASSWORD" }  # env var names

Examples:
  $ ggen project gen examples
  $ ggen project plan examples -o plan.json && ggen project apply plan.json
  $ ggen project diff examples --check
  $ ggen project watch examples
  $ ggen project verify examples`);

  withWriteFlags(withInputFlags(project.command('gen')))
    .description('render every template of a project (or a pack) and write the files; writes .ggen/receipt.json')
    .argument('[dir]', 'project directory or pack id', '.')
    .option('--no-receipt', 'do not write .ggen/receipt.json')
    .action(async (dir: string, _opts: GenFlags, cmd: Command) => {
      const flags = cmd.opts<GenFlags>();
      dir = await projectDirArg(cmd, dir, flags);
      const setup = await projectSetup(cmd, dir, flags);
      await generateAndReport(cmd, { ...(await withAnswers(cmd, setup.plan)), writeReceipt: flags.receipt !== false }, flags);
    });

  withInputFlags(project.command('plan'))
    .description('compute every operation (create, overwrite, inject, skip, hook) with reason and content hash; save it with -o')
    .argument('[dir]', 'project directory or pack id', '.')
    .option('-o, --output <file>', 'write the plan (with contents) to this JSON file, for `project apply`')
    .option('-f, --force', 'plan overwrites of files edited by hand')
    .action(async (dir: string, _opts: GenFlags & { output?: string }, cmd: Command) => {
      const flags = cmd.opts<GenFlags & { output?: string }>();
      dir = await projectDirArg(cmd, dir, flags);
      const gen = await import('../generate/index.js');
      const setup = await projectSetup(cmd, dir, flags);
      const answered = await withAnswers(cmd, setup.plan);
      const plan = await gated(cmd, () => gen.planGeneration(answered));
      const out = outputFor(cmd);
      printWarnings(out, plan, gen);
      if (flags.output) await gen.savePlan(plan, flags.output);
      if (out.json) {
        out.outJson(planJson(plan, gen, { planFile: flags.output ?? null }));
        return;
      }
      for (const op of plan.operations) out.out(`${op.kind.padEnd(9)} ${op.path}  ${op.contentHash ? op.contentHash.slice(0, 12) : '-'.padEnd(12)}  ${op.reason}`);
      for (const hook of plan.hooks) out.out(`${'hook'.padEnd(9)} sh_${hook.when}: ${hook.command}  (${hook.template})`);
      out.info(`${summary(plan)}${flags.output ? ` · plan written to ${flags.output}` : ''}`);
    });

  project.command('apply')
    .description('apply a plan file; refuses if any target changed since planning')
    .argument('<plan>', 'plan file from `ggen project plan -o FILE`')
    .option('--allow-hooks', 'run the sh_before/sh_after hooks listed in the plan')
    .option('--dry-run', 'show what applying would do; write nothing')
    .option('-y, --yes', 'accepted for 1.x scripts (ggen never prompts)')
    .option('--out <dir>', 'the output root to apply to; refused unless it is the one the plan was made for')
    .option('--no-receipt', 'do not write .ggen/receipt.json')
    .option('--no-wait', 'fail at once when another ggen run is writing the same output root')
    .action(async (file: string, opts: { allowHooks?: boolean; dryRun?: boolean; receipt?: boolean; out?: string; wait?: boolean }, cmd: Command) => {
      const gen = await import('../generate/index.js');
      const plan = await gen.loadPlan(file, { root: opts.out, cwd: process.cwd() });
      const writeReceipt = opts.receipt !== false;
      const run = await gen.runPlanFile(plan, { ...(await lockOptionsFor(cmd, opts)), allowHooks: opts.allowHooks, dryRun: opts.dryRun, writeReceipt });
      report(cmd, gen, plan, { allowHooks: opts.allowHooks, dryRun: opts.dryRun }, run.applied, writeReceipt, '');
    });

  withInputFlags(project.command('diff'))
    .description('unified diff of what `project gen` would change; --check exits 1 if anything would')
    .argument('[dir]', 'project directory or pack id', '.')
    .option('--check', 'exit 1 when generation would change any file (for CI)')
    .option('-f, --force', 'include files that were edited by hand')
    .action(async (dir: string, _opts: GenFlags & { check?: boolean }, cmd: Command) => {
      const flags = cmd.opts<GenFlags & { check?: boolean }>();
      dir = await projectDirArg(cmd, dir, flags);
      const gen = await import('../generate/index.js');
      const setup = await projectSetup(cmd, dir, flags);
      // The same decide step as gen: hand edits merged (conflicts shown as markers), refusals and orphans reported.
      const plan = await gated(cmd, () => gen.planGeneration(flags.force ? { ...setup.plan, force: true } : { ...setup.plan, conflicts: 'markers', refusals: 'report' }));
      const text = gen.planDiff(plan, gen.existingFileReader(plan.root));
      const changes = gen.driftOf(plan.operations, undefined);
      const out = outputFor(cmd);
      const notInDiff = plan.operations.filter((op) => op.kind === 'orphan' || op.refused !== undefined);
      printShaclWarnings(out, gen, plan.shacl ?? []);
      if (out.json) {
        out.outJson({ changed: changes.map((d) => ({ kind: plan.operations.find((op) => op.path === d.path)!.kind, path: d.path, drift: d.kind, detail: d.detail })), diff: text, ...shaclJson(gen, plan.shacl) });
      } else {
        if (text) out.out(text);
        for (const op of notInDiff) out.out(`${(op.refused !== undefined ? 'refused' : op.kind).padEnd(9)} ${op.path}  (${op.refused ?? op.reason})`);
        if (!text && notInDiff.length === 0) out.info('no changes');
      }
      if (flags.check && changes.length > 0) {
        if (!out.json) out.info(`${changes.length} file${changes.length === 1 ? '' : 's'} would change`);
        process.exitCode = 1;
      }
    });

  withInputFlags(project.command('watch'))
    .description('regenerate on change: only templates affected by a changed template or graph file are re-rendered')
    .argument('[dir]', 'project directory', '.')
    .option('--debounce <ms>', 'wait this long after the last change', '200')
    .option('-f, --force', 'overwrite files edited by hand')
    .option('--allow-hooks', 'run sh_before/sh_after hooks')
    .option('--no-wait', 'fail a regeneration at once when another ggen run is writing the output root')
    .action(async (dir: string, _opts: GenFlags & { debounce: string }, cmd: Command) => {
      const flags = cmd.opts<GenFlags & { debounce: string }>();
      dir = await projectDirArg(cmd, dir, flags);
      const gen = await import('../generate/index.js');
      const { formatError } = await import('./errors.js');
      const out = outputFor(cmd);
      const stamp = () => '[watch]';
      const debounce = Number(flags.debounce);
      if (!Number.isInteger(debounce) || debounce < 0) throw new GgenError('E_USAGE', `--debounce must be a whole number of milliseconds, got "${flags.debounce}"`);
      const watcher = await gen.watchProject({
        load: async () => {
          const setup = await projectSetup(cmd, dir, flags);
          return { plan: setup.plan, watch: setup.watch, ignore: setup.ignore };
        },
        debounceMs: debounce, allowHooks: flags.allowHooks, lock: await lockOptionsFor(cmd, flags),
        onEvent: (e) => {
          if (e.type === 'ready') out.out(`${stamp()} watching ${e.templates} template${e.templates === 1 ? '' : 's'} (${e.watching} paths); Ctrl-C to stop`);
          else if (e.type === 'change') out.out(`${stamp()} changed: ${e.paths.join(', ')} → re-rendering ${e.templates.join(', ')}`);
          else if (e.type === 'generated') out.out(`${stamp()} wrote ${e.written.length} file${e.written.length === 1 ? '' : 's'}${e.written.length ? `: ${e.written.join(', ')}` : ''} (${e.unchanged} unchanged)`);
          else out.out(`${stamp()} ${formatError(e.error, false)}\n${stamp()} still watching`);
        },
      });
      await new Promise<void>((resolvePromise) => {
        const stop = () => { void watcher.close().then(resolvePromise); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  withInputFlags(project.command('verify'))
    .description('recompute the receipt (.ggen/receipt.json) and report drift; exit 1 if anything drifted')
    .argument('[dir]', 'project directory', '.')
    .action(async (dir: string, _opts: GenFlags, cmd: Command) => {
      const flags = cmd.opts<GenFlags>();
      dir = await projectDirArg(cmd, dir, flags);
      const gen = await import('../generate/index.js');
      const setup = await projectSetup(cmd, dir, flags);
      const result = await gated(cmd, () => gen.verifyReceipt(setup.plan, { vars: parseVars(flags.var ?? []), seed: flags.seed }));
      const out = outputFor(cmd);
      printShaclWarnings(out, gen, result.shacl);
      if (out.json) out.outJson({ receipt: result.receiptPath, ok: result.drift.length === 0, drift: result.drift, kept: result.kept, ...shaclJson(gen, result.shacl) });
      else if (result.drift.length === 0) out.out('ok: outputs, templates and graph match the receipt');
      else for (const d of result.drift) out.out(`${d.kind.padEnd(17)} ${d.path}  ${d.detail}`);
      if (!out.json) for (const path of result.kept) out.debug(`kept hand edits in ${path}`);
      if (result.drift.length > 0) process.exitCode = 1;
    });
}
