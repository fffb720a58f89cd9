// A faithful port of the Inflector 0.11.4 crate's case and word functions, quirks included (ggen 1.x used it).
import { UNCOUNTABLE_WORDS } from './uncountable.js';

const RE_LOWER = /^\p{Lowercase}$/u;
const RE_UPPER = /^\p{Uppercase}$/u;
const RE_ALNUM = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u;
const RE_NUMERIC = /^[\p{Nd}\p{Nl}\p{No}]$/u;

// ASCII fast paths first: these run per character in hot template loops.
export const isLowercase = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code < 128 ? code >= 97 && code <= 122 : RE_LOWER.test(c);
};
export const isUppercase = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code < 128 ? code >= 65 && code <= 90 : RE_UPPER.test(c);
};
const isAlnum = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code < 128 ? (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) : RE_ALNUM.test(c);
};
const isNumeric = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code < 128 ? code >= 48 && code <= 57 : RE_NUMERIC.test(c);
};
const asciiUpper = (c: string): string => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
const asciiLower = (c: string): string => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);
const utf8Length = (c: string): number => {
  const cp = c.codePointAt(0)!;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
};
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const charsOf = (s: string): string[] => (ASCII_ONLY.test(s) ? s.split('') : Array.from(s));

function trimRight(s: string): string {
  const chars = charsOf(s);
  let end = chars.length;
  while (end > 0 && !isAlnum(chars[end - 1]!)) end--;
  return end === chars.length ? s : chars.slice(0, end).join('');
}

const isAlnumCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLowerCode = (c: number): boolean => c >= 97 && c <= 122;

/** snakeLike for pure-ASCII input (the common case), on char codes without allocations. */
function snakeLikeAscii(s: string, sep: string, upper: boolean): string {
  let end = s.length;
  while (end > 0 && !isAlnumCode(s.charCodeAt(end - 1))) end--;
  let out = '';
  let first = true;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnumCode(c)) {
      if (!first) {
        first = true;
        out += sep;
      }
      continue;
    }
    const conv = upper ? (isLowerCode(c) ? c - 32 : c) : c >= 65 && c <= 90 ? c + 32 : c;
    // "uppercase" in Inflector means unchanged by ASCII uppercasing, so digits count too
    if (!first && !isLowerCode(c) && (isLowerCode(s.charCodeAt(i + 1)) || isLowerCode(s.charCodeAt(i - 1)))) out += sep;
    out += String.fromCharCode(conv);
    first = false;
  }
  return out;
}

function snakeLike(s: string, sep: string, upper: boolean): string {
  if (ASCII_ONLY.test(s)) return snakeLikeAscii(s, sep, upper);
  const all = charsOf(s);
  const conv = upper ? asciiUpper : asciiLower;
  let first = true;
  let result = '';
  let byteIndex = 0;
  for (const ch of charsOf(trimRight(s))) {
    // Inflector indexes characters by *byte* offset here, which misreads neighbours after non-ASCII text.
    const idx = byteIndex;
    byteIndex += utf8Length(ch);
    if (!isAlnum(ch)) {
      if (!first) {
        first = true;
        result += sep;
      }
    } else if (!first && ch === asciiUpper(ch) && (isLowercase(all[idx + 1] ?? 'A') || isLowercase(all[idx - 1] ?? 'A'))) {
      first = false;
      result += sep + conv(ch);
    } else {
      first = false;
      result += conv(ch);
    }
  }
  return result;
}

interface CamelOptions {
  newWord: boolean;
  firstWord: boolean;
  injectable: string;
  hasSeparator: boolean;
  inverted: boolean;
}

function camelLike(s: string, o: CamelOptions): string {
  let newWord = o.newWord;
  let firstWord = o.firstWord;
  let lastChar = ' ';
  let found = false;
  let result = '';
  for (const ch of trimRight(s)) {
    if (!isAlnum(ch) && found) newWord = true;
    else if (!found && !isAlnum(ch)) continue;
    else if (isNumeric(ch)) {
      found = true;
      newWord = true;
      result += ch;
    } else if (newWord || (isLowercase(lastChar) && isUppercase(ch) && lastChar !== ' ')) {
      found = true;
      newWord = false;
      if (o.hasSeparator && !firstWord) result += o.injectable;
      result += !o.inverted || firstWord ? asciiUpper(ch) : asciiLower(ch);
      firstWord = false;
    } else {
      found = true;
      lastChar = ch;
      result += asciiLower(ch);
    }
  }
  return result;
}

export const toCamelCase = (s: string): string => camelLike(s, { newWord: false, firstWord: false, injectable: ' ', hasSeparator: false, inverted: false });
export const toPascalCase = (s: string): string => camelLike(s, { newWord: true, firstWord: false, injectable: ' ', hasSeparator: false, inverted: false });
export const toTitleCase = (s: string): string => camelLike(s, { newWord: true, firstWord: true, injectable: ' ', hasSeparator: true, inverted: false });
export const toSentenceCase = (s: string): string => camelLike(s, { newWord: true, firstWord: true, injectable: ' ', hasSeparator: true, inverted: true });
export const toTrainCase = (s: string): string => camelLike(s, { newWord: true, firstWord: true, injectable: '-', hasSeparator: true, inverted: false });
export const toSnakeCase = (s: string): string => snakeLike(s, '_', false);
export const toKebabCase = (s: string): string => snakeLike(s, '-', false);
export const toScreamingSnakeCase = (s: string): string => snakeLike(s, '_', true);

export function toClassCase(s: string): string {
  const pascal = toPascalCase(s);
  let at = 0;
  const chars = Array.from(pascal);
  let offset = 0;
  for (const c of chars) {
    if (isUppercase(c)) at = offset;
    offset += c.length;
  }
  return pascal.slice(0, at) + toSingular(pascal.slice(at));
}

// Rust's regex `\w` is Unicode-aware.
const W = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';
const rx = (source: string): RegExp => new RegExp(source.replaceAll('\\w', W), 'u');

const PLURAL_RULES: Array<[RegExp, string]> = [
  [rx('(\\w*)s$'), 's'],
  [rx('(\\w*([^aeiou]ese))$'), ''],
  [rx('(\\w*(ax|test))is$'), 'es'],
  [rx('(\\w*(alias|[^aou]us|tlas|gas|ris))$'), 'es'],
  [rx('(\\w*(e[mn]u))s?$'), 's'],
  [rx('(\\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$'), ''],
  [rx('(\\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$'), 'i'],
  [rx('(\\w*(alumn|alg|vertebr))(?:a|ae)$'), 'ae'],
  [rx('(\\w*(seraph|cherub))(?:im)?$'), 'im'],
  [rx('(\\w*(her|at|gr))o$'), 'oes'],
  [rx('(\\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$'), 'a'],
  [rx('(\\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$'), 'a'],
  [rx('(\\w*)sis$'), 'ses'],
  [rx('(\\w*(kni|wi|li))fe$'), 'ves'],
  [rx('(\\w*(ar|l|ea|eo|oa|hoo))f$'), 'ves'],
  [rx('(\\w*([^aeiouy]|qu))y$'), 'ies'],
  [rx('(\\w*([^ch][ieo][ln]))ey$'), 'ies'],
  [rx('(\\w*(x|ch|ss|sh|zz)es)$'), ''],
  [rx('(\\w*(x|ch|ss|sh|zz))$'), 'es'],
  [rx('(\\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$'), 'ices'],
  [rx('(\\w*(m|l)(?:ice|ouse))$'), 'ice'],
  [rx('(\\w*(pe)(?:rson|ople))$'), 'ople'],
  [rx('(\\w*(child))(?:ren)?$'), 'ren'],
  [rx('(\\w*eaux)$'), ''],
];

const SINGULAR_RULES: Array<[RegExp, string]> = [
  [rx('(\\w*)s$'), ''],
  [rx('(\\w*)(ss)$'), '$2'],
  [rx('(n)ews$'), 'ews'],
  [rx('(\\w*)(o)es$'), ''],
  [rx('(\\w*)([ti])a$'), 'um'],
  [rx('((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$'), 'sis'],
  [rx('(^analy)(sis|ses)$'), 'sis'],
  [rx('(\\w*)([^f])ves$'), 'fe'],
  [rx('(\\w*)(hive)s$'), ''],
  [rx('(\\w*)(tive)s$'), ''],
  [rx('(\\w*)([lr])ves$'), 'f'],
  [rx('(\\w*([^aeiouy]|qu))ies$'), 'y'],
  [rx('(s)eries$'), 'eries'],
  [rx('(m)ovies$'), 'ovie'],
  [rx('(\\w*)(x|ch|ss|sh)es$'), '$2'],
  [rx('(m|l)ice$'), 'ouse'],
  [rx('(bus)(es)?$'), ''],
  [rx('(shoe)s$'), ''],
  [rx('(cris|test)(is|es)$'), 'is'],
  [rx('^(a)x[ie]s$'), 'xis'],
  [rx('(octop|vir)(us|i)$'), 'us'],
  [rx('(alias|status)(es)?$'), ''],
  [rx('^(ox)en'), ''],
  [rx('(vert|ind)ices$'), 'ex'],
  [rx('(matr)ices$'), 'ix'],
  [rx('(quiz)zes$'), ''],
  [rx('(database)s$'), ''],
];

const PLURAL_SPECIAL: Record<string, string> = { ox: 'oxen', man: 'men', woman: 'women', die: 'dice', yes: 'yeses', foot: 'feet', eave: 'eaves', goose: 'geese', tooth: 'teeth', quiz: 'quizzes' };
const SINGULAR_SPECIAL: Record<string, string> = { oxen: 'ox', boxes: 'box', men: 'man', women: 'woman', dice: 'die', yeses: 'yes', feet: 'foot', eaves: 'eave', geese: 'goose', teeth: 'tooth', quizzes: 'quiz' };

/** Inflector's to_plural: rules tried from last to first; only the first capture group survives (a quirk). */
export function toPlural(s: string): string {
  if (UNCOUNTABLE_WORDS.has(s)) return s;
  if (Object.hasOwn(PLURAL_SPECIAL, s)) return PLURAL_SPECIAL[s]!;
  for (let i = PLURAL_RULES.length - 1; i >= 0; i--) {
    const [re, replace] = PLURAL_RULES[i]!;
    const m = re.exec(s);
    if (m?.[1] !== undefined) return m[1] + replace;
  }
  return `${s}s`;
}

/** regex::Captures::expand: `$N`, `${N}` and `$$` in the replacement template. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, what: string, braced?: string, bare?: string) => {
    if (what === '$') return '$';
    const name = braced ?? bare ?? '';
    return /^\d+$/.test(name) ? (m[Number(name)] ?? '') : '';
  });
}

export function toSingular(s: string): string {
  if (UNCOUNTABLE_WORDS.has(s)) return s;
  if (Object.hasOwn(SINGULAR_SPECIAL, s)) return SINGULAR_SPECIAL[s]!;
  for (let i = SINGULAR_RULES.length - 1; i >= 0; i--) {
    const [re, replace] = SINGULAR_RULES[i]!;
    const m = re.exec(s);
    if (m?.[1] !== undefined) return expand(m[1] + replace, m);
  }
  return s;
}

export function deconstantize(s: string): string {
  if (!s.includes('::')) return '';
  const parts = s.split('::');
  return parts.length > 1 ? toClassCase(parts[parts.length - 2]!) : '';
}

export function demodulize(s: string): string {
  if (!s.includes('::')) return s;
  const parts = s.split('::');
  return toClassCase(parts[parts.length - 1]!);
}

export function ordinalize(s: string): string {
  const chars = Array.from(s);
  if (chars.length === 0) return '';
  const last = chars[chars.length - 1]!;
  if (!isNumeric(last)) return s;
  if (chars.length > 1) {
    if (chars[chars.length - 2] === '1') return `${s}th`;
    if (s.includes('.')) return s;
  }
  if (last === '1') return `${s}st`;
  if (last === '2') return `${s}nd`;
  if (last === '3') return `${s}rd`;
  return `${s}th`;
}

function trimEndMatches(s: string, pat: string): string {
  let out = s;
  while (out.endsWith(pat)) out = out.slice(0, -pat.length);
  return out;
}

export function deordinalize(s: string): string {
  if (s.includes('.')) return s;
  return trimEndMatches(trimEndMatches(trimEndMatches(trimEndMatches(s, 'st'), 'nd'), 'rd'), 'th');
}

export function toForeignKey(s: string): string {
  const last = s.includes('::') ? s.split('::').pop()! : s;
  const snake = toSnakeCase(last);
  return snake.endsWith('_id') ? snake : `${snake}_id`;
}
