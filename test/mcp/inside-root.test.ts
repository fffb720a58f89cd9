// The path rule behind every MCP path argument: inside the root, no absolute paths, no symlinks out.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { resolveInsideRoot, shownInside } from '../../src/util/inside-root.js';

const base = mkdtempSync(join(tmpdir(), 'ggen-inside-'));
const root = join(base, 'root');
mkdirSync(join(root, 'sub'), { recursive: true });
writeFileSync(join(base, 'outside.txt'), 'x');
symlinkSync(join(base, 'outside.txt'), join(root, 'out-link'));
symlinkSync(join(root, 'sub'), join(root, 'in-link'));
symlinkSync(join(base, 'nowhere'), join(root, 'dangling'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

test.each([
  ['a.ttl', 'a.ttl'],
  ['sub/b.ttl', 'sub/b.ttl'],
  ['sub/../c.ttl', 'c.ttl'],
  ['./sub/new/deeper.ttl', 'sub/new/deeper.ttl'],
  ['sub\\win.ttl', 'sub/win.ttl'],
  ['in-link/x.ttl', 'in-link/x.ttl'],
  ['.', '.'],
])('%s resolves inside the root', (given, shown) => {
  expect(shownInside(root, resolveInsideRoot(root, given))).toBe(shown);
});

test.each([
  ['', 'path is an empty path'],
  ['..', 'path ".." is outside the project root'],
  ['../outside.txt', 'path "../outside.txt" is outside the project root'],
  ['sub/../../outside.txt', 'path "sub/../../outside.txt" is outside the project root'],
  ['/etc/passwd', 'path "/etc/passwd" is an absolute path; paths are relative to the project root'],
  ['C:\\x', 'path "C:\\x" is an absolute path; paths are relative to the project root'],
  ['out-link', 'path "out-link" leads outside the project root through a symlink'],
  ['dangling', 'path "dangling" leads outside the project root through a symlink'],
  ['dangling/below', 'path "dangling/below" leads outside the project root through a symlink'],
  ['a\nb', 'path "a\\nb" contains a control character'],
])('%j is refused', (given, message) => {
  expect(() => resolveInsideRoot(root, given)).toThrow(message);
});

test('the argument is named in the message', () => {
  expect(() => resolveInsideRoot(root, '../x', 'shapes file')).toThrow('shapes file "../x" is outside the project root');
});

test('a path outside the root is shown as is', () => {
  expect(shownInside(root, join(base, 'outside.txt'))).toBe(join(base, 'outside.txt'));
  expect(shownInside(root, 'relative/stays')).toBe('relative/stays');
});
