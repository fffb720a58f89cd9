// `ggen` command group for generate: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerGenerate(_program: Command): void {
  // Commands are registered here as they are built.
}
