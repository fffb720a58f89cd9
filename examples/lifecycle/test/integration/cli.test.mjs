// Integration test: the built CLI in dist/ runs as a real process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('dist/cli.mjs greets', () => {
  const cli = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [cli, 'World'], { env: { ...process.env, GREETING: 'Hi' }, encoding: 'utf8' });
  assert.equal(out, 'Hi, World!\n');
});
