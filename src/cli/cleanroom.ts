// `ggen cleanroom`: run declarative scenario files, each in its own isolated cleanroom.
import { Option, type Command } from 'commander';
import { GgenError } from '../errors.js';
import { outputFor, paint } from './output.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new GgenError('E_USAGE', `--jobs must be a positive integer, got "${value}"`, { hint: 'for example --jobs 2' });
  return n;
}

async function createBar(total: number): Promise<{ increment(n: number, payload: { name: string }): void; stop(): void }> {
  const { default: progress } = await import('cli-progress');
  const bar = new progress.SingleBar({ format: 'scenarios {bar} {value}/{total} {name}', stream: process.stderr, clearOnComplete: true, hideCursor: true }, progress.Presets.shades_classic);
  bar.start(total, 0, { name: '' });
  return bar;
}

export function registerCleanroom(program: Command): void {
  const cleanroom = program
    .command('cleanroom')
    .description('run tests in isolated, measured cleanrooms (private HOME, TMPDIR and caches; cleaned up after)');
  cleanroom.addHelpText('after', `
Examples:
  $ ggen cleanroom run tests/hello.toml
  $ ggen cleanroom run tests/ --jobs 2 --junit out/cleanroom.xml
  $ ggen cleanroom run tests/*.toml --json
  $ GGEN_UPDATE_GOLDEN=1 ggen cleanroom run tests/gen.toml   # accept new golden files
  $ ggen cleanroom check tests/

Scenario files are TOML: [[steps]] (write, copy, mkdir, ggen, run) and [expect]; see docs/cleanroom.md.`);

  cleanroom
    .command('run')
    .description('run scenario files (or directories of *.toml); exit 1 when any scenario fails')
    .argument('<files...>', 'scenario .toml files or directories')
    .option('--junit <file>', 'also write a JUnit XML report to <file>')
    .addOption(new Option('-j, --jobs <n>', 'scenarios to run at once').argParser(positiveInt).default(1))
    .option('--keep', 'keep the cleanroom of a failing scenario and print its path (also GGEN_KEEP=1)')
    .option('--update-golden', 'write golden files and trees from the actual output (also GGEN_UPDATE_GOLDEN=1)')
    .addHelpText('after', `
Examples:
  $ ggen cleanroom run tests/render.toml
  $ ggen cleanroom run tests/ -j 2 --junit junit.xml`)
    .action(async (files: string[], flags: { junit?: string; jobs: number; keep?: boolean; updateGolden?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { expandScenarioPaths, runScenarioFiles, formatScenarioReport, scenarioReportJson, toJUnitXml } = await import('../cleanroom/index.js');
      // A progress bar only on an interactive terminal; piped output and --json stay clean.
      const count = out.interactive ? (await expandScenarioPaths(files)).length : 0;
      const bar = count > 1 ? await createBar(count) : undefined;
      let report;
      try {
        report = await runScenarioFiles(files, {
          concurrency: flags.jobs,
          ...(flags.keep ? { keepOnFailure: true } : {}),
          ...(flags.updateGolden ? { updateGolden: true } : {}),
          config: { logger: (line) => out.info(line) },
          ...(bar ? { onResult: (r: { name: string }) => bar.increment(1, { name: r.name }) } : {}),
        });
      } finally {
        bar?.stop();
      }
      if (flags.junit !== undefined) {
        const { writeFileAtomic } = await import('../util/fs.js');
        await writeFileAtomic(flags.junit, toJUnitXml(report));
      }
      if (out.json) out.outJson(scenarioReportJson(report));
      else out.out(formatScenarioReport(report, { paint: paint(out.color) }));
      if (!report.passed) process.exitCode = 1;
    });

  cleanroom
    .command('check')
    .description('parse and check scenario files without running them')
    .argument('<files...>', 'scenario .toml files or directories')
    .addHelpText('after', `
Examples:
  $ ggen cleanroom check tests/`)
    .action(async (files: string[], _flags: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const { expandScenarioPaths, loadScenario } = await import('../cleanroom/index.js');
      const checked = [];
      for (const file of await expandScenarioPaths(files)) {
        const s = await loadScenario(file);
        checked.push({ file, name: s.name, steps: s.steps.length, expectations: s.expectations.length });
      }
      if (out.json) out.outJson(checked);
      else out.out(checked.map((c) => `ok  ${c.file}: ${c.name} (${c.steps} steps, ${c.expectations} expectations)`).join('\n'));
    });
}
