// `ggen` command group for template: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerTemplate(_program: Command): void {
  // Commands are registered here as they are built.
}
