// `ggen template new|list|show|lint`: authoring helpers, added to the `template` group.
import { Option, type Command } from 'commander';
import { formatLocation } from '../errors.js';
import { outputFor, paint } from './output.js';

export function registerTemplateAuthoring(template: Command): void {
  template.command('new')
    .description('create a starter template that parses, lints clean and renders')
    .argument('<name>', 'template name (written to templates/NAME.tmpl)')
    .option('-t, --type <type>', 'generic, typescript, python or rust (the typed ones use foreach over rdfs:Class)', 'generic')
    .option('-d, --dir <dir>', 'directory to create it in', 'templates')
    .addOption(new Option('--template-type <type>', 'ggen 1.x spelling of --type').hideHelp())
    .addHelpText('after', `
Examples:
  $ ggen template new hello
  $ ggen template new entity --type typescript --dir examples/templates`)
    .action(async (name: string, opts: { type: string; templateType?: string; dir: string }, cmd: Command) => {
      const { scaffoldTemplate } = await import('../generate/index.js');
      const file = await scaffoldTemplate(name, { dir: opts.dir, kind: opts.templateType ?? opts.type });
      const out = outputFor(cmd);
      const { relative } = await import('node:path');
      if (out.json) out.outJson({ created: relative(process.cwd(), file) });
      else out.out(`created ${relative(process.cwd(), file)}`);
    });

  template.command('list')
    .description('list templates (*.tmpl, recursively) with their output path and description')
    .argument('[dir]', 'directory to search (default: templates/ if it exists, else .)')
    .addHelpText('after', `
Examples:
  $ ggen template list
  $ ggen template list examples/templates --json`)
    .action(async (dir: string | undefined, _opts: unknown, cmd: Command) => {
      const { listTemplates } = await import('../generate/index.js');
      const { existsSync } = await import('node:fs');
      const chosen = dir ?? (existsSync('templates') ? 'templates' : '.');
      const items = await listTemplates(chosen);
      const out = outputFor(cmd);
      if (out.json) {
        out.outJson(items);
        return;
      }
      if (items.length === 0) out.info(`no templates in ${chosen}`);
      const width = Math.max(0, ...items.map((i) => i.path.length));
      for (const item of items) {
        const detail = item.error ? `error: ${item.error}` : `→ ${item.to ?? '(no to:)'}${item.description ? `  ${item.description}` : ''}`;
        out.out(`${item.path.padEnd(width)}  ${detail}`);
      }
    });

  template.command('show')
    .description('show a template: parsed frontmatter, output path, queries and variables')
    .argument('<file>', 'template file')
    .addHelpText('after', `
Examples:
  $ ggen template show examples/templates/typescript.tmpl
  $ ggen template show hello.tmpl --json`)
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const { describeTemplate } = await import('../generate/index.js');
      const info = await describeTemplate(file, file);
      const out = outputFor(cmd);
      if (out.json) {
        out.outJson(info);
        return;
      }
      const lines = [`template: ${info.path}`];
      if (info.description) lines.push(`description: ${info.description}`);
      lines.push(`output: ${info.to ?? '(none: no to:)'}${info.inject ? ' (injection)' : ''}`);
      if (info.foreach) lines.push(`foreach: ${info.foreach} (one output per row)`);
      if (info.compat) lines.push(`compat: ${info.compat}`);
      if (info.rdf.length) lines.push(`rdf: ${info.rdf.join(', ')}`);
      const prefixes = Object.entries(info.prefixes);
      if (prefixes.length) lines.push('prefixes:', ...prefixes.map(([p, iri]) => `  ${p}: <${iri}>`));
      const vars = Object.entries(info.vars);
      lines.push(vars.length ? 'variables (defaults; --var overrides):' : 'variables: none declared', ...vars.map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`));
      const prompts = Object.entries(info.prompts);
      if (prompts.length) lines.push('prompts (asked on a terminal when no value is given):', ...prompts.map(([k, p]) => `  ${k}: ${JSON.stringify(p.prompt)}${p.choices ? ` one of ${p.choices.join(', ')}` : ''}${p.default === undefined ? '' : ` (default ${JSON.stringify(p.default)})`}`));
      if (info.inputs.length) lines.push(`undeclared inputs: ${info.inputs.join(', ')}`);
      const queries = Object.entries(info.queries).sort(([a], [b]) => (a < b ? -1 : 1));
      lines.push(queries.length ? 'queries:' : 'queries: none');
      for (const [name, text] of queries) lines.push(`  ${name}:`, ...text.trimEnd().split('\n').map((l) => `    ${l}`));
      if (info.hooks.sh_before) lines.push(`sh_before: ${info.hooks.sh_before}`);
      if (info.hooks.sh_after) lines.push(`sh_after: ${info.hooks.sh_after}`);
      out.out(lines.join('\n'));
    });

  template.command('lint')
    .description('check templates: frontmatter schema, body syntax, SPARQL syntax and prefixes, undefined/unused variables')
    .argument('<files...>', 'template files')
    .option('-g, --graph <file>', 'RDF file whose prefixes the queries may use (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--strict', 'a variable used but not declared is an error (it may otherwise come from --var)')
    .option('--allow-plugins', 'load the plugin modules of the template\'s project (ggen.toml [plugins])')
    .addHelpText('after', `
Examples:
  $ ggen template lint templates/*.tmpl
  $ ggen template lint entity.tmpl --graph model.ttl --json`)
    .action(async (files: string[], opts: { graph: string[]; strict?: boolean; allowPlugins?: boolean }, cmd: Command) => {
      const { lintTemplate } = await import('../generate/index.js');
      const out = outputFor(cmd);
      const c = paint(out.color);
      const report: Array<{ file: string; issues: Awaited<ReturnType<typeof lintTemplate>> }> = [];
      for (const file of files) report.push({ file, issues: await lintTemplate(file, { display: file, graphFiles: opts.graph, strict: opts.strict, allowPlugins: opts.allowPlugins }) });
      const errors = report.reduce((n, r) => n + r.issues.filter((i) => i.severity === 'error').length, 0);
      const warnings = report.reduce((n, r) => n + r.issues.filter((i) => i.severity === 'warning').length, 0);
      if (out.json) {
        out.outJson({ ok: errors === 0, errors, warnings, files: report.map((r) => ({ file: r.file, issues: r.issues.map((i) => ({ severity: i.severity, message: i.message, file: i.at.file, line: i.at.line ?? null, column: i.at.column ?? null, hint: i.hint ?? null })) })) });
      } else {
        for (const r of report) {
          for (const i of r.issues) {
            out.out(`${formatLocation(i.at)}: ${i.severity === 'error' ? c.red('error') : c.yellow('warning')}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}`);
          }
        }
        out.info(`${files.length} template${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
      }
      if (errors > 0) process.exitCode = 1;
    });
}
