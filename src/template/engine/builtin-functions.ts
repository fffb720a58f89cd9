// Tera 1.x's global functions (range, now, throw, get_random, get_env), with a seedable clock and RNG and an env allow-list.
import { RenderError, type FunctionFn } from './render.js';
import { jsonEncode } from './values.js';

export interface FunctionOptions {
  seed?: number | string;
  allowedEnv?: readonly string[];
  /** Where get_env reads from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told of each environment variable get_env reads (generation records them as inputs of the run). */
  onEnvRead?: (name: string, value: string | undefined) => void;
}

/** FNV-1a over the seed's text: a stable 32-bit state for the PRNG and the fixed clock. */
function seedHash(seed: number | string): number {
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast and fully determined by its 32-bit state. */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDED_EPOCH = Date.UTC(2024, 0, 1) / 1000;

function rfc3339(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = d.getUTCMilliseconds() === 0 ? '' : `.${p(d.getUTCMilliseconds(), 3)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  const off = `${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac}${off}`;
}

function usizeArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RenderError(`function \`${fn}\` received ${name}=${jsonEncode(v)} but \`${name}\` can only be a number`);
  return v;
}

function isizeArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RenderError(`function \`${fn}\` received ${name}=${jsonEncode(v)} but \`${name}\` can only be a number`);
  return v;
}

function boolArg(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new RenderError(`function \`${fn}\` received ${name}=${jsonEncode(v)} but \`${name}\` can only be a boolean`);
  return v;
}

/** range's arguments checked as Tera checks them; a for loop over range() iterates these without building the array. */
export function rangeBounds(a: Record<string, unknown>): { start: number; end: number; step: number } {
  const start = Object.hasOwn(a, 'start') ? usizeArg('range', 'start', a.start) : 0;
  const step = Object.hasOwn(a, 'step_by') ? usizeArg('range', 'step_by', a.step_by) : 1;
  if (!Object.hasOwn(a, 'end')) throw new RenderError('function `range` was called without an `end` argument');
  const end = usizeArg('range', 'end', a.end);
  if (start > end) throw new RenderError('function `range` was called with a `start` argument greater than the `end` one');
  if (step === 0 && start < end) throw new RenderError('function `range` was called with step_by=0');
  return { start, end, step };
}

/** The built-in functions plus a reset() that rewinds the seeded RNG, called at the start of every render. */
export function createBuiltinFunctions(opts: FunctionOptions = {}): { functions: Record<string, FunctionFn>; reset: () => void } {
  const seeded = opts.seed !== undefined;
  const state = seeded ? seedHash(opts.seed!) : 0;
  let random = seeded ? mulberry32(state) : Math.random;
  const reset = (): void => {
    if (seeded) random = mulberry32(state);
  };
  const functions: Record<string, FunctionFn> = {
    range: Object.assign((a: Record<string, unknown>) => {
      const { start, end, step } = rangeBounds(a);
      const out: number[] = [];
      for (let i = start; i < end; i += step) out.push(i);
      return out;
    }, { bounds: rangeBounds }),
    now: (a) => {
      const utc = Object.hasOwn(a, 'utc') ? boolArg('now', 'utc', a.utc) : false;
      const timestamp = Object.hasOwn(a, 'timestamp') ? boolArg('now', 'timestamp', a.timestamp) : false;
      // With a seed the clock is fixed (a seed-derived instant in 2024, UTC), so output is reproducible.
      const ms = seeded ? (SEEDED_EPOCH + (state % (365 * 86400))) * 1000 : Date.now();
      if (timestamp) return Math.floor(ms / 1000);
      const offset = utc || seeded ? 0 : -new Date(ms).getTimezoneOffset();
      return rfc3339(ms, offset);
    },
    throw: (a) => {
      if (!Object.hasOwn(a, 'message')) throw new RenderError('function `throw` was called without a `message` argument');
      if (typeof a.message !== 'string') throw new RenderError(`function \`throw\` received message=${jsonEncode(a.message)} but \`message\` can only be a string`);
      throw new RenderError(a.message, { kind: 'other' });
    },
    get_random: (a) => {
      const start = Object.hasOwn(a, 'start') ? isizeArg('get_random', 'start', a.start) : 0;
      if (!Object.hasOwn(a, 'end')) throw new RenderError("function `get_random` didn't receive an `end` argument");
      const end = isizeArg('get_random', 'end', a.end);
      if (start >= end) throw new RenderError(`function \`get_random\` needs start < end (got start=${start}, end=${end})`);
      return start + Math.floor(random() * (end - start));
    },
    get_env: (a) => {
      if (!Object.hasOwn(a, 'name')) throw new RenderError("function `get_env` didn't receive a `name` argument");
      const name = a.name;
      if (typeof name !== 'string') throw new RenderError(`function \`get_env\` received name=${jsonEncode(name)} but \`name\` can only be a string`);
      const allowed = opts.allowedEnv === undefined || opts.allowedEnv.includes(name);
      const value = allowed ? (opts.env ?? process.env)[name] : undefined;
      if (allowed) opts.onEnvRead?.(name, value);
      if (value !== undefined) return value;
      if (Object.hasOwn(a, 'default')) return a.default;
      if (!allowed) {
        throw new RenderError(`environment variable "${name}" is not in the allowed list`, { hint: `allowed: ${opts.allowedEnv!.join(', ') || '(none)'}` });
      }
      throw new RenderError(`environment variable "${name}" not found`);
    },
  };
  return { functions, reset };
}
