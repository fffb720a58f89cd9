// `ggen init [DIR]`: scaffold a project (ggen.toml, ontology, shapes, templates, make.toml, README) and render it once.
import { Option, type Command } from 'commander';
import { relative } from 'node:path';
import { INIT_PRESET_NAMES } from '../init/index.js';
import { outputFor, paint } from './output.js';

interface InitFlags {
  preset?: string;
  pack?: string;
  force?: boolean;
  gen?: boolean;
  registry?: string[];
  offline?: boolean;
}

export function registerInit(program: Command): void {
  program.command('init')
    .description('create a project that generates and passes `ggen lifecycle run test` at once')
    .argument('[dir]', 'directory to create or fill', '.')
    .addOption(new Option('--preset <name>', 'templates to start with (default: TypeScript and Python)').choices(INIT_PRESET_NAMES))
    .option('--pack <id>', 'use a registry pack\'s templates instead (installed into ggen.lock)')
    .option('-f, --force', 'allow a non-empty directory; existing files are listed and kept, never overwritten')
    .option('--no-gen', 'do not render the outputs now (`ggen project gen` does it later)')
    .option('--registry <url>', 'registry for --pack (repeatable; default as for `ggen market add`)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--offline', 'for --pack: use only cached indexes and tarballs')
    .addHelpText('after', `
Examples:
  $ ggen init my-model
  $ ggen init api --preset typescript
  $ ggen init shop --pack io.ggen.typescript.types
  $ ggen init . --force          # in an existing directory: differing files are listed and kept`)
    .action(async (dir: string, flags: InitFlags, cmd: Command) => {
      const { initProject } = await import('../init/index.js');
      const out = outputFor(cmd);
      const result = await initProject({ dir, preset: flags.preset, pack: flags.pack, force: flags.force, generate: flags.gen !== false, registries: flags.registry, offline: flags.offline });
      const shownDir = relative(process.cwd(), result.dir) || '.';
      if (out.json) {
        out.outJson({ dir: result.dir, name: result.name, preset: result.preset ?? null, pack: result.pack ?? null, files: result.files, generated: result.generated, outputRoot: result.outputRoot ?? null, warnings: result.warnings });
        return;
      }
      for (const w of result.warnings) out.warn(w);
      const c = paint(out.color);
      const prefix = shownDir === '.' ? '' : `${shownDir}/`;
      for (const f of result.files) {
        if (f.status === 'created') out.out(`${c.green('create')}    ${prefix}${f.path}`);
        else if (f.status === 'unchanged') out.out(`${c.dim('unchanged')} ${prefix}${f.path}`);
        else out.out(`${c.yellow('kept')}      ${prefix}${f.path}  ${c.dim('(exists and differs from the scaffold; left as it was)')}`);
      }
      if (result.pack) out.out(`${c.green('install')}   ${result.pack.id}@${result.pack.version}  ${c.dim('(ggen.lock)')}`);
      const root = result.outputRoot === undefined ? undefined : relative(process.cwd(), result.outputRoot) || '.';
      for (const path of result.generated) out.out(`${c.green('generate')}  ${root === '.' ? path : `${root}/${path}`}`);
      const kept = result.files.filter((f) => f.status === 'kept').length;
      const created = result.files.filter((f) => f.status === 'created').length;
      out.summary(`initialised ${result.name}: ${created} file${created === 1 ? '' : 's'} created${kept ? `, ${kept} kept` : ''}${result.generated.length ? `, ${result.generated.length} generated` : ''}`);
      const cd = shownDir === '.' ? '' : `cd ${shownDir} && `;
      out.info(`next: ${cd}ggen lifecycle run test`);
    });
}
