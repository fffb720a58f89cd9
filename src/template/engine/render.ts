// The renderer: a port of Tera 1.x's `renderer/processor.rs` and call stack, so scoping, lookups and errors behave alike.
import type { Block, Expr, ExprVal, FunctionCall, IdentPath, MacroDefinition, Node, PathSegment } from './ast.js';
import { closestName } from '../../util/closest.js';
import { graphemes } from './text.js';
import type { TemplateUnit } from './template-unit.js';
import type { rangeBounds } from './builtin-functions.js';
import { Output } from './output.js';
import { F64, f64ToI64, formatNumber, I64_MAX, I64_MIN, isInt, isNumber, isObject, isTruthy, jsonEncode, makeFloat, normInt, renderValue, sortedKeys, toNum, U64_MAX, valuesEqual, type Obj, type TeraNumber } from './values.js';

export type FilterFn = (value: unknown, args: Record<string, unknown>) => unknown;
export type TestFn = (value: unknown, args: unknown[]) => boolean;
export type FunctionFn = (args: Record<string, unknown>) => unknown;

/** What the renderer needs from its engine: the registries and a template loader. */
export interface RenderEnv {
  filters: Map<string, FilterFn>;
  tests: Map<string, TestFn>;
  functions: Map<string, FunctionFn>;
  getTemplate(name: string): TemplateUnit | undefined;
}

export type ErrorKind = 'undefined' | 'filter' | 'function' | 'test' | 'other';

/** A render-time failure; `line`/`template` are filled in by the innermost node that saw it. */
export class RenderError extends Error {
  line?: number;
  template?: TemplateUnit;
  hint?: string;
  kind: ErrorKind = 'other';
  /** The unknown name for 'undefined'/'filter'/'function'/'test' errors, for "did you mean" hints. */
  subject?: string;
  constructor(message: string, opts: { hint?: string; kind?: ErrorKind; subject?: string } = {}) {
    super(message);
    this.hint = opts.hint;
    if (opts.kind) this.kind = opts.kind;
    this.subject = opts.subject;
  }
}

const enum LoopState {
  Normal,
  Break,
  Continue,
}

interface ForLoop {
  keyName: string | undefined;
  valueName: string;
  current: number;
  keys: string[] | undefined;
  /** The values iterated: an array, or a range() not built as one (a long loop would hold it all in memory). */
  values: readonly unknown[] | LazyRange;
  state: LoopState;
}

interface LazyRange {
  readonly lazy: true;
  readonly start: number;
  readonly step: number;
  readonly length: number;
}

const valueAt = (loop: ForLoop, i: number): unknown => ('lazy' in loop.values ? loop.values.start + i * loop.values.step : loop.values[i]);

const enum FrameKind {
  Origin,
  Macro,
  ForLoop,
  Include,
}

interface Frame {
  kind: FrameKind;
  ctx: Map<string, unknown> | undefined;
  tpl: TemplateUnit;
  loop: ForLoop | undefined;
  name: string;
  namespace: string;
}

type NamespaceMap = Map<string, [string, Map<string, MacroDefinition>]>;

/** serde_json's Display of a number (used by `~`): `2.0` for an integral float. */
function serdeNumber(n: TeraNumber): string {
  if (typeof n === 'bigint') return n.toString();
  if (n instanceof F64) return Math.abs(n.value) >= 1e16 ? n.value.toExponential().replace('e+', 'e') : `${n.value}.0`;
  return String(n).replace('e+', 'e');
}

/**
 * Tera's integer arithmetic: checked i64 when both sides fit an i64, else checked u64 when both fit a u64,
 * else (one negative, one beyond i64) f64. Overflow is an error, as in Tera.
 */
function intMath(l: number | bigint, op: '+' | '-' | '*' | '%', r: number | bigint): TeraNumber {
  const a = BigInt(l);
  const b = BigInt(r);
  const fits = (x: bigint, lo: bigint, hi: bigint): boolean => x >= lo && x <= hi;
  const kind = fits(a, I64_MIN, I64_MAX) && fits(b, I64_MIN, I64_MAX) ? 'i64' : fits(a, 0n, U64_MAX) && fits(b, 0n, U64_MAX) ? 'u64' : undefined;
  if (kind === undefined) {
    const [x, y] = [Number(a), Number(b)];
    return makeFloat(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x % y);
  }
  if (op === '%') {
    if (b === 0n) throw new RenderError('tried to do a modulo by zero');
    return normInt(a % b);
  }
  const res = op === '+' ? a + b : op === '-' ? a - b : a * b;
  const [lo, hi] = kind === 'i64' ? [I64_MIN, I64_MAX] : [0n, U64_MAX];
  if (!fits(res, lo, hi)) throw new RenderError(`${a} ${op === '*' ? 'x' : op} ${b} results in an out of bounds ${kind}`);
  return normInt(res);
}

/** Walks a JSON pointer-like path: object keys, or unsigned array indexes. */
function walk(value: unknown, segs: readonly string[]): unknown {
  let v = value;
  for (const seg of segs) {
    if (Array.isArray(v)) {
      const i = Number(seg);
      // serde_json pointers take plain unsigned indexes only (no sign, no leading zeros)
      if (!Number.isInteger(i) || i < 0 || String(i) !== seg) return undefined;
      v = v[i];
    } else if (isObject(v)) {
      if (!Object.hasOwn(v, seg)) return undefined;
      v = v[seg];
    } else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/** The path's keys when none is a nested variable, memoised on the node (hot in loops). */
function staticSegs(path: IdentPath): string[] | null {
  let s = path.staticKeys;
  if (s === undefined) {
    s = path.rest.every((r) => r.kind === 'key') ? path.rest.map((r) => (r as { key: string }).key) : null;
    path.staticKeys = s;
  }
  return s;
}

/** The variable that prints the whole visible context (Tera's MAGICAL_DUMP_VAR). */
const MAGICAL_DUMP_VAR = '__tera_context';

export class Renderer {
  private readonly frames: Frame[];
  private readonly macros = new Map<string, NamespaceMap>();
  private readonly blocks: Array<[string, string, number]> = [];
  private readonly root: TemplateUnit;

  constructor(
    private readonly env: RenderEnv,
    private readonly template: TemplateUnit,
    private readonly context: Obj,
  ) {
    const last = template.parents[template.parents.length - 1];
    this.root = last === undefined ? template : env.getTemplate(last)!;
    this.frames = [{ kind: FrameKind.Origin, ctx: undefined, tpl: template, loop: undefined, name: 'ORIGIN', namespace: '' }];
    this.addMacrosFromTemplate(template);
  }

  render(): string {
    const out = new Output();
    for (const n of this.root.nodes) this.renderNode(n, out);
    return out.toString();
  }

  // ---- call stack ------------------------------------------------------------------------------

  private get current(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private activeTemplate(): TemplateUnit {
    return this.current.tpl;
  }

  private findInFrame(f: Frame, root: string, segs: readonly string[]): unknown {
    if (f.ctx !== undefined && f.ctx.has(root)) {
      const found = walk(f.ctx.get(root), segs);
      if (found !== undefined) return found;
    }
    const loop = f.loop;
    if (loop === undefined) return undefined;
    if (loop.keyName !== undefined && segs.length === 0 && root === loop.keyName) return loop.keys![loop.current];
    if (root === 'loop') {
      if (segs.length !== 1) return undefined;
      switch (segs[0]) {
        case 'index':
          return loop.current + 1;
        case 'index0':
          return loop.current;
        case 'first':
          return loop.current === 0;
        case 'last':
          return loop.current === loop.values.length - 1;
        default:
          return undefined;
      }
    }
    if (root === loop.valueName) return walk(valueAt(loop, loop.current), segs);
    return undefined;
  }

  private lookupSegs(root: string, segs: readonly string[]): unknown {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      const v = this.findInFrame(f, root, segs);
      if (v !== undefined) return v;
      if (f.kind === FrameKind.Macro || f.kind === FrameKind.Origin) break;
    }
    if (Object.hasOwn(this.context, root)) return walk(this.context[root], segs);
    return undefined;
  }

  /** Names visible from here, for "did you mean" hints. */
  visibleNames(): string[] {
    const names = new Set<string>();
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.ctx) for (const k of f.ctx.keys()) names.add(k);
      if (f.loop) {
        names.add(f.loop.valueName);
        names.add('loop');
        if (f.loop.keyName) names.add(f.loop.keyName);
      }
      if (f.kind === FrameKind.Macro || f.kind === FrameKind.Origin) break;
    }
    for (const k of Object.keys(this.context)) names.add(k);
    return [...names].sort();
  }

  private resolveSegments(path: IdentPath): string[] {
    const fixed = staticSegs(path);
    if (fixed !== null) return fixed;
    return path.rest.map((seg: PathSegment) => {
      if (seg.kind === 'key') return seg.key;
      let v: unknown;
      try {
        v = this.lookupIdent(seg.path);
      } catch (e) {
        throw new RenderError(`variable "${path.text}" can not be evaluated because: ${(e as Error).message}`, { kind: 'undefined', subject: (e as RenderError).subject });
      }
      if (typeof v === 'string') return v;
      if (isNumber(v)) return serdeNumber(v);
      throw new RenderError(`only variables evaluating to a string or a number can be used as an index (\`${seg.path.text}\` of \`${path.text}\`)`);
    });
  }

  /** `__tera_context`: Tera's call_stack.current_context_cloned, pretty-printed (outer frames win, as there). */
  private dumpContext(): string {
    const stack = new Map<string, unknown>();
    let inMacro = false;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.ctx !== undefined) for (const [k, v] of f.ctx) stack.set(k, v);
      if (f.loop !== undefined) {
        stack.set(f.loop.valueName, valueAt(f.loop, f.loop.current));
        if (f.loop.keyName !== undefined) stack.set(f.loop.keyName, f.loop.keys![f.loop.current]);
      }
      if (f.kind === FrameKind.Macro) {
        inMacro = true;
        break;
      }
    }
    const all: Obj = inMacro ? {} : { ...this.context };
    for (const [k, v] of stack) all[k] = v;
    return jsonEncode(all, true);
  }

  lookupIdent(path: IdentPath): unknown {
    if (path.root === MAGICAL_DUMP_VAR && path.rest.length === 0) return this.dumpContext();
    const segs = this.resolveSegments(path);
    const v = this.lookupSegs(path.root, segs);
    if (v === undefined) throw this.undefinedError(path, segs);
    return v;
  }

  /** Says which part of a path is missing: the variable itself, or a key of a value that exists. */
  private undefinedError(path: IdentPath, segs: readonly string[]): RenderError {
    if (segs.length > 0 && this.lookupSegs(path.root, []) !== undefined) {
      let depth = 0;
      while (depth < segs.length && this.lookupSegs(path.root, segs.slice(0, depth + 1)) !== undefined) depth++;
      const parentText = [path.root, ...segs.slice(0, depth)].join('.');
      const parent = this.lookupSegs(path.root, segs.slice(0, depth));
      const missing = segs[depth]!;
      const near = isObject(parent) ? closestName(missing, sortedKeys(parent)) : undefined;
      const hint = isObject(parent)
        ? `${near === undefined ? '' : `did you mean "${parentText}.${near}"? `}"${parentText}" has the keys: ${sortedKeys(parent).slice(0, 12).join(', ') || '(none)'}`
        : Array.isArray(parent)
          ? `"${parentText}" is an array of ${parent.length} item${parent.length === 1 ? '' : 's'} (index 0 to ${parent.length - 1})`
          : `"${parentText}" is a ${parent === null ? 'null' : typeof parent}, which has no "${missing}"`;
      return new RenderError(`variable "${path.text}" is not defined: "${parentText}" has no "${missing}"`, { kind: 'other', hint });
    }
    return new RenderError(`variable "${path.text}" is not defined`, { kind: 'undefined', subject: path.root });
  }

  private tryLookup(path: IdentPath): unknown {
    try {
      return this.lookupIdent(path);
    } catch {
      return undefined;
    }
  }

  private assign(key: string, global: boolean, value: unknown): void {
    let frame = this.current;
    if (global && frame.kind === FrameKind.ForLoop) {
      for (let i = this.frames.length - 1; i >= 0; i--) {
        if (this.frames[i]!.kind !== FrameKind.ForLoop) {
          frame = this.frames[i]!;
          break;
        }
      }
    }
    (frame.ctx ??= new Map()).set(key, value);
  }

  // ---- macros ---------------------------------------------------------------------------------

  private addMacrosFromTemplate(tpl: TemplateUnit): void {
    if (this.macros.has(tpl.name)) return;
    const map: NamespaceMap = new Map();
    if (tpl.macros.size > 0) map.set('self', [tpl.name, tpl.macros]);
    for (const [file, namespace] of tpl.imports) {
      const macroTpl = this.mustGet(file);
      map.set(namespace, [file, macroTpl.macros]);
      this.addMacrosFromTemplate(macroTpl);
      for (const [ns, m] of this.macros.get(macroTpl.name)!) if (!map.has(ns)) map.set(ns, m);
    }
    this.macros.set(tpl.name, map);
    for (const parent of tpl.parents) {
      const p = this.mustGet(parent);
      this.addMacrosFromTemplate(p);
      for (const [ns, m] of this.macros.get(parent)!) if (!map.has(ns)) map.set(ns, m);
    }
  }

  private mustGet(name: string): TemplateUnit {
    // The rendered template itself (its own `self::` macros) need not be in the templates directory.
    const t = name === this.template.name ? this.template : this.env.getTemplate(name);
    if (t === undefined) throw new RenderError(`template "${name}" not found`);
    return t;
  }

  private lookupMacro(tplName: string, namespace: string, name: string): [string, MacroDefinition] {
    const ns = this.macros.get(tplName)?.get(namespace);
    if (ns === undefined) {
      throw new RenderError(`macro namespace "${namespace}" is not known in template "${tplName}"`, { hint: 'import the macro file first: {% import "macros.tera" as ' + namespace + ' %}' });
    }
    const def = ns[1].get(name);
    if (def === undefined) throw new RenderError(`macro "${namespace}::${name}" not found in template "${ns[0]}"`);
    return [ns[0], def];
  }

  private evalMacroCall(call: Extract<ExprVal, { k: 'macro' }>): string {
    const lastBlock = this.blocks[this.blocks.length - 1];
    const activeName = lastBlock !== undefined ? lastBlock[1] : this.template.name !== this.root.name ? this.root.name : this.activeTemplate().name;
    const [macroTplName, def] = this.lookupMacro(activeName, call.namespace, call.name);
    const ctx = new Map<string, unknown>();
    for (const [argName, defaultValue] of def.args) {
      const given = call.args.get(argName);
      if (given !== undefined) ctx.set(argName, this.evalExpression(given));
      else if (defaultValue !== undefined) ctx.set(argName, this.evalExpression(defaultValue));
      else throw new RenderError(`macro "${call.name}" is missing the argument "${argName}"`);
    }
    this.frames.push({ kind: FrameKind.Macro, ctx, tpl: this.mustGet(macroTplName), loop: undefined, name: call.name, namespace: call.namespace });
    const out = new Output();
    this.renderBody(def.body, out);
    this.frames.pop();
    return out.toString();
  }

  // ---- expressions ----------------------------------------------------------------------------

  private defaultValue(expr: Expr): unknown {
    const v = expr.filters[0]!.args.get('value');
    if (v === undefined) throw new RenderError('the `default` filter requires a `value` argument');
    return this.evalExpression(v);
  }

  evalExpression(expr: Expr): unknown {
    const val = expr.val;
    let res: unknown;
    switch (val.k) {
      case 'array':
        res = val.items.map((i) => this.evalExpression(i));
        break;
      case 'in':
        res = this.evalIn(val);
        break;
      case 'float':
        res = makeFloat(val.value);
        break;
      case 'string':
      case 'int':
      case 'bool':
        res = val.value;
        break;
      case 'concat':
        res = this.evalConcat(val.values);
        break;
      case 'ident': {
        let found: unknown;
        let err: unknown;
        try {
          found = this.lookupIdent(val.path);
        } catch (e) {
          err = e;
        }
        const hasDefault = expr.filters.length > 0 && expr.filters[0]!.name === 'default';
        if (err === undefined) res = found === null && hasDefault ? this.defaultValue(expr) : found;
        else if (hasDefault) res = this.defaultValue(expr);
        else if (!expr.negated) throw err;
        else return true;
        break;
      }
      case 'fn':
        res = this.callFunction(val.call);
        break;
      case 'macro':
        res = this.evalMacroCall(val);
        break;
      case 'test':
        res = this.evalTest(val);
        break;
      case 'logic':
        res = this.evalAsBool(expr);
        break;
      case 'math': {
        const n = this.evalAsNumber(val);
        res = n === undefined ? 'NaN' : n;
        break;
      }
    }
    for (const f of expr.filters) {
      if (f.name === 'safe' || f.name === 'default') continue;
      res = this.evalFilter(res, f);
    }
    if (expr.negated) return !isTruthy(res);
    return res;
  }

  private evalConcat(values: ExprVal[]): string {
    let out = '';
    for (const v of values) {
      switch (v.k) {
        case 'string':
          out += v.value;
          break;
        case 'int':
          out += String(v.value);
          break;
        case 'float':
          out += formatNumber(v.value);
          break;
        case 'ident': {
          const x = this.lookupIdent(v.path);
          if (typeof x === 'string') out += x;
          else if (isNumber(x)) out += serdeNumber(x);
          else throw new RenderError(`tried to concatenate a value that is not a string or a number (variable "${v.path.text}")`);
          break;
        }
        case 'fn': {
          const x = this.callFunction(v.call);
          if (typeof x === 'string') out += x;
          else if (isNumber(x)) out += serdeNumber(x);
          else throw new RenderError(`tried to concatenate a value that is not a string or a number (function "${v.call.name}")`);
          break;
        }
        default:
          throw new RenderError('unsupported value in a concatenation');
      }
    }
    return out;
  }

  private evalIn(cond: Extract<ExprVal, { k: 'in' }>): boolean {
    const lhs = this.evalExpression(cond.lhs);
    const rhs = this.evalExpression(cond.rhs);
    let present: boolean;
    if (Array.isArray(rhs)) present = rhs.some((x) => valuesEqual(x, lhs));
    else if (typeof rhs === 'string') {
      if (typeof lhs !== 'string') throw new RenderError(`tried to check if ${renderValue(lhs)} is in a string, but it is not a string`);
      present = rhs.includes(lhs);
    } else if (isObject(rhs)) {
      if (typeof lhs !== 'string') throw new RenderError(`tried to check if ${renderValue(lhs)} is in an object, but it is not a string`);
      present = Object.hasOwn(rhs, lhs) && rhs[lhs] !== undefined;
    } else throw new RenderError('the `in` operator only supports strings, arrays and objects');
    return cond.negated ? !present : present;
  }

  private evalTest(test: Extract<ExprVal, { k: 'test' }>): boolean {
    const tester = this.env.tests.get(test.name);
    if (tester === undefined) throw new RenderError(`test "${test.name}" not found`, { kind: 'test', subject: test.name });
    const args: unknown[] = [];
    try {
      for (const a of test.args) args.push(this.evalExpression(a));
    } catch (e) {
      throw this.wrapCall('test', test.name, e);
    }
    const found = this.tryLookup(test.ident);
    let result: boolean;
    try {
      result = tester(found, args);
    } catch (e) {
      throw this.wrapCall('test', test.name, e);
    }
    return test.negated ? !result : result;
  }

  private wrapCall(kind: 'filter' | 'function' | 'test', name: string, e: unknown): RenderError {
    if (e instanceof RenderError && e.message.startsWith(`${kind} "${name}"`)) return e;
    const inner = e instanceof Error ? e.message : String(e);
    if (e instanceof RenderError) return new RenderError(`${kind} "${name}" failed: ${inner}`, { hint: e.hint, kind: e.kind, subject: e.subject });
    return new RenderError(`${kind} "${name}" failed: ${inner}`);
  }

  private evalArgs(kind: 'filter' | 'function', call: FunctionCall): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    try {
      for (const [k, v] of call.args) args[k] = this.evalExpression(v);
    } catch (e) {
      throw this.wrapCall(kind, call.name, e);
    }
    return args;
  }

  private callFunction(call: FunctionCall): unknown {
    const fn = this.env.functions.get(call.name);
    if (fn === undefined) throw new RenderError(`function "${call.name}" not found`, { kind: 'function', subject: call.name });
    const args = this.evalArgs('function', call);
    let r: unknown;
    try {
      r = fn(args);
    } catch (e) {
      if (call.name === 'throw' && e instanceof RenderError) throw e;
      throw this.wrapCall('function', call.name, e);
    }
    return r === undefined ? null : r;
  }

  private evalFilter(value: unknown, call: FunctionCall): unknown {
    const f = this.env.filters.get(call.name);
    if (f === undefined) throw new RenderError(`filter "${call.name}" not found`, { kind: 'filter', subject: call.name });
    const args = this.evalArgs('filter', call);
    let r: unknown;
    try {
      r = f(value, args);
    } catch (e) {
      throw this.wrapCall('filter', call.name, e);
    }
    return r === undefined ? null : r;
  }

  private evalExprAsNumber(expr: Expr): TeraNumber | undefined {
    if (expr.filters.length > 0) {
      const v = this.evalExpression(expr);
      if (!isNumber(v)) throw new RenderError('tried to do math with an expression not resulting in a number');
      return v;
    }
    return this.evalAsNumber(expr.val);
  }

  /** Tera's eval_as_number: integer arithmetic when both sides are integers, f64 otherwise (`/` yields an integer when exact). */
  private evalAsNumber(val: ExprVal): TeraNumber | undefined {
    switch (val.k) {
      case 'ident': {
        const v = this.lookupIdent(val.path);
        if (!isNumber(v)) throw new RenderError(`variable "${val.path.text}" was used in a math operation but is not a number`);
        return v;
      }
      case 'int':
        return val.value;
      case 'float':
        return makeFloat(val.value);
      case 'math': {
        const l = this.evalExprAsNumber(val.lhs);
        const r = this.evalExprAsNumber(val.rhs);
        if (l === undefined || r === undefined) return undefined;
        if (isInt(l) && isInt(r) && val.op !== '/') return intMath(l, val.op, r);
        const a = toNum(l);
        const b = toNum(r);
        switch (val.op) {
          case '*':
          case '+':
          case '-': {
            const res = val.op === '*' ? a * b : val.op === '+' ? a + b : a - b;
            return Number.isFinite(res) ? makeFloat(res) : undefined;
          }
          case '/': {
            const q = a / b;
            if (Number.isNaN(q) || !Number.isFinite(q)) return undefined;
            // An exact quotient is an integer (`res as i64`, saturating), else an f64.
            return Number.isInteger(q) ? f64ToI64(q) : q;
          }
          case '%': {
            const m = a % b;
            return Number.isFinite(m) ? makeFloat(m) : undefined;
          }
        }
        return undefined;
      }
      case 'fn': {
        const v = this.callFunction(val.call);
        if (!isNumber(v)) throw new RenderError(`function "${val.call.name}" was used in a math operation but does not return a number`);
        return v;
      }
      case 'string':
        throw new RenderError(`tried to do math with a string: "${val.value}"`);
      case 'bool':
        throw new RenderError(`tried to do math with a boolean: ${val.value}`);
      case 'concat':
        throw new RenderError('tried to do math with a string concatenation');
      case 'test':
        throw new RenderError(`tried to do math with a test: ${val.name}`);
      default:
        throw new RenderError('tried to do math with a value that is not a number');
    }
  }

  evalAsBool(expr: Expr): boolean {
    const val = expr.val;
    let res: boolean;
    switch (val.k) {
      case 'logic': {
        const op = val.op;
        if (op === 'or') res = this.evalAsBool(val.lhs) || this.evalAsBool(val.rhs);
        else if (op === 'and') res = this.evalAsBool(val.lhs) && this.evalAsBool(val.rhs);
        else if (op === '==' || op === '!=') {
          const l = this.evalExpression(val.lhs);
          const r = this.evalExpression(val.rhs);
          if (isNumber(l) || isNumber(r)) {
            // Tera refuses to compare a number with anything else (both == and != are false); numbers compare as f64.
            if (!isNumber(l) || !isNumber(r)) {
              res = false;
              break;
            }
            res = op === '==' ? toNum(l) === toNum(r) : toNum(l) !== toNum(r);
            break;
          }
          res = op === '==' ? valuesEqual(l, r) : !valuesEqual(l, r);
        } else {
          const l = this.evalExprAsNumber(val.lhs);
          const r = this.evalExprAsNumber(val.rhs);
          if (l === undefined || r === undefined) throw new RenderError('comparison to NaN');
          const [a, b] = [toNum(l), toNum(r)];
          res = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
        }
        break;
      }
      case 'ident': {
        let v: unknown;
        try {
          v = this.evalExpression(expr);
        } catch {
          v = false;
        }
        res = isTruthy(v);
        if (expr.negated) res = !res;
        break;
      }
      case 'math':
      case 'int':
      case 'float': {
        const n = this.evalAsNumber(val);
        res = n === undefined ? false : toNum(n) !== 0;
        break;
      }
      case 'in':
        res = this.evalIn(val);
        break;
      case 'test':
        res = this.evalTest(val);
        break;
      case 'bool':
        res = val.value;
        break;
      case 'string':
        res = val.value.length > 0;
        break;
      case 'fn': {
        const v = this.callFunction(val.call);
        if (typeof v !== 'boolean') throw new RenderError(`function "${val.call.name}" was used in a logic operation but does not return a boolean`);
        res = v;
        break;
      }
      case 'concat': {
        const v = this.evalExpression(expr);
        res = typeof v === 'string' ? v.length > 0 : isTruthy(v);
        break;
      }
      case 'macro':
        res = this.evalMacroCall(val).length > 0;
        break;
      case 'array':
        throw new RenderError('an array literal cannot be used as a condition');
    }
    return expr.negated ? !res : res;
  }

  // ---- nodes ----------------------------------------------------------------------------------

  private shouldBreakBody(): boolean {
    const loop = this.current.loop;
    return loop !== undefined && loop.state !== LoopState.Normal;
  }

  private renderBody(body: readonly Node[], out: Output): void {
    for (const n of body) {
      this.renderNode(n, out);
      if (this.shouldBreakBody()) break;
    }
  }

  private renderNode(n: Node, out: Output): void {
    try {
      this.renderNodeInner(n, out);
    } catch (e) {
      if (e instanceof RenderError && e.line === undefined && 'line' in n) {
        e.line = n.line;
        e.template = this.activeTemplateForErrors();
      }
      throw e;
    }
  }

  private activeTemplateForErrors(): TemplateUnit {
    const lastBlock = this.blocks[this.blocks.length - 1];
    if (lastBlock !== undefined && this.current.kind !== FrameKind.Macro && this.current.kind !== FrameKind.Include) {
      return this.env.getTemplate(lastBlock[1]) ?? this.template;
    }
    if (this.current.kind === FrameKind.Origin && this.root !== this.template && lastBlock === undefined) return this.root;
    return this.current.tpl;
  }

  private renderNodeInner(n: Node, out: Output): void {
    switch (n.t) {
      case 'comment':
      case 'import':
        return;
      case 'text':
      case 'raw':
        out.push(n.value);
        return;
      case 'var':
        out.push(renderValue(this.evalExpression(n.expr)));
        return;
      case 'set':
        this.assign(n.key, n.global, this.evalExpression(n.value));
        return;
      case 'filter': {
        const body = new Output();
        this.renderBody(n.body, body);
        const text = body.toString();
        if (n.filter.name === 'safe') out.push(text);
        else out.push(renderValue(this.evalFilter(text, n.filter)));
        return;
      }
      case 'if': {
        for (const [, cond, body] of n.node.conditions) {
          if (this.evalAsBool(cond)) {
            this.renderBody(body, out);
            return;
          }
        }
        if (n.node.otherwise !== undefined) this.renderBody(n.node.otherwise[1], out);
        return;
      }
      case 'for':
        this.renderFor(n.node, out);
        return;
      case 'break':
      case 'continue': {
        const loop = this.current.loop;
        if (loop === undefined) throw new RenderError(`\`${n.t}\` used outside of a for loop`);
        loop.state = n.t === 'break' ? LoopState.Break : LoopState.Continue;
        return;
      }
      case 'block':
        this.renderBlock(n.block, 0, out);
        return;
      case 'super':
        this.doSuper(out);
        return;
      case 'include': {
        for (const name of n.files) {
          const tpl = this.env.getTemplate(name);
          if (tpl === undefined) continue;
          this.addMacrosFromTemplate(tpl);
          this.frames.push({ kind: FrameKind.Include, ctx: undefined, tpl, loop: undefined, name, namespace: '' });
          this.renderBody(tpl.nodes, out);
          this.frames.pop();
          return;
        }
        if (!n.ignoreMissing) throw new RenderError(`template "${n.files.join('", "')}" not found`, { hint: 'include names are relative to the templates directory (--templates-dir)' });
        return;
      }
      case 'extends':
        throw new RenderError(`inheritance in included templates is not supported: extended "${n.file}"`);
      case 'macro':
        // Tera 1.20: a (top-level) macro definition renders nothing; self::name() calls it.
        return;
    }
  }

  private renderFor(loopNode: Extract<Node, { t: 'for' }>['node'], out: Output): void {
    const cv = loopNode.container.val;
    const containerName = cv.k === 'ident' ? cv.path.text : cv.k === 'fn' ? cv.call.name : cv.k === 'array' ? 'an array literal' : undefined;
    if (containerName === undefined) throw new RenderError('for loop containers have to be a variable, a function call or an array');
    const lazy = this.lazyRange(loopNode.container);
    const container = lazy === undefined ? this.evalExpression(loopNode.container) : undefined;
    let loop: ForLoop;
    if (lazy !== undefined) {
      if (loopNode.key !== undefined) throw new RenderError(`tried to iterate with a key and a value over "${containerName}", but it is not an object`);
      loop = { keyName: undefined, valueName: loopNode.value, current: 0, keys: undefined, values: lazy, state: LoopState.Normal };
    } else if (Array.isArray(container) || typeof container === 'string') {
      if (loopNode.key !== undefined) throw new RenderError(`tried to iterate with a key and a value over "${containerName}", but it is not an object`);
      const values = typeof container === 'string' ? graphemes(container) : container;
      loop = { keyName: undefined, valueName: loopNode.value, current: 0, keys: undefined, values, state: LoopState.Normal };
    } else if (isObject(container)) {
      if (loopNode.key === undefined) throw new RenderError(`tried to iterate over the object "${containerName}" without a key`, { hint: `use {% for key, value in ${containerName} %}` });
      const keys = sortedKeys(container);
      loop = { keyName: loopNode.key, valueName: loopNode.value, current: 0, keys, values: keys.map((k) => container[k]), state: LoopState.Normal };
    } else {
      throw new RenderError(`tried to iterate over "${containerName}", which is not an array, a string or an object`);
    }
    const len = loop.values.length;
    if (len === 0) {
      if (loopNode.emptyBody !== undefined) this.renderBody(loopNode.emptyBody, out);
      return;
    }
    const frame: Frame = { kind: FrameKind.ForLoop, ctx: undefined, tpl: this.current.tpl, loop, name: loopNode.value, namespace: '' };
    this.frames.push(frame);
    for (let i = 0; i < len; i++) {
      this.renderBody(loopNode.body, out);
      if (loop.state === LoopState.Break) break;
      frame.ctx = undefined;
      loop.current++;
      loop.state = LoopState.Normal;
    }
    this.frames.pop();
  }

  /** `for x in range(...)` with the built-in range and no filter: the range's bounds, else undefined. */
  private lazyRange(container: Expr): LazyRange | undefined {
    const v = container.val;
    if (v.k !== 'fn' || v.call.name !== 'range' || container.filters.length > 0 || container.negated) return undefined;
    const bounds = (this.env.functions.get('range') as { bounds?: typeof rangeBounds } | undefined)?.bounds;
    if (bounds === undefined) return undefined;
    const args = this.evalArgs('function', v.call);
    let b: ReturnType<typeof rangeBounds>;
    try {
      b = bounds(args);
    } catch (e) {
      throw this.wrapCall('function', 'range', e);
    }
    const length = b.start >= b.end ? 0 : Math.ceil((b.end - b.start) / b.step);
    return { lazy: true, start: b.start, step: b.step, length };
  }

  private renderBlock(block: Block, level: number, out: Output): void {
    const active = this.activeTemplate();
    const levelTemplate = level === 0 ? active : this.mustGet(active.parents[level - 1]!);
    const defs = levelTemplate.blockDefinitions.get(block.name);
    if (defs !== undefined) {
      const [, def] = defs[0]!;
      this.blocks.push([block.name, levelTemplate.name, level]);
      this.renderBody(def.body, out);
      return;
    }
    if (level < active.parents.length) {
      this.renderBlock(block, level + 1, out);
      return;
    }
    this.renderBody(block.body, out);
  }

  private doSuper(out: Output): void {
    const last = this.blocks[this.blocks.length - 1];
    if (last === undefined) throw new RenderError('super() used outside of a block');
    const [blockName, , level] = last;
    let next = level + 1;
    const parents = this.template.parents;
    while (next <= parents.length) {
      const defs = this.mustGet(parents[next - 1]!).blockDefinitions.get(blockName);
      if (defs !== undefined) {
        const [tplName, def] = defs[0]!;
        this.blocks.push([blockName, tplName, next]);
        this.renderBody(def.body, out);
        this.blocks.pop();
        if (next >= parents.length) this.blocks.pop();
        return;
      }
      next++;
    }
    throw new RenderError('tried to use super() in the top level block');
  }
}
