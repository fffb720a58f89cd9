// `ggen template …`: the template command group; `render` here, the authoring commands in template-authoring.ts.
import type { Command } from 'commander';
import { GgenError } from '../errors.js';
import type { TemplatePlugin } from '../template/index.js';
import { outputFor } from './output.js';
import { registerTemplateAuthoring } from './template-authoring.js';

interface RenderFlags {
  context?: string;
  var: string[];
  templatesDir?: string;
  seed?: string;
  allowPlugins?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

async function readContext(file: string): Promise<Record<string, unknown>> {
  const { readFileSync } = await import('node:fs');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new GgenError('E_IO', `cannot read context file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file } });
  }
  // Read like serde_json: `1.0` stays a float and big integers stay exact, as Tera sees them.
  const { parseContextJson } = await import('../template/index.js');
  try {
    return parseContextJson(text);
  } catch (err) {
    if (err instanceof TypeError) throw new GgenError('E_CONFIG', 'the context must be a JSON object', { at: { file }, hint: 'e.g. {"name": "World"}' });
    throw new GgenError('E_CONFIG', `context file is not valid JSON: ${(err as Error).message}`, { at: { file }, hint: 'the context is a JSON object, e.g. {"name": "World"}' });
  }
}

function parseVars(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new GgenError('E_USAGE', `--var expects KEY=VALUE, got "${pair}"`, { hint: 'e.g. --var name=World' });
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

/** The plugins of the template's project (the nearest ggen.toml above it), after the consent check. */
async function projectPlugins(cmd: Command, dir: string, allowPlugins: boolean | undefined): Promise<TemplatePlugin[]> {
  const { findProjectDir, loadPlugins, readPluginConfig } = await import('../generate/index.js');
  const projectRoot = findProjectDir(dir);
  if (projectRoot === undefined) return [];
  const config = readPluginConfig(projectRoot);
  for (const w of config.warnings) outputFor(cmd).warn(w);
  return (await loadPlugins(config.modules, { projectRoot, allowPlugins })).plugins;
}

export function registerTemplate(program: Command): void {
  const template = program.command('template').description('render and author Tera templates').addHelpText(
    'after',
    `
Examples:
  $ ggen template render hello.tera --var name=World
  $ ggen template new entity --type typescript
  $ ggen template list templates/
  $ ggen template lint templates/*.tmpl`,
  );
  template
    .command('render')
    .description('render a template file to stdout (a file with frontmatter renders its body)')
    .argument('<file>', 'template file')
    .option('-c, --context <file>', 'JSON file with the template variables')
    .option('--var <key=value>', 'set a variable (a string; repeatable; overrides --context)', collect, [] as string[])
    .option('--templates-dir <dir>', 'directory for include/import/extends (default: the template file\'s directory)')
    .option('--seed <n>', 'seed for now() and get_random(), for reproducible output')
    .option('--allow-plugins', 'load the plugin modules of the template\'s project (ggen.toml [plugins])')
    .addHelpText(
      'after',
      `
Examples:
  $ ggen template render hello.tera --var name=World
  $ ggen template render entity.tmpl --context ctx.json --templates-dir templates/
  $ ggen template render stamp.tera --seed 42`,
    )
    .action(async (file: string, flags: RenderFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const vars = parseVars(flags.var);
      const { dirname } = await import('node:path');
      const context = { ...(flags.context === undefined ? {} : await readContext(flags.context)), ...vars };
      const { renderTemplateFile } = await import('../template/index.js');
      const plugins = await projectPlugins(cmd, dirname(file), flags.allowPlugins);
      const { promptForMissing } = await import('./prompts.js');
      Object.assign(context, await promptForMissing(cmd, { templates: [file], vars: context }));
      const text = renderTemplateFile(file, {
        context,
        templatesDir: flags.templatesDir ?? dirname(file),
        seed: flags.seed,
        plugins,
      });
      if (out.json) out.outJson({ file, output: text });
      else process.stdout.write(text);
    });
  registerTemplateAuthoring(template);
}
