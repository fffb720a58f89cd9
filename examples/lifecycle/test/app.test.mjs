// Unit tests of the request handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handle } from '../src/app.mjs';

test('health answers ok', () => {
  assert.deepEqual(handle('GET', '/health'), { status: 200, body: { status: 'ok' } });
});

test('greets by name', () => {
  assert.equal(handle('GET', '/greet', { name: 'Ada' }).body.message.endsWith(', Ada!'), true);
});

test('rejects a missing name', () => {
  assert.deepEqual(handle('GET', '/greet', {}), { status: 400, body: { error: 'name is required' } });
});
