// The expression half of the Tera 1.x grammar (`tera.pest`): literals, paths, calls, filters, tests, math,
// comparisons, `in`, logic and arrays, as a packrat PEG parser; the tag half lives in parser.ts.
import type { Expr, ExprVal, FunctionCall, IdentPath, LogicOp, MathOp, PathSegment } from './ast.js';
import { I64_MAX, I64_MIN, normInt } from './values.js';

/** A syntax error at a 0-based source offset; the engine turns it into a GgenError with line and column. */
export class TeraSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WHITESPACE = ' \t\r\n';
const isWs = (c: string | undefined): boolean => c !== undefined && WHITESPACE.includes(c);
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isAllChar = (c: string | undefined): boolean => isAlpha(c) || (c !== undefined && c >= '0' && c <= '9');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export class ExpressionParser {
  pos = 0;
  protected far = 0;
  protected expected = new Set<string>();
  /** Block tags open at the current position, and their snapshot at the furthest failure (for messages). */
  protected readonly open: Array<{ tag: string; offset: number }> = [];
  protected openAtFar: Array<{ tag: string; offset: number }> = [];
  protected readonly lineStarts: number[] = [0];

  constructor(protected readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  // ---- position, failure bookkeeping -------------------------------------------------------

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  columnOf(offset: number): number {
    return offset - this.lineStarts[this.lineOf(offset) - 1]! + 1;
  }

  protected fail(what: string): null {
    if (this.pos > this.far) {
      this.far = this.pos;
      this.expected = new Set([what]);
      this.openAtFar = [...this.open];
    } else if (this.pos === this.far) {
      this.expected.add(what);
    }
    return null;
  }

  error(): TeraSyntaxError {
    const expected = [...this.expected];
    const found = this.src.slice(this.far, this.far + 12).split('\n')[0] ?? '';
    const what = expected.length === 0 ? 'unexpected input' : `expected ${expected.slice(0, 6).join(', ')}`;
    const inner = this.openAtFar[this.openAtFar.length - 1];
    const where = inner === undefined ? '' : ` inside {% ${inner.tag} %} opened at line ${this.lineOf(inner.offset)}`;
    if (this.far >= this.src.length && inner !== undefined) {
      return new TeraSyntaxError(`unexpected end of template: {% ${inner.tag} %} opened at line ${this.lineOf(inner.offset)} is not closed (expected {% end${inner.tag} %})`, this.far);
    }
    const near = this.far >= this.src.length ? 'at end of input' : `near "${found}"`;
    return new TeraSyntaxError(`${what} ${near}${where}`, this.far);
  }

  protected peekLit(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  protected lit(s: string): boolean {
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    this.fail(`\`${s}\``);
    return false;
  }

  /** pest's implicit `WHITESPACE*` between the parts of a non-atomic rule. */
  protected ws(): void {
    while (isWs(this.src[this.pos])) this.pos++;
  }

  protected ws1(): boolean {
    if (!isWs(this.src[this.pos])) {
      this.fail('whitespace');
      return false;
    }
    this.ws();
    return true;
  }

  /** Packrat memo of expression rules by start offset: PEG backtracking would otherwise be exponential in nesting. */
  protected readonly memo = new Map<string, Map<number, { r: unknown; end: number }>>();

  protected memoized<T>(rule: string, fn: () => T | null): T | null {
    let table = this.memo.get(rule);
    if (table === undefined) {
      table = new Map();
      this.memo.set(rule, table);
    }
    const start = this.pos;
    const hit = table.get(start);
    if (hit !== undefined) {
      if (hit.r !== null) this.pos = hit.end;
      return hit.r as T | null;
    }
    const r = fn();
    table.set(start, { r, end: this.pos });
    if (r === null) this.pos = start;
    return r;
  }

  /** Runs `fn`; on failure restores the position (PEG backtracking) and returns null. */
  protected attempt<T>(fn: () => T | null): T | null {
    const start = this.pos;
    const r = fn();
    if (r === null) this.pos = start;
    return r;
  }

  // ---- literals -------------------------------------------------------------------------------

  protected int(): ExprVal | null {
    const start = this.pos;
    let p = this.pos;
    if (this.src[p] === '-') p++;
    if (this.src[p] === '0') p++;
    else if (isDigit(this.src[p]) && this.src[p] !== '0') {
      while (isDigit(this.src[p])) p++;
    } else return this.fail('an integer');
    const text = this.src.slice(start, p);
    // Tera parses integer literals as i64.
    const big = BigInt(text);
    if (big < I64_MIN || big > I64_MAX) throw new TeraSyntaxError(`Integer out of bounds: \`${text}\``, start);
    this.pos = p;
    return { k: 'int', value: normInt(big) };
  }

  protected float(): ExprVal | null {
    const start = this.pos;
    let p = this.pos;
    if (this.src[p] === '-') p++;
    if (this.src[p] === '0') p++;
    else if (isDigit(this.src[p])) {
      while (isDigit(this.src[p])) p++;
    } else return this.fail('a float');
    if (this.src[p] !== '.' || !isDigit(this.src[p + 1])) return this.fail('a float');
    p++;
    while (isDigit(this.src[p])) p++;
    this.pos = p;
    return { k: 'float', value: Number(this.src.slice(start, p)) };
  }

  protected string(): string | null {
    const q = this.src[this.pos];
    if (q !== '"' && q !== "'" && q !== '`') return this.fail('a string');
    const end = this.src.indexOf(q, this.pos + 1);
    if (end < 0) return this.fail('a string');
    const value = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  protected boolean(): ExprVal | null {
    for (const [word, value] of [['true', true], ['false', false], ['True', true], ['False', false]] as const) {
      if (this.peekLit(word)) {
        this.pos += word.length;
        return { k: 'bool', value };
      }
    }
    return this.fail('`true` or `false`');
  }

  ident(): string | null {
    if (!isAlpha(this.src[this.pos])) return this.fail('an identifier');
    const start = this.pos;
    this.pos++;
    while (isAllChar(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  protected allChars(): string | null {
    const start = this.pos;
    while (isAllChar(this.src[this.pos])) this.pos++;
    if (this.pos === start) return this.fail('a character');
    return this.src.slice(start, this.pos);
  }

  protected dottedIdent(): IdentPath | null {
    const start = this.pos;
    const root = this.ident();
    if (root === null) return null;
    const rest: PathSegment[] = [];
    for (;;) {
      const save = this.pos;
      if (this.src[this.pos] !== '.') break;
      this.pos++;
      const part = this.allChars();
      if (part === null) {
        this.pos = save;
        break;
      }
      rest.push({ kind: 'key', key: part });
    }
    return { text: this.src.slice(start, this.pos), root, rest };
  }

  protected dottedSquareBracketIdent(): IdentPath | null {
    const start = this.pos;
    const head = this.dottedIdent();
    if (head === null) return null;
    const rest = [...head.rest];
    for (;;) {
      const save = this.pos;
      if (this.src[this.pos] === '.') {
        this.pos++;
        const part = this.allChars();
        if (part === null) {
          this.pos = save;
          break;
        }
        rest.push({ kind: 'key', key: part });
        continue;
      }
      if (this.src[this.pos] === '[') {
        this.pos++;
        const seg = this.squareBracketInner();
        if (seg === null || this.src[this.pos] !== ']') {
          if (seg !== null) this.fail('`]`');
          this.pos = save;
          break;
        }
        this.pos++;
        rest.push(seg);
        continue;
      }
      break;
    }
    return { text: this.src.slice(start, this.pos), root: head.root, rest };
  }

  protected squareBracketInner(): PathSegment | null {
    const before = this.pos;
    const i = this.int();
    if (i !== null && i.k === 'int') {
      const text = this.src.slice(before, this.pos);
      // Tera only treats unsigned integers as indexes; `-1` is looked up as a variable (and fails).
      return text.startsWith('-') ? { kind: 'var', path: { text, root: text, rest: [] } } : { kind: 'key', key: text };
    }
    const s = this.string();
    if (s !== null) return { kind: 'key', key: s };
    const path = this.dottedSquareBracketIdent();
    return path === null ? null : { kind: 'var', path };
  }

  // ---- calls ----------------------------------------------------------------------------------

  protected kwargs(): Map<string, Expr> | null {
    const first = this.kwarg();
    if (first === null) return null;
    // a trailing comma is allowed
    return new Map(this.commaList(first, () => this.attempt(() => this.kwarg()), true));
  }

  /** `first (, item)*`: stops before a comma that no item follows, unless a trailing comma is allowed. */
  protected commaList<T>(first: T, item: () => T | null, allowTrailingComma = false): T[] {
    const list = [first];
    for (;;) {
      const save = this.pos;
      this.ws();
      if (!this.lit(',')) {
        this.pos = save;
        break;
      }
      this.ws();
      const next = item();
      if (next === null) {
        if (!allowTrailingComma) this.pos = save;
        break;
      }
      list.push(next);
    }
    return list;
  }

  /** `first (op operand)*`, whitespace around operators; stops before an operator that no operand follows. */
  protected opChain<Op, T>(first: T, op: () => Op | null, operand: () => T | null): { operands: T[]; ops: Op[] } {
    const operands = [first];
    const ops: Op[] = [];
    for (;;) {
      const save = this.pos;
      this.ws();
      const o = op();
      if (o === null) {
        this.pos = save;
        break;
      }
      this.ws();
      const next = operand();
      if (next === null) {
        this.pos = save;
        break;
      }
      ops.push(o);
      operands.push(next);
    }
    return { operands, ops };
  }

  protected kwarg(): [string, Expr] | null {
    return this.attempt(() => {
      const name = this.ident();
      if (name === null) return null;
      this.ws();
      if (!this.lit('=')) return null;
      this.ws();
      const value = this.attempt(() => this.logicExpr()) ?? this.attempt(() => this.arrayFilter());
      return value === null ? null : [name, value];
    });
  }

  protected fnCall(): FunctionCall | null {
    return this.memoized('fnCall', () => {
      return this.attempt(() => {
        const at = this.pos;
        const name = this.ident();
        if (name === null) return null;
        this.ws();
        if (!this.lit('(')) return null;
        this.ws();
        const args = this.attempt(() => this.kwargs()) ?? new Map<string, Expr>();
        this.ws();
        if (!this.lit(')')) return null;
        return { name, args, line: this.lineOf(at), column: this.columnOf(at) };
      });
    });
  }

  protected macroCall(): ExprVal | null {
    return this.attempt(() => {
      const at = this.pos;
      const namespace = this.ident();
      if (namespace === null) return null;
      this.ws();
      if (!this.lit('::')) return null;
      this.ws();
      const name = this.ident();
      if (name === null) return null;
      this.ws();
      if (!this.lit('(')) return null;
      this.ws();
      const args = this.attempt(() => this.kwargs()) ?? new Map<string, Expr>();
      this.ws();
      if (!this.lit(')')) return null;
      return { k: 'macro', namespace, name, args, line: this.lineOf(at), column: this.columnOf(at) };
    });
  }

  protected filter(): FunctionCall | null {
    return this.attempt(() => {
      if (!this.lit('|')) return null;
      this.ws();
      const call = this.fnCall();
      if (call !== null) return call;
      const at = this.pos;
      const name = this.ident();
      return name === null ? null : { name, args: new Map<string, Expr>(), line: this.lineOf(at), column: this.columnOf(at) };
    });
  }

  protected filters(): FunctionCall[] {
    const out: FunctionCall[] = [];
    for (;;) {
      const save = this.pos;
      this.ws();
      const f = this.filter();
      if (f === null) {
        this.pos = save;
        return out;
      }
      out.push(f);
    }
  }

  // ---- tests ----------------------------------------------------------------------------------

  protected test(negated: boolean): ExprVal | null {
    return this.attempt(() => {
      const at = this.pos;
      // Tera 1.20: the tested value may use square brackets (`a["b"] is defined`).
      const ident = this.dottedSquareBracketIdent();
      if (ident === null) return null;
      this.ws();
      if (!this.lit('is')) return null;
      this.ws();
      if (negated) {
        if (!this.lit('not')) return null;
        this.ws();
      }
      const name = this.ident();
      if (name === null) return null;
      const args: Expr[] = [];
      const save = this.pos;
      this.ws();
      const parsedArgs = this.attempt(() => {
        if (!this.lit('(')) return null;
        this.ws();
        const first = this.testArg();
        if (first === null) return null;
        const list = this.commaList(first, () => this.testArg());
        this.ws();
        if (!this.lit(')')) return null;
        return list;
      });
      if (parsedArgs === null) this.pos = save;
      else args.push(...parsedArgs);
      return { k: 'test', ident, negated, name, args, line: this.lineOf(at), column: this.columnOf(at) };
    });
  }

  protected testArg(): Expr | null {
    return this.attempt(() => this.logicExpr()) ?? this.attempt(() => this.arrayFilter());
  }

  // ---- expressions ----------------------------------------------------------------------------

  protected expr(val: ExprVal, at: number, filters: FunctionCall[] = []): Expr {
    return { val, negated: false, filters, line: this.lineOf(at), column: this.columnOf(at) };
  }

  protected basicVal(): ExprVal | null {
    const b = this.attempt(() => this.boolean());
    if (b !== null) return b;
    const tn = this.test(true);
    if (tn !== null) return tn;
    const t = this.test(false);
    if (t !== null) return t;
    const m = this.macroCall();
    if (m !== null) return m;
    const f = this.fnCall();
    if (f !== null) return { k: 'fn', call: f };
    const id = this.attempt(() => this.dottedSquareBracketIdent());
    if (id !== null) return { k: 'ident', path: id };
    const fl = this.attempt(() => this.float());
    if (fl !== null) return fl;
    return this.attempt(() => this.int());
  }

  protected basicOp(): MathOp | null {
    const c = this.src[this.pos];
    if (c === '+' || c === '-' || c === '*' || c === '/' || c === '%') {
      this.pos++;
      return c;
    }
    return this.fail('a mathematical operator');
  }

  protected basicOperand(): ExprVal | null {
    const paren = this.attempt(() => {
      if (!this.lit('(')) return null;
      this.ws();
      const inner = this.basicExpr();
      if (inner === null) return null;
      this.ws();
      return this.lit(')') ? inner : null;
    });
    return paren ?? this.basicVal();
  }

  /** Precedence climbing over `+ -` (low) and `* / %` (high), left associative, like Tera's MATH_CLIMBER. */
  protected climb<T>(operands: T[], ops: MathOp[], make: (l: T, op: MathOp, r: T) => T): T {
    const terms: T[] = [];
    const lowOps: MathOp[] = [];
    let acc = operands[0] as T;
    ops.forEach((op, i) => {
      const rhs = operands[i + 1] as T;
      if (op === '*' || op === '/' || op === '%') acc = make(acc, op, rhs);
      else {
        terms.push(acc);
        lowOps.push(op);
        acc = rhs;
      }
    });
    terms.push(acc);
    let result = terms[0] as T;
    lowOps.forEach((op, j) => {
      result = make(result, op, terms[j + 1] as T);
    });
    return result;
  }

  protected basicExpr(): ExprVal | null {
    return this.memoized('basicExpr', () => {
      const start = this.pos;
      const first = this.basicOperand();
      if (first === null) return null;
      const { operands, ops } = this.opChain<MathOp, [ExprVal, number]>([first, start], () => this.basicOp(), () => {
        const at = this.pos;
        const next = this.basicOperand();
        return next === null ? null : [next, at];
      });
      if (ops.length === 0) return first;
      const wrapped = operands.map(([v, at]) => this.expr(v, at));
      return this.climb(wrapped, ops, (l, op, r) => this.expr({ k: 'math', lhs: l, op, rhs: r }, this.offsetOf(l))).val;
    });
  }

  protected offsetOf(e: Expr): number {
    return this.lineStarts[e.line - 1]! + e.column - 1;
  }

  protected basicExprFilter(): Expr | null {
    return this.memoized('basicExprFilter', () => {
      return this.attempt(() => {
        const at = this.pos;
        const val = this.basicExpr();
        if (val === null) return null;
        return this.expr(val, at, this.filters());
      });
    });
  }

  protected concatPart(): ExprVal | null {
    const f = this.fnCall();
    if (f !== null) return { k: 'fn', call: f };
    const fl = this.attempt(() => this.float());
    if (fl !== null) return fl;
    const i = this.attempt(() => this.int());
    if (i !== null) return i;
    const s = this.string();
    if (s !== null) return { k: 'string', value: s };
    const id = this.attempt(() => this.dottedSquareBracketIdent());
    return id === null ? null : { k: 'ident', path: id };
  }

  protected stringConcat(): ExprVal | null {
    return this.attempt(() => {
      const first = this.concatPart();
      if (first === null) return null;
      const parts = [first];
      for (;;) {
        const save = this.pos;
        this.ws();
        if (!this.lit('~')) {
          this.pos = save;
          break;
        }
        this.ws();
        const next = this.concatPart();
        if (next === null) {
          this.pos = save;
          break;
        }
        parts.push(next);
      }
      if (parts.length < 2) return null;
      // Fold adjacent string literals like Tera's parse_string_concat.
      const values: ExprVal[] = [];
      let current = '';
      for (const p of parts) {
        if (p.k === 'string') current += p.value;
        else {
          if (current !== '') values.push({ k: 'string', value: current });
          current = '';
          values.push(p);
        }
      }
      if (values.length === 0) return { k: 'string', value: current };
      if (current !== '') values.push({ k: 'string', value: current });
      return { k: 'concat', values };
    });
  }

  protected stringExprFilter(): Expr | null {
    return this.memoized('stringExprFilter', () => {
      return this.attempt(() => {
        const at = this.pos;
        let val = this.stringConcat();
        if (val === null) {
          const s = this.string();
          if (s === null) return null;
          val = { k: 'string', value: s };
        }
        return this.expr(val, at, this.filters());
      });
    });
  }

  protected comparisonVal(): Expr | null {
    return this.memoized('comparisonVal', () => {
      return this.attempt(() => {
        const first = this.basicExprFilter();
        if (first === null) return null;
        const { operands, ops } = this.opChain<MathOp, Expr>(first, () => this.basicOp(), () => this.basicExprFilter());
        if (ops.length === 0) return first;
        return this.climb(operands, ops, (l, op, r) => this.expr({ k: 'math', lhs: l, op, rhs: r }, this.offsetOf(l)));
      });
    });
  }

  protected comparisonOp(): LogicOp | null {
    for (const op of ['<=', '>=', '>', '<', '==', '!='] as const) {
      if (this.peekLit(op)) {
        this.pos += op.length;
        return op;
      }
    }
    return this.fail('a comparison operator');
  }

  protected comparisonExpr(): Expr | null {
    return this.memoized('comparisonExpr', () => {
      return this.attempt(() => {
        const lhs = this.stringExprFilter() ?? this.comparisonVal();
        if (lhs === null) return null;
        const save = this.pos;
        this.ws();
        const op = this.comparisonOp();
        if (op === null) {
          this.pos = save;
          return lhs;
        }
        this.ws();
        const rhs = this.stringExprFilter() ?? this.comparisonVal();
        if (rhs === null) {
          this.pos = save;
          return lhs;
        }
        return this.expr({ k: 'logic', lhs, op, rhs }, this.offsetOf(lhs));
      });
    });
  }

  protected opWord(word: string): boolean {
    if (this.src.startsWith(word, this.pos) && isWs(this.src[this.pos + word.length])) {
      this.pos += word.length + 1;
      return true;
    }
    this.fail(`\`${word}\``);
    return false;
  }

  protected inCond(): Expr | null {
    return this.memoized('inCond', () => {
      return this.attempt(() => {
        const at = this.pos;
        const lhs = this.stringExprFilter() ?? this.basicExprFilter();
        if (lhs === null) return null;
        this.ws();
        const save = this.pos;
        const negated = this.opWord('not');
        if (!negated) this.pos = save;
        this.ws();
        if (!this.lit('in')) return null;
        this.ws();
        const rhs = this.stringExprFilter() ?? this.arrayFilter() ?? this.identExpr();
        if (rhs === null) return null;
        return this.expr({ k: 'in', lhs, rhs, negated }, at);
      });
    });
  }

  protected identExpr(): Expr | null {
    const at = this.pos;
    const id = this.attempt(() => this.dottedSquareBracketIdent());
    return id === null ? null : this.expr({ k: 'ident', path: id }, at);
  }

  logicVal(): Expr | null {
    return this.memoized('logicVal', () => {
      return this.attempt(() => {
        const save = this.pos;
        const negated = this.opWord('not');
        if (!negated) this.pos = save;
        this.ws();
        const e = this.inCond() ?? this.comparisonExpr();
        // a copy: sub-expressions are memoised and may be shared between backtracking attempts
        if (e !== null) return { ...e, negated };
        this.pos = save;
        return this.parenLogic();
      });
    });
  }

  /**
   * Tera 1.20's `"(" ~ logic_expr ~ ")"` alternative of logic_val. Like parse_logic_val, it resets the inner
   * expression's `negated`, so `(not a)` alone is `a`; and `not (a or b)` is no logic_val at all.
   */
  protected parenLogic(): Expr | null {
    return this.attempt(() => {
      if (!this.lit('(')) return null;
      this.ws();
      const inner = this.logicExpr();
      if (inner === null) return null;
      this.ws();
      if (!this.lit(')')) return null;
      return { ...inner, negated: false };
    });
  }

  logicExpr(): Expr | null {
    return this.memoized('logicExpr', () => {
      return this.attempt(() => {
        const first = this.logicVal();
        if (first === null) return null;
        const { operands, ops } = this.opChain<'or' | 'and', Expr>(
          first,
          () => (this.opWord('or') ? 'or' : this.opWord('and') ? 'and' : null),
          () => this.logicVal(),
        );
        if (ops.length === 0) return first;
        // `and` binds tighter than `or`; both left associative.
        const orGroups: Expr[] = [];
        let acc = operands[0]!;
        for (let i = 0; i < ops.length; i++) {
          const rhs = operands[i + 1]!;
          if (ops[i] === 'and') acc = this.expr({ k: 'logic', lhs: acc, op: 'and', rhs }, this.offsetOf(acc));
          else {
            orGroups.push(acc);
            acc = rhs;
          }
        }
        orGroups.push(acc);
        let result = orGroups[0]!;
        for (let i = 1; i < orGroups.length; i++) result = this.expr({ k: 'logic', lhs: result, op: 'or', rhs: orGroups[i]! }, this.offsetOf(result));
        return result;
      });
    });
  }

  protected array(): ExprVal | null {
    return this.attempt(() => {
      if (!this.lit('[')) return null;
      this.ws();
      const items: Expr[] = [];
      for (;;) {
        const save = this.pos;
        const item = this.logicVal();
        if (item === null) {
          this.pos = save;
          break;
        }
        this.ws();
        if (!this.lit(',')) {
          this.pos = save;
          break;
        }
        this.ws();
        items.push(item);
      }
      const last = this.logicVal();
      if (last !== null) items.push(last);
      this.ws();
      if (!this.lit(']')) return null;
      return { k: 'array', items };
    });
  }

  arrayFilter(): Expr | null {
    return this.memoized('arrayFilter', () => {
      return this.attempt(() => {
        const at = this.pos;
        const arr = this.array();
        if (arr === null) return null;
        return this.expr(arr, at, this.filters());
      });
    });
  }

  protected logicOrArray(): Expr | null {
    return this.attempt(() => this.logicExpr()) ?? this.arrayFilter();
  }

}
