// ggen 1.x's own filters (register.rs): case conversions from Inflector and heck; they ignore their arguments.
import type { FilterFn } from '../engine/render.js';
import { jsonEncode } from '../engine/values.js';
import { toHeckTitleCase, toShoutyKebabCase, toShoutySnakeCase } from './heck.js';
import {
  deconstantize,
  demodulize,
  deordinalize,
  ordinalize,
  toCamelCase,
  toClassCase,
  toForeignKey,
  toKebabCase,
  toPascalCase,
  toPlural,
  toSentenceCase,
  toSingular,
  toSnakeCase,
  toTitleCase,
  toTrainCase,
} from './inflector.js';

/** A non-string input is first turned into its JSON text (`42`, `true`, `["a","b"]`), as ggen 1.x did. */
const asText = (v: unknown): string => (typeof v === 'string' ? v : jsonEncode(v));

function firstChar(s: string, map: (c: string) => string): string {
  const cp = s.codePointAt(0);
  if (cp === undefined) return '';
  const c = String.fromCodePoint(cp);
  return map(c) + s.slice(c.length);
}

const conversions: Record<string, (s: string) => string> = {
  camel: toCamelCase,
  pascal: toPascalCase,
  class: toClassCase,
  snake: toSnakeCase,
  kebab: toKebabCase,
  param: toKebabCase,
  title: toTitleCase,
  sentence: toSentenceCase,
  train: toTrainCase,
  pluralize: toPlural,
  singularize: toSingular,
  deconstantize,
  demodulize,
  ordinalize,
  deordinalize,
  foreign_key: toForeignKey,
  shouty_snake: toShoutySnakeCase,
  constant: toShoutySnakeCase,
  shouty_kebab: toShoutyKebabCase,
  titlecase: toHeckTitleCase,
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  lcfirst: (s) => firstChar(s, (c) => c.toLowerCase()),
  ucfirst: (s) => firstChar(s, (c) => c.toUpperCase()),
};

/** Case conversions are pure and the same identifiers recur across templates and renders: memoise them (bounded). */
function memoised(conv: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let r = cache.get(s);
    if (r === undefined) {
      if (cache.size >= 8192) cache.clear();
      r = conv(s);
      cache.set(s, r);
    }
    return r;
  };
}

export const ggenFilters: Record<string, FilterFn> = Object.fromEntries(
  Object.entries(conversions).map(([name, conv]) => {
    const fast = memoised(conv);
    return [name, (v: unknown) => fast(asText(v))];
  }),
);
