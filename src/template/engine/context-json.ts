// Context JSON read like serde_json reads it: `1.0` stays a float (F64), `1` an integer, and integers beyond 2^53 stay exact.
import { isLosslessNumber, parse } from 'lossless-json';
import { F64, makeFloat } from './values.js';

const I64_MIN = -(2n ** 63n);
const U64_MAX = 2n ** 64n - 1n;

/** serde_json's number: an integer in i64/u64 range (a BigInt when a double cannot hold it exactly), else an f64. */
export function teraNumber(text: string): number | bigint | F64 {
  if (/^-?\d+$/.test(text)) {
    const big = BigInt(text);
    if (big >= I64_MIN && big <= U64_MAX) return Number.isSafeInteger(Number(text)) ? Number(text) : big;
    return new F64(Number(text));
  }
  return makeFloat(Number(text));
}

/** Parses context JSON text into engine values (see teraNumber). */
export function parseContextJson(text: string): Record<string, unknown> {
  const value = parse(text);
  const out = convert(value);
  if (typeof out !== 'object' || out === null || Array.isArray(out) || out instanceof F64) throw new TypeError('the context JSON must be an object');
  return out as Record<string, unknown>;
}

function convert(v: unknown): unknown {
  if (isLosslessNumber(v)) return teraNumber(v.value);
  if (Array.isArray(v)) return v.map(convert);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = convert(x);
    return out;
  }
  return v;
}
