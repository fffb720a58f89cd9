// Typed access to filter/function arguments with Tera's conversion rules (serde_json::from_value) and messages.
import { RenderError } from './render.js';
import { F64, I64_MAX, I64_MIN, jsonEncode, U64_MAX } from './values.js';

function bad(owner: string, arg: string, v: unknown, expected: string): RenderError {
  return new RenderError(`${owner} received an incorrect type for arg \`${arg}\`: got \`${jsonEncode(v)}\` but expected ${expected}`);
}

export function asString(owner: string, arg: string, v: unknown): string {
  if (typeof v !== 'string') throw bad(owner, arg, v, 'a String');
  return v;
}

export function asUsize(owner: string, arg: string, v: unknown): number {
  if (typeof v === 'bigint' && v >= 0n && v <= U64_MAX) return Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(owner, arg, v, 'a usize');
  return v;
}

/** An i64 argument (a bigint one as the nearest double; asI64Exact keeps it). */
export function asI64(owner: string, arg: string, v: unknown): number {
  return Number(asI64Exact(owner, arg, v));
}

export function asI64Exact(owner: string, arg: string, v: unknown): number | bigint {
  if (typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX) return v;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(owner, arg, v, 'an i64');
  return v;
}

export function asF64(owner: string, arg: string, v: unknown): number {
  if (v instanceof F64) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw bad(owner, arg, v, 'a f64');
  return v;
}

export function asBool(owner: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw bad(owner, arg, v, 'a bool');
  return v;
}

export function asArray(owner: string, arg: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw bad(owner, arg, v, 'an Array');
  return v;
}

export function need(owner: string, args: Record<string, unknown>, name: string): unknown {
  if (!Object.hasOwn(args, name)) throw new RenderError(`${owner} expected an argument called \`${name}\``);
  return args[name];
}
