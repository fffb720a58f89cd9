// `ggen` command group for cleanroom: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerCleanroom(_program: Command): void {
  // Commands are registered here as they are built.
}
