// Rust regex syntax translated to JavaScript: what matches like the regex crate, and what is refused like it.
import { describe, expect, it } from 'vitest';
import { compileRustRegex, RustRegexError } from '../../src/template/index.js';

describe('compileRustRegex', () => {
  it.each([
    ['(?i)hello', 'Say HELLO', true],
    ['(?m)^b$', 'a\nb', true],
    ['^b$', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['\\Ahello\\z', 'hello', true],
    ['(?m)\\Ab$', 'a\nb', false],
    ['(?P<y>\\d{4})', 'in 1999', true],
    ['^\\d+$', '١٢٣', true],
    ['^\\w+$', 'héllo', true],
    ['\\bwörld\\b', 'héllo wörld', true],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:alpha:]]+$', 'ab1', false],
    ['(?x) a b  # comment', 'ab', true],
    ['^(?U)a+$', 'aaa', true],
    ['\\x{1F600}', '😀', true],
    ['\\#\\&', '#&', true],
  ])('%j on %j → %s', (pattern, text, expected) => {
    expect(compileRustRegex(pattern).test(text)).toBe(expected);
  });

  it('lets a quantifier be lazy under (?U)', () => {
    expect('aaa'.match(compileRustRegex('(?U)a+'))?.[0]).toBe('a');
    expect('aaa'.match(compileRustRegex('(?U)a+?'))?.[0]).toBe('aaa');
  });

  it.each([
    ['a(?=b)', 'look-around is not supported'],
    ['(?<=a)b', 'look-around is not supported'],
    ['(a)\\1', 'back-references are not supported'],
    ['(?<y>a)', 'unsupported group'],
    ['[a-z&&[^aeiou]]', 'class set operation "&&" is not supported'],
    ['[a[b]]', 'nested character classes are not supported'],
    ['(a', 'Unterminated group'],
  ])('refuses %j', (pattern, message) => {
    expect(() => compileRustRegex(pattern)).toThrow(RustRegexError);
    expect(() => compileRustRegex(pattern)).toThrow(message);
  });
});
