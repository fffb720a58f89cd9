// `ggen` command group for lifecycle: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerLifecycle(_program: Command): void {
  // Commands are registered here as they are built.
}
