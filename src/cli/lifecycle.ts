// `ggen lifecycle`: make.toml phases, hooks, workspaces, readiness. Parses flags, calls src/lifecycle, formats output.
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatLocation, GgenError } from '../errors.js';
import type { ConfigIssue, DryRunStep, LifecycleEvent, MakeToml, PipelineRow, ReadinessReport } from '../lifecycle/index.js';
import { type Output, outputFor } from './output.js';

interface RootFlags {
  root?: string;
}
interface RunFlags extends RootFlags {
  env?: string;
  dryRun?: boolean;
  force?: boolean;
}

const lib = () => import('../lifecycle/index.js');

/** The statuses `readiness-update` takes (its help and shell completion list these). */
export const READINESS_STATUSES = ['complete', 'placeholder', 'missing', 'needs-review', 'not-applicable'] as const;

function rootDir(flags: RootFlags): string {
  const root = resolve(flags.root ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new GgenError('E_USAGE', `root directory does not exist: ${flags.root ?? '.'}`, { hint: 'check the --root value' });
  return root;
}

function printWarnings(out: Output, warnings: readonly ConfigIssue[]): void {
  for (const w of warnings) out.warn(`${formatLocation(w.at)}: ${w.message}${w.hint ? `\n  hint: ${w.hint}` : ''}`);
}

async function loadMake(out: Output, flags: RootFlags): Promise<MakeToml> {
  const { loadMakeToml } = await lib();
  const { make, warnings } = loadMakeToml({ root: rootDir(flags) });
  printWarnings(out, warnings);
  return make;
}

function formatTimeout(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** Live, prefixed output: `[phase] line` at the root, `[workspace:phase] line` in a workspace. */
function eventPrinter(out: Output): (e: LifecycleEvent) => void {
  const tag = (ws: string | undefined, phase: string) => (ws === undefined ? `[${phase}]` : `[${ws}:${phase}]`);
  const suffix = (ws: string | undefined) => (ws === undefined ? '' : ` (workspace ${ws})`);
  return (e) => {
    if (out.json) {
      // Stdout carries the JSON result; the commands' own output still shows, on stderr.
      if (e.type === 'output') process.stderr.write(`${tag(e.workspace, e.phase)} ${e.line}\n`);
      return;
    }
    switch (e.type) {
      case 'phase-start':
        out.out(`Running phase: ${e.phase}${suffix(e.workspace)}`);
        break;
      case 'phase-cached':
        out.out(`Skipping phase: ${e.phase}${suffix(e.workspace)} (cached, inputs unchanged)`);
        break;
      case 'hook-command':
        out.out(`Running hook ${e.trigger}${suffix(e.workspace)}: ${e.command}`);
        break;
      case 'command':
        out.debug(`${tag(e.workspace, e.phase)} $ ${e.command}`);
        break;
      case 'output':
        (e.stream === 'stdout' ? process.stdout : process.stderr).write(`${tag(e.workspace, e.phase)} ${e.line}\n`);
        break;
      case 'phase-end':
        break;
    }
  };
}

/** Ctrl-C / SIGTERM abort the run; the runner kills the running process groups and records the run. */
async function withInterrupts<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printDryRun(out: Output, title: string, steps: DryRunStep[]): void {
  out.out(`Dry run: ${title} (nothing is executed)`);
  steps.forEach((s, i) => {
    const ws = s.workspace === undefined ? '' : ` in workspace ${s.workspace}`;
    const head = s.kind === 'phase' ? `phase ${s.name}${ws}${s.trigger === 'requested' ? '' : ` [${s.trigger}]`}` : `hook ${s.trigger}${ws}`;
    out.out(`${i + 1}. ${head}`);
    out.out(`   cwd: ${s.cwd}`);
    out.out('   env (on top of the inherited environment):');
    for (const k of Object.keys(s.env).sort()) out.out(`     ${k}=${s.env[k]}`);
    out.out(`   timeout: ${formatTimeout(s.timeoutMs)}`);
    if (s.cached !== undefined && s.kind === 'phase' && s.cached) out.out(`   cache: would skip (cached, key ${s.cacheKey!.slice(0, 12)})`);
    if (s.commands.length === 0) out.out('   (no commands)');
    else if (!s.cached) for (const c of s.commands) out.out(`   $ ${c}`);
  });
}

async function printGate(out: Output, make: MakeToml, phases: string[], force: boolean | undefined): Promise<void> {
  if (!phases.includes('deploy')) return;
  if (force) {
    out.out('readiness gate: skipped (--force)');
    return;
  }
  const { assessReadiness } = await lib();
  const r = await assessReadiness({ root: make.root, make });
  out.out(r.deployment_ready ? `readiness gate: deployment-ready (score ${r.score} ≥ ${r.threshold}, no blockers)` : `readiness gate: deploy would be refused (score ${r.score}, threshold ${r.threshold}${r.blockers.length ? `, blockers: ${r.blockers.join(', ')}` : ''})`);
}

function printSummary(out: Output, rows: PipelineRow[], phases: string[]): void {
  const workspaces = [...new Set(rows.map((r) => r.workspace))];
  const cell = (ws: string, phase: string) => {
    const r = rows.find((x) => x.workspace === ws && x.phase === phase);
    if (!r) return '-';
    return r.status === 'ok' || r.status === 'failed' ? `${r.status} ${formatMs(r.durationMs)}` : r.status;
  };
  const table = [['workspace', ...phases], ...workspaces.map((ws) => [ws === '' ? '(root)' : ws, ...phases.map((p) => cell(ws, p))])];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  out.out('');
  out.out('Pipeline summary:');
  for (const row of table) out.out(row.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd());
}

const STATUS_ICON: Record<string, string> = { Complete: '✅', Placeholder: '🚧', Missing: '❌', NeedsReview: '🔍', NotApplicable: '➖' };

function printReadiness(out: Output, r: ReadinessReport, detailed: boolean): void {
  out.out(`Production Readiness Report${r.project ? `: ${r.project}` : ''}`);
  out.out(`Overall Score: ${r.score.toFixed(1)}% (threshold ${r.threshold})`);
  out.out(`Deployment ready: ${r.deployment_ready ? 'yes' : 'no'}`);
  out.out('');
  for (const c of r.categories) out.out(`${c.category}: ${c.score.toFixed(1)}% (${c.complete}/${c.applicable} complete${c.total > c.applicable ? `, ${c.total - c.applicable} not applicable` : ''})`);
  const requirements = detailed ? r.requirements : r.requirements.filter((q) => r.blockers.includes(q.id));
  if (detailed) {
    for (const c of r.categories) {
      out.out('');
      out.out(`${c.category} requirements:`);
      for (const q of r.requirements.filter((x) => x.category === c.category)) {
        out.out(`  ${STATUS_ICON[q.status] ?? '?'} ${q.id} - ${q.name} (${q.status})`);
        for (const e of q.evidence) out.out(`      ${e}`);
      }
    }
  }
  out.out('');
  if (r.blockers.length === 0) out.out('Blockers: none');
  else {
    out.out('Blockers (Critical requirements not met):');
    for (const q of requirements.filter((x) => r.blockers.includes(x.id))) out.out(`  • ${q.id}: ${q.name} (${q.status})${detailed ? '' : ` — ${q.evidence[0] ?? 'no evidence'}`}`);
  }
}

export function registerLifecycle(program: Command): void {
  const lifecycle = program
    .command('lifecycle')
    .description('run make.toml phases with hooks, caching and workspaces; check production readiness')
    .addHelpText('after', `
Examples:
  $ ggen lifecycle list
  $ ggen lifecycle run build --env production
  $ ggen lifecycle run test deploy --dry-run
  $ ggen lifecycle pipeline build test --root monorepo
  $ ggen lifecycle graph --dot | dot -Tsvg > lifecycle.svg
  $ ggen lifecycle readiness --detailed
  $ ggen lifecycle readiness-update auth-basic not-applicable --note "CLI tool, no users"

make.toml reference: docs/lifecycle.md`);

  const rootOption = (cmd: Command) => cmd.option('--root <dir>', 'project directory holding make.toml', '.');

  rootOption(lifecycle.command('list').description('list the phases of make.toml'))
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle list --root examples/lifecycle')
    .action(async (flags: RootFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { loadLifecycleState } = await lib();
      const names = Object.keys(make.phases).sort();
      if (out.json) return out.outJson(names.map((n) => ({ name: n, description: make.phases[n]!.description ?? null, commands: make.phases[n]!.commands })));
      out.out(`Available lifecycle phases in ${make.root}:`);
      out.out('');
      if (names.length === 0) out.out('   (no phases defined)');
      for (const n of names) out.out(`  • ${n} - ${make.phases[n]!.description ?? '(no description)'}`);
      let last: string | null = null;
      try {
        last = loadLifecycleState(make.root).last_phase;
      } catch (err) {
        // Listing phases does not need the history; say why the last phase is unknown.
        out.warn((err as Error).message);
      }
      if (last) {
        out.out('');
        out.out(`Last executed: ${last}`);
      }
    });

  rootOption(lifecycle.command('show').description('show one phase: commands, settings and hooks').argument('<phase>', 'phase name'))
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle show build')
    .action(async (name: string, flags: RootFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { planInvocation } = await lib();
      planInvocation(make, [name]); // unknown phase → did-you-mean error
      const p = make.phases[name]!;
      const hooks = (key: string) => (make.hooks[key] ?? []).map((e) => (e.kind === 'phase' ? e.phase : `run: ${e.command}`));
      if (out.json) return out.outJson({ ...p, at: undefined, before: hooks(`before_${name}`), after: hooks(`after_${name}`) });
      out.out(`Phase: ${name}`);
      if (p.description) out.out(`\nDescription: ${p.description}`);
      if (p.commands.length) {
        out.out('\nCommands:');
        for (const c of p.commands) out.out(`  $ ${c}`);
      }
      const settings: string[] = [];
      if (p.cwd !== undefined) settings.push(`Working directory: ${p.cwd}`);
      if (p.watch !== undefined) settings.push(`Watch mode: ${p.watch}`);
      if (p.port !== undefined) settings.push(`Port: ${p.port}`);
      if (p.cache !== undefined) settings.push(`Caching: ${p.cache}`);
      if (p.inputs.length) settings.push(`Inputs: ${p.inputs.join(', ')}`);
      if (p.outputs.length) settings.push(`Outputs: ${p.outputs.join(', ')}`);
      if (p.timeoutMs !== undefined) settings.push(`Timeout: ${formatTimeout(p.timeoutMs)}`);
      if (p.parallel !== undefined) settings.push(`Parallel: ${p.parallel}`);
      if (p.workspaces) settings.push(`Workspaces: ${p.workspaces.join(', ')}`);
      for (const k of Object.keys(p.env).sort()) settings.push(`Env: ${k}=${p.env[k]}`);
      if (settings.length) out.out(`\n${settings.join('\n')}`);
      const before = hooks(`before_${name}`);
      const after = hooks(`after_${name}`);
      if (before.length) out.out(`\nBefore hooks:\n${before.map((h) => `  → ${h}`).join('\n')}`);
      if (after.length) out.out(`${before.length ? '' : '\n'}After hooks:\n${after.map((h) => `  → ${h}`).join('\n')}`);
    });

  rootOption(lifecycle.command('run').description('run phases at the root with their hooks (fail fast)').argument('<phases...>', 'phases to run, in order'))
    .option('-e, --env <name>', 'environment: sets GGEN_ENV and applies [env.NAME]')
    .option('--dry-run', 'print what would run, in order, with the environment; run nothing')
    .option('--force', 'rerun cached phases and deploy even when not deployment-ready')
    .addHelpText('after', `
Examples:
  $ ggen lifecycle run build
  $ ggen lifecycle run build test --env staging
  $ ggen lifecycle run deploy --dry-run
  $ ggen lifecycle run deploy --force      # skip the readiness gate

Order: before_all → before_PHASE → commands → after_PHASE → after_all (each hook once).
Env precedence: inherited < [env] < [env.ENV] < phase env < GGEN_ENV/GGEN_PHASE/GGEN_ROOT.`)
    .action(async (phases: string[], flags: RunFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { runLifecycle, describeRun, createDeployGate } = await lib();
      if (flags.dryRun) {
        const steps = describeRun({ make, phases, envName: flags.env, force: flags.force });
        if (out.json) return out.outJson(steps);
        printDryRun(out, `lifecycle run ${phases.join(' ')}`, steps);
        await printGate(out, make, phases, flags.force);
        return;
      }
      const t0 = performance.now();
      const outcomes = await withInterrupts((signal) => runLifecycle({ make, phases, envName: flags.env, force: flags.force, signal, onEvent: eventPrinter(out), gate: createDeployGate(make) }));
      if (out.json) return out.outJson(outcomes);
      out.debug(`done: ${outcomes.map((o) => `${o.phase} ${o.status}`).join(', ')} in ${formatMs(Math.round(performance.now() - t0))}`);
    });

  rootOption(lifecycle.command('pipeline').description('run phases across workspaces (depends_on order, parallel where allowed)').argument('<phases...>', 'phases to run, in order'))
    .option('-e, --env <name>', 'environment: sets GGEN_ENV and applies [env.NAME]')
    .option('--dry-run', 'print what would run, in order, with the environment; run nothing')
    .option('--force', 'rerun cached phases and deploy even when not deployment-ready')
    .addHelpText('after', `
Examples:
  $ ggen lifecycle pipeline build test
  $ ggen lifecycle pipeline lint build --root monorepo --env ci

Without [workspace.*] tables the phases run at the root. With them, each phase runs in every
workspace (or those in its "workspaces" list), dependencies first; "parallel = true" on a phase lets
independent workspaces run at once (at most one per CPU). A summary table follows.`)
    .action(async (phases: string[], flags: RunFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { runPipeline, describePipeline, createDeployGate } = await lib();
      if (flags.dryRun) {
        const { steps, warnings } = describePipeline({ make, phases, envName: flags.env, force: flags.force });
        printWarnings(out, warnings);
        if (out.json) return out.outJson(steps);
        printDryRun(out, `lifecycle pipeline ${phases.join(' ')}`, steps);
        await printGate(out, make, phases, flags.force);
        return;
      }
      const result = await withInterrupts((signal) => runPipeline({ make, phases, envName: flags.env, force: flags.force, signal, onEvent: eventPrinter(out), gate: createDeployGate(make) }));
      printWarnings(out, result.warnings);
      if (out.json) out.outJson({ rows: result.rows, error: result.error?.message ?? null });
      else printSummary(out, result.rows, phases);
      if (result.error) throw result.error;
      if (!out.json) {
        out.out('');
        out.out(`Pipeline completed: ${phases.join(' → ')}`);
      }
    });

  rootOption(lifecycle.command('graph').description('show the phase/hook/workspace DAG'))
    .option('--dot', 'print Graphviz DOT instead of text')
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle graph\n  $ ggen lifecycle graph --dot | dot -Tpng > lifecycle.png')
    .action(async (flags: RootFlags & { dot?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { renderLifecycleGraphDot, renderLifecycleGraphText } = await lib();
      out.out(flags.dot ? renderLifecycleGraphDot(make) : renderLifecycleGraphText(make));
    });

  rootOption(lifecycle.command('validate').description('check make.toml, its hooks, workspaces and commands (and readiness with --readiness)'))
    .option('-e, --env <name>', 'also check that this environment exists')
    .option('--readiness', 'also require the project to be deployment-ready')
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle validate\n  $ ggen lifecycle validate --env production --readiness')
    .action(async (flags: RootFlags & { env?: string; readiness?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const make = await loadMake(out, flags);
      const { describePipeline, assessReadiness } = await lib();
      const phases = Object.keys(make.phases).sort();
      // Planning every phase checks env, hooks, workspace directories and every command, and runs nothing.
      for (const phase of phases) describePipeline({ make, phases: [phase], envName: flags.env });
      const ws = Object.keys(make.workspaces).length;
      out.out(`make.toml is valid: ${phases.length} phase(s), ${Object.keys(make.hooks).length} hook key(s), ${ws} workspace(s)`);
      if (flags.readiness) {
        const r = await assessReadiness({ root: make.root, make });
        out.out(`readiness: score ${r.score} (threshold ${r.threshold}), ${r.blockers.length ? `blockers: ${r.blockers.join(', ')}` : 'no blockers'} → ${r.deployment_ready ? 'deployment-ready' : 'NOT deployment-ready'}`);
        if (!r.deployment_ready) process.exitCode = 1;
      }
    });

  rootOption(lifecycle.command('readiness').description('production readiness from evidence: score, requirements, blockers'))
    .option('--detailed', 'show every requirement with its evidence')
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle readiness\n  $ ggen lifecycle readiness --detailed\n  $ ggen lifecycle readiness --json | jq .deployment_ready\n\n--json (a global flag) prints the report as JSON: score, threshold, deployment_ready, blockers, categories, requirements.')
    .action(async (flags: RootFlags & { detailed?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const root = rootDir(flags);
      const { loadMakeToml, assessReadiness } = await lib();
      const make = existsSync(resolve(root, 'make.toml')) ? loadMakeToml({ root }) : undefined;
      if (make) printWarnings(out, make.warnings);
      const report = await assessReadiness({ root, make: make?.make });
      if (out.json) return out.outJson(report);
      printReadiness(out, report, flags.detailed === true);
    });

  rootOption(lifecycle.command('readiness-update').description('record a manual attestation for a readiness requirement').argument('<id>', 'requirement id (see readiness --detailed)').argument('<status>', READINESS_STATUSES.join(' | ')))
    .option('--by <name>', 'who attests (default: $GGEN_USER or the OS user)')
    .option('--note <text>', 'why, for the record')
    .addHelpText('after', '\nExamples:\n  $ ggen lifecycle readiness-update auth-basic complete --by alice --note "SSO via gateway"\n  $ ggen lifecycle readiness-update database-migrations not-applicable')
    .action(async (id: string, status: string, flags: RootFlags & { by?: string; note?: string }, cmd: Command) => {
      const out = outputFor(cmd);
      const root = rootDir(flags);
      const { loadMakeToml, updateReadiness, assessReadiness } = await lib();
      const make = existsSync(resolve(root, 'make.toml')) ? loadMakeToml({ root }).make : undefined;
      const done = updateReadiness({ root, make, id, status, by: flags.by, notes: flags.note });
      const report = await assessReadiness({ root, make });
      if (out.json) return out.outJson({ ...done, score: report.score, deployment_ready: report.deployment_ready });
      out.out(`Updated '${done.id}' to ${done.status} (attested by ${done.by} at ${done.at})`);
      out.out(`New overall score: ${report.score.toFixed(1)}% — deployment ready: ${report.deployment_ready ? 'yes' : 'no'}`);
    });
}
