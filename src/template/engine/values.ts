// Tera's view of JSON values: how they print, when they are truthy, how they compare and encode.

export type Obj = Record<string, unknown>;

/**
 * An f64 with an integral value (`1.0`). JS numbers cannot tell it from the integer 1, serde_json (and so
 * Tera) can: it prints `1.0` in JSON, never equals the integer 1 inside arrays, and is refused where an
 * integer is required. Non-integral JS numbers are floats already, so only integral floats are boxed.
 */
export class F64 {
  constructor(readonly value: number) {}
}

/**
 * A number as Tera holds it: an integer (i64/u64) is a JS number when a double holds it exactly, else a bigint
 * (never a safe integer, so each value has one form); a float is a JS number, or F64 when integral.
 */
export type TeraNumber = number | bigint | F64;
export const isNumber = (v: unknown): v is TeraNumber => typeof v === 'number' || typeof v === 'bigint' || v instanceof F64;
/** The value as an f64 (Rust's `as_f64`: a big integer rounds to the nearest double). */
export const toNum = (v: TeraNumber): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value);
/** A float result: boxed when integral so it stays a float. */
export const makeFloat = (x: number): number | F64 => (Number.isInteger(x) ? new F64(x) : x);
/** True for Tera's i64/u64 values (an integral JS number, or a bigint). */
export const isInt = (v: unknown): v is number | bigint => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
export const U64_MAX = 2n ** 64n - 1n;
/** An exact integer in its one form: a number when safe, else the bigint. */
export const normInt = (b: bigint): number | bigint => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);
/** Rust's saturating `f64 as i64` (NaN is 0). */
export function f64ToI64(f: number): number | bigint {
  if (Number.isNaN(f)) return 0;
  if (f >= 2 ** 63) return I64_MAX;
  if (f < -(2 ** 63)) return I64_MIN;
  return normInt(BigInt(Math.trunc(f)));
}

/** Deep copy with every F64 unwrapped, for callers outside the engine (extension filters and functions). */
export function plain(v: unknown): unknown {
  if (v instanceof F64) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) {
    // Copy only when an element changes, so passing a big result list to a function stays cheap.
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if ((typeof x !== 'object' && typeof x !== 'bigint') || x === null) continue;
      const p = plain(x);
      if (p !== x) (out ??= v.slice())[i] = p;
    }
    return out ?? v;
  }
  if (isObject(v)) {
    let changed = false;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const p = (typeof x === 'object' && x !== null) || typeof x === 'bigint' ? plain(x) : x;
      if (p !== x) changed = true;
      out[k] = p;
    }
    return changed ? out : v;
  }
  return v;
}

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof F64);

/** Rust's `{}` for f64: the shortest round-trip digits, never in exponent notation. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = String(n);
  if (!s.includes('e')) return s;
  const [mantissa, expText] = s.split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt = (mantissa.replace('-', '').indexOf('.') === -1 ? mantissa.replace('-', '').length : mantissa.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/** `ValueRender`: strings as is, null as nothing, arrays as `[a, b]`, objects as `[object]`. */
export function renderValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'bigint':
      return v.toString();
    default:
      if (v === null) return '';
      if (v instanceof F64) return Object.is(v.value, -0) ? '-0' : formatNumber(v.value);
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ', ';
          out += renderValue(v[i]);
        }
        return out + ']';
      }
      return '[object]';
  }
}

/** `ValueTruthy`: empty strings, arrays and objects, zero, NaN, false and null are falsy. */
export function isTruthy(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'boolean':
      return v;
    default:
      if (v === null || v === undefined) return false;
      if (v instanceof F64) return v.value !== 0;
      if (Array.isArray(v)) return v.length > 0;
      if (isObject(v)) return Object.keys(v).length > 0;
      return true;
  }
}

/** serde_json equality (deep), numbers compared by value. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  // serde_json: an integer never equals a float, two floats compare by value
  if (a instanceof F64 || b instanceof F64) return a instanceof F64 && b instanceof F64 && a.value === b.value;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k], b[k]));
  }
  return (a ?? null) === (b ?? null);
}

/** Object keys in serde_json's (BTreeMap) order: sorted by UTF-8 bytes. */
export function sortedKeys(o: Obj): string[] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort(compareUtf8);
}

export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  // Code-point order equals UTF-8 byte order.
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function jsonNumber(n: number, float = false): string {
  if (!Number.isFinite(n)) return 'null';
  // serde_json (ryu) writes 1e21 and 1e-7 where JS writes 1e+21, and 1.0 for an integral float
  if (float && Math.abs(n) >= 1e16) return n.toExponential().replace('e+', 'e');
  const s = (Object.is(n, -0) && float ? '-0' : String(n)).replace('e+', 'e');
  return float && !s.includes('.') && !s.includes('e') ? `${s}.0` : s;
}

/** serde_json::to_string / to_string_pretty, object keys sorted (serde_json's default map). */
export function jsonEncode(v: unknown, pretty = false, indent = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof F64) return jsonNumber(v.value, true);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => jsonEncode(x, pretty, inner));
    return pretty ? `[\n${items.map((x) => inner + x).join(',\n')}\n${indent}]` : `[${items.join(',')}]`;
  }
  if (isObject(v)) {
    const keys = sortedKeys(v);
    if (keys.length === 0) return '{}';
    const items = keys.map((k) => `${JSON.stringify(k)}:${pretty ? ' ' : ''}${jsonEncode(v[k], pretty, inner)}`);
    return pretty ? `{\n${items.map((x) => inner + x).join(',\n')}\n${indent}}` : `{${items.join(',')}}`;
  }
  return JSON.stringify(String(v));
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof F64 || typeof v === 'bigint') return 'number';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v;
}

/** serde_json's Display of a value, used in a few of Tera's messages and by group_by keys. */
export function jsonDisplay(v: unknown): string {
  return jsonEncode(v);
}
