// `ggen template new|list|show|lint`: authoring helpers, added to the `template` group.
import type { Command } from 'commander';

export function registerTemplateAuthoring(_template: Command): void {
  // Subcommands are registered here as they are built.
}
