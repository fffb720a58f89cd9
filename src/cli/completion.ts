// `ggen completion bash|zsh|fish` prints a completion script; the hidden `ggen __complete -- WORDS…` answers it.
import { Argument, type Command } from 'commander';
import { SHELLS, completionScript, type Shell } from './completion/scripts.js';

export function registerCompletion(program: Command): void {
  program.command('completion')
    .description('print a shell completion script (bash, zsh or fish) for subcommands, flags and their values')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .addHelpText('after', `
Install:
  bash  echo 'source <(ggen completion bash)' >> ~/.bashrc
  zsh   echo 'source <(ggen completion zsh)' >> ~/.zshrc        (after compinit)
  fish  ggen completion fish > ~/.config/fish/completions/ggen.fish

Examples:
  $ ggen completion bash > /etc/bash_completion.d/ggen
  $ source <(ggen completion zsh)`)
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });

  // Called by the scripts on every TAB: the words after `ggen` up to the cursor, the last one partial (maybe empty).
  program.command('__complete', { hidden: true })
    .description('complete the given words (used by the completion scripts)')
    .argument('[words...]', 'words after `ggen`, the last one being completed')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (words: string[]) => {
      const { complete, formatCompletion } = await import('./completion/engine.js');
      let root: Command = program;
      while (root.parent) root = root.parent;
      try {
        process.stdout.write(formatCompletion(await complete(root, words)));
      } catch {
        // A TAB never prints an error into the prompt: offer nothing, let the shell fall back.
        process.stdout.write(':none\n');
      }
    });
}
