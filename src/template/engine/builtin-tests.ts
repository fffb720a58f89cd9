// Tera 1.x's tests (`x is name(args)`), ported from `builtins/testers.rs`: positional arguments, the same errors.
import { compileRustRegex } from './rust-regex.js';
import { RenderError, type TestFn } from './render.js';
import { isNumber, isObject, toNum, valuesEqual } from './values.js';

function argsAllowed(name: string, max: number, got: number): void {
  if (max === 0 && got > 0) throw new RenderError(`test \`${name}\` was called with some args but this test doesn't take args`);
  if (got > max) throw new RenderError(`test \`${name}\` was called with ${got} args, the max number is ${max}`);
}

function defined(name: string, v: unknown): void {
  if (v === undefined) throw new RenderError(`test \`${name}\` was called on an undefined variable`);
}

function stringOf(name: string, part: string, v: unknown): string {
  if (typeof v !== 'string') throw new RenderError(`test \`${name}\` was called ${part} that isn't a string`);
  return v;
}

function numeric(name: string, v: unknown): number {
  if (!isNumber(v)) throw new RenderError(`test \`${name}\` was called on a variable that isn't a number`);
  return toNum(v);
}

/** Rust's f64 `%` (fmod) keeps the sign of the dividend, like JS. */
const oddTest: TestFn = (v, a) => {
  argsAllowed('odd', 0, a.length);
  defined('odd', v);
  return numeric('odd', v) % 2 !== 0;
};

export const builtinTests: Record<string, TestFn> = {
  defined: (v, a) => {
    argsAllowed('defined', 0, a.length);
    return v !== undefined;
  },
  undefined: (v, a) => {
    argsAllowed('undefined', 0, a.length);
    return v === undefined;
  },
  string: (v, a) => {
    argsAllowed('string', 0, a.length);
    defined('string', v);
    return typeof v === 'string';
  },
  number: (v, a) => {
    argsAllowed('number', 0, a.length);
    defined('number', v);
    return isNumber(v);
  },
  odd: oddTest,
  even: (v, a) => {
    argsAllowed('even', 0, a.length);
    defined('even', v);
    return !oddTest(v, a);
  },
  divisibleby: (v, a) => {
    argsAllowed('divisibleby', 1, a.length);
    defined('divisibleby', v);
    const n = numeric('divisibleby', v);
    const p = a[0];
    if (!isNumber(p)) throw new RenderError('test `divisibleby` was called with a parameter that isn\'t a number');
    return n % toNum(p) === 0;
  },
  iterable: (v, a) => {
    argsAllowed('iterable', 0, a.length);
    defined('iterable', v);
    return Array.isArray(v) || isObject(v);
  },
  object: (v, a) => {
    argsAllowed('object', 0, a.length);
    defined('object', v);
    return isObject(v);
  },
  starting_with: (v, a) => {
    argsAllowed('starting_with', 1, a.length);
    defined('starting_with', v);
    return stringOf('starting_with', 'on a variable', v).startsWith(stringOf('starting_with', 'with a parameter', a[0]));
  },
  ending_with: (v, a) => {
    argsAllowed('ending_with', 1, a.length);
    defined('ending_with', v);
    return stringOf('ending_with', 'on a variable', v).endsWith(stringOf('ending_with', 'with a parameter', a[0]));
  },
  containing: (v, a) => {
    argsAllowed('containing', 1, a.length);
    defined('containing', v);
    if (typeof v === 'string') return v.includes(stringOf('containing', 'with a parameter', a[0]));
    if (Array.isArray(v)) return v.some((x) => valuesEqual(x, a[0]));
    if (isObject(v)) return Object.hasOwn(v, stringOf('containing', 'with a parameter', a[0]));
    throw new RenderError('test `containing` can only be used on a string, an array or a map');
  },
  matching: (v, a) => {
    argsAllowed('matching', 1, a.length);
    defined('matching', v);
    const s = stringOf('matching', 'on a variable', v);
    const pattern = stringOf('matching', 'with a parameter', a[0]);
    let re: RegExp;
    try {
      // Tera uses the Rust regex crate: translate its syntax (inline flags, \A, \z, (?P<name>…), Unicode \d \w \b).
      re = compileRustRegex(pattern);
    } catch (e) {
      throw new RenderError(`test \`matching\`: invalid regular expression: ${(e as Error).message}`);
    }
    return re.test(s);
  },
};
