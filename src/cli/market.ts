// `ggen` command group for market: declares commands; actions load the library lazily.
import type { Command } from 'commander';

export function registerMarket(_program: Command): void {
  // Commands are registered here as they are built.
}
