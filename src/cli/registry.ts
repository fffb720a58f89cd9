// Every command group, registered in one place. Each group module only declares commands;
// its actions import the heavy library code on first use.
import type { Command } from 'commander';
import { registerCleanroom } from './cleanroom.js';
import { registerCompletion } from './completion.js';
import { registerGenerate } from './generate.js';
import { registerGraph } from './graph.js';
import { registerInit } from './init.js';
import { registerLifecycle } from './lifecycle.js';
import { registerMarket } from './market.js';
import { registerMcp } from './mcp.js';
import { registerTemplate } from './template.js';

const groups: Array<(program: Command) => void> = [
  registerInit,
  registerGenerate, // gen, project …
  registerGraph,
  registerTemplate,
  registerMarket,
  registerLifecycle,
  registerCleanroom,
  registerMcp,
  registerCompletion,
];

export function registerCommandGroups(program: Command): void {
  for (const register of groups) register(program);
}
