import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

describe('README', () => {
  const readme = readFileSync(`${repoRoot}README.md`, 'utf8');

  it('command reference matches the CLI --help', () => {
    // Throws (exit 1) with a message when the README block is stale.
    execFileSync(process.execPath, ['scripts/readme-commands.mjs', '--check'], { cwd: repoRoot, encoding: 'utf8' });
  });

  it('quick start has exactly two commands', () => {
    const quick = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
    const commands = [...quick.matchAll(/^```sh\n([\s\S]*?)```/gm)].flatMap((m) => m[1]!.trim().split('\n'));
    expect(commands).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });
});
