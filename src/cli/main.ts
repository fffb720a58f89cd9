// The CLI program: global flags, command groups, and the mapping of errors to exit codes.
import { Command, CommanderError } from 'commander';
import { GgenError } from '../errors.js';
import { exitCodeFor, formatError } from './errors.js';
import { registerCommandGroups } from './registry.js';
import { ggenVersion } from './version.js';

export function createProgram(): Command {
  const program = new Command('ggen')
    .description('Deterministic code generation from RDF knowledge graphs: graph → SPARQL → templates → files.')
    .version(ggenVersion(), '-V, --version', 'print the ggen version')
    .option('--json', 'print machine-readable JSON where the output is data')
    .option('--quiet', 'print only results and errors')
    .option('-v, --verbose', 'print extra diagnostics')
    .option('--no-color', 'disable coloured output (also NO_COLOR=1)')
    .option('-C, --cwd <dir>', 'run as if ggen was started in <dir>')
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.hook('preAction', (_this, action) => {
    const dir = action.optsWithGlobals<{ cwd?: string }>().cwd;
    if (dir !== undefined) {
      try {
        process.chdir(dir);
      } catch (err) {
        throw new GgenError('E_USAGE', `cannot change to directory "${dir}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'check the -C/--cwd value' });
      }
    }
  });
  registerCommandGroups(program);
  program.addHelpText('after', `
Examples:
  $ ggen graph query examples/shop.ttl -q 'SELECT ?c WHERE { ?c a rdfs:Class }'
  $ ggen template render hello.tera --var name=World
  $ ggen gen templates/ --graph model.ttl --out src/generated

Environment:
  GGEN_DEBUG=1     show stack traces with errors
  NO_COLOR=1       disable colour`);
  return program;
}

/** Runs the CLI with the given arguments and returns the exit code; never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are successes; everything else commander rejects is usage.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2;
    }
    process.stderr.write(`${formatError(err, process.env.GGEN_DEBUG === '1')}\n`);
    return exitCodeFor(err);
  }
}
