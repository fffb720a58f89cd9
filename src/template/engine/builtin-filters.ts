// Tera 1.x's built-in filters, ported from `builtins/filters/*.rs` with their argument names and edge cases.
import { asArray, asBool, asF64, asI64, asI64Exact, asString, asUsize, need } from './args.js';
import { formatDate } from './date.js';
import { RenderError, type FilterFn } from './render.js';
import { slugify } from './slug.js';
import { charCount, graphemes, rustTrim, rustTrimEnd, rustTrimStart, RUST_WS_RUN } from './text.js';
import { compareUtf8, F64, f64ToI64, I64_MAX, I64_MIN, isNumber, isObject, jsonEncode, makeFloat, normInt, renderValue, toNum, valuesEqual } from './values.js';

const str = (name: string, v: unknown): string => asString(`filter \`${name}\``, 'value', v);
const arr = (name: string, v: unknown): unknown[] => asArray(`filter \`${name}\``, 'value', v);
const argOf = <T>(name: string, args: Record<string, unknown>, key: string, conv: (o: string, a: string, v: unknown) => T, fallback: T): T =>
  Object.hasOwn(args, key) ? conv(`filter \`${name}\``, key, args[key]) : fallback;

/** Tera's get_json_pointer for attribute paths like `a.b` or `a["b.c"]`. */
export function attributePath(attr: string): string[] {
  if (attr.includes('"')) return (attr.match(/"[^"]*"|[^.]+/g) ?? []).map((s) => s.replace(/^"|"$/g, ''));
  return attr.split('.');
}

function pointer(v: unknown, segs: string[] | null): unknown {
  if (segs === null) return v;
  let cur = v;
  for (const seg of segs) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (isObject(cur)) {
      if (!Object.hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function unescapePattern(p: string): string {
  // Tera reads `\n` and `\t` typed in templates as the control characters.
  return p.replaceAll('\\n', '\n').replaceAll('\\t', '\t');
}

function rustSplit(s: string, pat: string): string[] {
  if (pat === '') return ['', ...Array.from(s), ''];
  return s.split(pat);
}

function trimStartMatches(s: string, pat: string): string {
  if (pat === '') return s;
  let out = s;
  while (out.startsWith(pat)) out = out.slice(pat.length);
  return out;
}

function trimEndMatches(s: string, pat: string): string {
  if (pat === '') return s;
  let out = s;
  while (out.endsWith(pat)) out = out.slice(0, out.length - pat.length);
  return out;
}

const PYTHON_SAFE = /[A-Za-z0-9\-._~/%]/;

function percentEncode(s: string, keep: (c: string) => boolean): string {
  let out = '';
  for (const ch of s) {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80 && keep(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Rust's i64::from_str_radix: optional sign, then digits of the base only. */
/** Rust's `i64::from_str_radix`: an optional sign, then digits of the base; undefined when invalid or beyond i64. */
function parseRadix(s: string, base: number): number | bigint | undefined {
  const m = /^([+-]?)(.+)$/s.exec(s);
  if (m === null) return undefined;
  const digits = m[2]!.toLowerCase();
  const valid = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (digits === '' || ![...digits].every((c) => valid.includes(c))) return undefined;
  let n = 0n;
  for (const c of digits) n = n * BigInt(base) + BigInt(valid.indexOf(c));
  if (m[1] === '-') n = -n;
  return n < I64_MIN || n > I64_MAX ? undefined : normInt(n);
}

/** Rust's `str::parse::<f64>`: decimal or exponent forms, `inf`, `NaN`; no hex, no inner spaces. */
function parseRustFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** f64::round: half away from zero. */
const rustRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

function sortKeyKind(v: unknown): 'bool' | 'number' | 'string' | 'array' {
  if (v === null || v === undefined) throw new RenderError('Null is not a sortable value');
  if (typeof v === 'boolean') return 'bool';
  if (isNumber(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  throw new RenderError('Object is not a sortable value');
}

/** humansize 2's WINDOWS format (1024-based, `kB`/`MB` names) or BINARY (`KiB`/`MiB`), as Tera 1.20 uses it. */
function fileSize(n: number, binary: boolean): string {
  const units = binary ? ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = n;
  let i = 0;
  while (size >= 1024) {
    size /= 1024;
    i++;
  }
  const places = size % 1 === 0 ? 0 : 2;
  return `${size.toFixed(places)} ${units[i]}`;
}

export const builtinFilters: Record<string, FilterFn> = {
  upper: (v) => str('upper', v).toUpperCase(),
  lower: (v) => str('lower', v).toLowerCase(),
  trim: (v) => rustTrim(str('trim', v)),
  trim_start: (v) => rustTrimStart(str('trim_start', v)),
  trim_end: (v) => rustTrimEnd(str('trim_end', v)),
  trim_start_matches: (v, a) => trimStartMatches(str('trim_start_matches', v), unescapePattern(asString('filter `trim_start_matches`', 'pat', need('filter `trim_start_matches`', a, 'pat')))),
  trim_end_matches: (v, a) => trimEndMatches(str('trim_end_matches', v), unescapePattern(asString('filter `trim_end_matches`', 'pat', need('filter `trim_end_matches`', a, 'pat')))),
  truncate: (v, a) => {
    const s = str('truncate', v);
    const length = argOf('truncate', a, 'length', asUsize, 255);
    const end = argOf('truncate', a, 'end', asString, '…');
    const g = graphemes(s);
    if (length >= g.length) return s;
    return g.slice(0, length).join('') + end;
  },
  wordcount: (v) => (str('wordcount', v).match(new RegExp(`[^${RUST_WS_RUN.source.slice(1, -2)}]+`, 'gu')) ?? []).length,
  replace: (v, a) => {
    const s = str('replace', v);
    const from = asString('filter `replace`', 'from', need('filter `replace`', a, 'from'));
    const to = asString('filter `replace`', 'to', need('filter `replace`', a, 'to'));
    if (from === '') return to + Array.from(s).join(to) + (s === '' ? '' : to);
    return s.split(from).join(to);
  },
  capitalize: (v) => {
    const s = str('capitalize', v);
    if (/^[\x00-\x7f]*$/.test(s)) return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
    const chars = Array.from(s);
    if (chars.length === 0) return '';
    return chars[0]!.toUpperCase() + chars.slice(1).join('').toLowerCase();
  },
  title: (v) => str('title', v).replace(/\b([\p{L}\p{N}_])([\p{L}\p{N}_]*)\b/gu, (_m, f: string, r: string) => f.toUpperCase() + r.toLowerCase()),
  // Tera 1.20 (the version ggen 1.x pinned) added `indent` and `abs`; ported from its source.
  indent: (v, a) => {
    const s = str('indent', v);
    const prefix = argOf('indent', a, 'prefix', asString, '    ');
    const first = argOf('indent', a, 'first', asBool, false);
    const blank = argOf('indent', a, 'blank', asBool, false);
    // Rust's str::lines(): no empty line after a final newline, and a `\r` before `\n` is dropped.
    const lines = s === '' ? [] : s.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines
      .map((raw, i) => {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const indented = i === 0 ? first : blank || rustTrimStart(line) !== '';
        return indented ? prefix + line : line;
      })
      .join('\n');
  },
  linebreaksbr: (v) => str('linebreaksbr', v).replaceAll('\r\n', '<br>').replaceAll('\n', '<br>'),
  striptags: (v) => str('striptags', v).replace(/(<!--.*?-->|<[^>]*>)/g, ''),
  spaceless: (v) => str('spaceless', v).replace(new RegExp(`>${RUST_WS_RUN.source}<`, 'gu'), '><'),
  urlencode: (v) => percentEncode(str('urlencode', v), (c) => PYTHON_SAFE.test(c)),
  urlencode_strict: (v) => percentEncode(str('urlencode_strict', v), (c) => /[A-Za-z0-9]/.test(c)),
  escape: (v) =>
    str('escape', v).replace(/[&<>"'/]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' })[c]!),
  escape_xml: (v) => str('escape_xml', v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!),
  slugify: (v) => slugify(str('slugify', v)),
  addslashes: (v) => str('addslashes', v).replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll("'", "\\'"),
  split: (v, a) => rustSplit(str('split', v), unescapePattern(asString('filter `split`', 'pat', need('filter `split`', a, 'pat')))),
  int: (v, a) => {
    const def = argOf('int', a, 'default', asI64Exact, 0);
    const base = argOf('int', a, 'base', asUsize, 10);
    if (typeof v === 'string') {
      let s = rustTrim(v);
      if (base === 2) s = trimStartMatches(s, '0b');
      else if (base === 8) s = trimStartMatches(s, '0o');
      else if (base === 16) s = trimStartMatches(s, '0x');
      const n = base >= 2 && base <= 36 ? parseRadix(s, base) : undefined;
      if (n !== undefined) return n;
      if (s.includes('.')) {
        const f = parseRustFloat(s);
        return f === undefined ? def : f64ToI64(f);
      }
      return def;
    }
    // serde_json's as_f64 always succeeds, so an integer goes through f64 too (`f as i64`, saturating).
    if (isNumber(v)) return f64ToI64(toNum(v));
    throw new RenderError('filter `int` received an unexpected type');
  },
  float: (v, a) => {
    const def = argOf('float', a, 'default', asF64, 0);
    // serde_json turns a non-finite f64 into null
    const finite = (x: number): number | F64 | null => (Number.isFinite(x) ? makeFloat(x) : null);
    if (typeof v === 'string') return finite(parseRustFloat(rustTrim(v)) ?? def);
    if (isNumber(v)) return finite(toNum(v));
    throw new RenderError('filter `float` received an unexpected type');
  },
  first: (v) => {
    const x = arr('first', v);
    return x.length === 0 ? '' : x[0];
  },
  last: (v) => {
    const x = arr('last', v);
    return x.length === 0 ? '' : x[x.length - 1];
  },
  nth: (v, a) => {
    const x = arr('nth', v);
    if (x.length === 0) return '';
    if (!Object.hasOwn(a, 'n')) throw new RenderError('the `nth` filter has to have an `n` argument');
    const n = asUsize('filter `nth`', 'n', a.n);
    return n < x.length ? x[n] : '';
  },
  join: (v, a) => {
    const x = arr('join', v);
    // Tera 1.20 turns a literal `\n` / `\t` in the separator into a newline / tab (as when read from a file).
    const sep = argOf('truncate', a, 'sep', asString, '').replaceAll('\\n', '\n').replaceAll('\\t', '\t');
    return x.map((i) => renderValue(i)).join(sep);
  },
  sort: (v, a) => {
    const x = arr('sort', v);
    if (x.length === 0) return x;
    const attribute = argOf('sort', a, 'attribute', asString, '');
    const segs = attribute === '' ? null : attributePath(attribute);
    const keyOf = (item: unknown): unknown => {
      const k = pointer(item, segs);
      if (k === undefined) throw new RenderError(`attribute '${attribute}' does not reference a field`);
      return k;
    };
    const kind = sortKeyKind(keyOf(x[0]));
    const pairs = x.map((item) => {
      const k = keyOf(item);
      const ok = kind === 'bool' ? typeof k === 'boolean' : kind === 'number' ? isNumber(k) : kind === 'string' ? typeof k === 'string' : Array.isArray(k);
      if (!ok) throw new RenderError(`expected ${kind} got ${jsonEncode(k)}`);
      const key = kind === 'number' ? toNum(k as number | F64) : k;
      if (kind === 'number' && !Number.isFinite(key as number)) throw new RenderError(`${String(key)} cannot be sorted`);
      return [item, key] as const;
    });
    const cmp = (p: unknown, q: unknown): number => {
      if (kind === 'string') return compareUtf8(p as string, q as string);
      if (kind === 'array') return (p as unknown[]).length - (q as unknown[]).length;
      return (p as number) < (q as number) ? -1 : (p as number) > (q as number) ? 1 : 0;
    };
    return pairs.sort((p, q) => cmp(p[1], q[1])).map((p) => p[0]);
  },
  unique: (v, a) => {
    const x = arr('unique', v);
    if (x.length === 0) return x;
    const caseSensitive = argOf('unique', a, 'case_sensitive', asBool, false);
    const attribute = argOf('unique', a, 'attribute', asString, '');
    const segs = attribute === '' ? null : attributePath(attribute);
    const first = pointer(x[0], segs);
    if (first === undefined) throw new RenderError(`attribute '${attribute}' does not reference a field`);
    if (first instanceof F64) throw new RenderError('Unique floats are not implemented');
    const kind = first === null ? 'null' : Array.isArray(first) ? 'array' : typeof first;
    if (kind === 'null') throw new RenderError('Null is not a unique value');
    if (kind === 'array') throw new RenderError('Unique arrays are not implemented');
    if (kind === 'object') throw new RenderError('Unique objects are not implemented');
    if (kind === 'number' && !Number.isInteger(first)) throw new RenderError('Unique floats are not implemented');
    const seen = new Set<unknown>();
    const out: unknown[] = [];
    for (const item of x) {
      const k = pointer(item, segs);
      if (k === undefined) continue;
      const kk = k === null ? 'null' : Array.isArray(k) ? 'array' : k instanceof F64 ? 'number' : typeof k;
      if (kk !== kind) throw new RenderError("unique filter can't compare multiple types");
      if (kind === 'number' && (k instanceof F64 || !Number.isInteger(k))) throw new RenderError(`expected number got ${jsonEncode(k)}`);
      const key = kind === 'string' && !caseSensitive ? (k as string).toLowerCase() : k;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
    return out;
  },
  slice: (v, a) => {
    const x = arr('slice', v);
    if (x.length === 0) return x;
    const idx = (i: number): number => (i >= 0 ? Math.floor(i) : Math.max(0, Math.floor(x.length + i)));
    const start = Object.hasOwn(a, 'start') ? idx(asF64('filter `slice`', 'start', a.start)) : 0;
    let end = Object.hasOwn(a, 'end') ? idx(asF64('filter `slice`', 'end', a.end)) : x.length;
    if (end > x.length) end = x.length;
    if (start >= end) return [];
    return x.slice(start, end);
  },
  group_by: (v, a) => {
    const x = arr('group_by', v);
    if (x.length === 0) return {};
    if (!Object.hasOwn(a, 'attribute')) throw new RenderError('the `group_by` filter has to have an `attribute` argument');
    const segs = attributePath(asString('filter `group_by`', 'attribute', a.attribute));
    const grouped: Record<string, unknown[]> = {};
    for (const item of x) {
      const k = pointer(item, segs);
      if (k === undefined || k === null) continue;
      const key = typeof k === 'string' ? k : jsonEncode(k);
      (grouped[key] ??= []).push(item);
    }
    return grouped;
  },
  filter: (v, a) => {
    const x = arr('filter', v);
    if (x.length === 0) return x;
    if (!Object.hasOwn(a, 'attribute')) throw new RenderError('the `filter` filter has to have an `attribute` argument');
    const segs = attributePath(asString('filter `filter`', 'attribute', a.attribute));
    const want = Object.hasOwn(a, 'value') ? a.value : null;
    return x.filter((item) => {
      const got = pointer(item, segs) ?? null;
      return want === null ? got !== null : valuesEqual(got, want);
    });
  },
  map: (v, a) => {
    const x = arr('map', v);
    if (x.length === 0) return x;
    if (!Object.hasOwn(a, 'attribute')) throw new RenderError('the `map` filter has to have an `attribute` argument');
    const segs = attributePath(asString('filter `map`', 'attribute', a.attribute));
    return x.map((item) => pointer(item, segs)).filter((y) => y !== undefined && y !== null);
  },
  concat: (v, a) => {
    const x = [...arr('concat', v)];
    if (!Object.hasOwn(a, 'with')) throw new RenderError('the `concat` filter has to have a `with` argument');
    const w = a.with;
    if (Array.isArray(w)) x.push(...w);
    else x.push(w);
    return x;
  },
  abs: (v) => {
    if (v instanceof F64) return new F64(Math.abs(v.value));
    if (typeof v === 'number') return Math.abs(v);
    if (typeof v === 'bigint') return v < 0n && v > I64_MIN ? normInt(-v) : v;
    throw new RenderError("Filter `abs` was used on a value that isn't a number.");
  },
  round: (v, a) => {
    const num = asF64('filter `round`', 'value', v);
    const method = argOf('round', a, 'method', asString, 'common');
    const precision = argOf('round', a, 'precision', asI64, 0);
    const m = precision === 0 ? 1 : 10 ** precision;
    const finite = (x: number): number | F64 | null => (Number.isFinite(x) ? makeFloat(x) : null);
    if (method === 'common') return finite(rustRound(m * num) / m);
    if (method === 'ceil') return finite(Math.ceil(m * num) / m);
    if (method === 'floor') return finite(Math.floor(m * num) / m);
    throw new RenderError(`filter \`round\` received an incorrect value for arg \`method\`: got "${method}", only common, ceil and floor are allowed`);
  },
  filesizeformat: (v, a) => fileSize(asUsize('filter `filesizeformat`', 'value', v), argOf('filesizeformat', a, 'binary', asBool, false)),
  length: (v) => {
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).filter((k) => v[k] !== undefined).length;
    if (typeof v === 'string') return charCount(v);
    throw new RenderError('filter `length` was used on a value that is not an array, an object or a string');
  },
  reverse: (v) => {
    if (Array.isArray(v)) return [...v].reverse();
    if (typeof v === 'string') return Array.from(v).reverse().join('');
    throw new RenderError(`filter \`reverse\` received an incorrect type for arg \`value\`: got \`${renderValue(v)}\` but expected Array|String`);
  },
  date: (v, a) => formatDate(v, a),
  json_encode: (v, a) => jsonEncode(v, Object.hasOwn(a, 'pretty') && a.pretty === true),
  as_str: (v) => renderValue(v),
  get: (v, a) => {
    if (!Object.hasOwn(a, 'key')) throw new RenderError('the `get` filter has to have a `key` argument');
    const key = asString('filter `get`', 'key', a.key);
    if (!isObject(v)) throw new RenderError('filter `get` was used on a value that is not an object');
    if (Object.hasOwn(v, key) && v[key] !== undefined) return v[key];
    if (Object.hasOwn(a, 'default')) return a.default;
    throw new RenderError(`filter \`get\` tried to get key "${key}" but it was not found`);
  },
};
