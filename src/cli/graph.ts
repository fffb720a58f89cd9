// `ggen` command group for graph: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerGraph(_program: Command): void {
  // Commands are registered here as they are built.
}
