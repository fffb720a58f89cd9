// splitFrontmatter in ggen1 mode follows gray_matter 0.3.2 as ggen 1.x used it (spec §2.1).
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../../src/template/index.js';

describe('splitFrontmatter', () => {
  it.each([
    ['---\nto: a.rs\n---\nHello, {{ name }}!\n', { frontmatter: 'to: a.rs', body: 'Hello, {{ name }}!', bodyStartLine: 4 }],
    ['---  \nto: a\n---\t\n\n\nbody\n\nend\n', { frontmatter: 'to: a', body: 'body\n\nend', bodyStartLine: 6 }],
    ['---\r\nto: a\r\n---\r\nl1\r\nl2\r\n', { frontmatter: 'to: a', body: 'l1\nl2', bodyStartLine: 4 }],
    ['no frontmatter\nline 2\n', { frontmatter: undefined, body: 'no frontmatter\nline 2', bodyStartLine: 1 }],
    ['\n\nplain\n', { frontmatter: undefined, body: 'plain', bodyStartLine: 3 }],
    ['---\nnever closed\nbody\n', { frontmatter: undefined, body: 'never closed\nbody', bodyStartLine: 2 }],
    ['---\n---\nbody', { frontmatter: '', body: 'body', bodyStartLine: 3 }],
    ['abc', { frontmatter: undefined, body: '', bodyStartLine: 1 }],
    ['--- x\nbody', { frontmatter: undefined, body: '--- x\nbody', bodyStartLine: 1 }],
  ])('%j', (text, expected) => {
    expect(splitFrontmatter(text, { compat: 'ggen1' })).toMatchObject(expected);
  });
});
