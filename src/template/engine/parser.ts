// The tag half of the Tera 1.x grammar (`tera.pest`): text, comments, variable tags, if/for/set/filter/raw/
// block/macro/include/import/extends, with the content rules that restrict where each tag may appear.
import type { Block, Expr, ForLoopNode, IfNode, MacroDefinition, Node, WS } from './ast.js';
import { ExpressionParser } from './expression-parser.js';

export { TeraSyntaxError } from './expression-parser.js';

type ContentKind = 'content' | 'macro' | 'block' | 'for' | 'filter';

class Parser extends ExpressionParser {
  // ---- tags -----------------------------------------------------------------------------------

  private tagStart(): boolean | null {
    if (this.peekLit('{%-')) {
      this.pos += 3;
      return true;
    }
    if (this.peekLit('{%')) {
      this.pos += 2;
      return false;
    }
    this.fail('tag');
    return null;
  }

  private tagEnd(): boolean | null {
    if (this.peekLit('-%}')) {
      this.pos += 3;
      return true;
    }
    if (this.peekLit('%}')) {
      this.pos += 2;
      return false;
    }
    this.fail('`%}` or `-%}`');
    return null;
  }

  /** `{% word %}` with implicit whitespace (the `!{ tag_start ~ "word" ~ tag_end }` rules); an optional trailing ident. */
  private simpleTag(word: string, allowIdent = false): WS | null {
    return this.attempt(() => {
      const left = this.tagStart();
      if (left === null) return null;
      this.ws();
      if (!this.lit(word)) return null;
      if (allowIdent) {
        const save = this.pos;
        this.ws();
        if (this.attempt(() => this.ident()) === null) this.pos = save;
      }
      this.ws();
      const right = this.tagEnd();
      if (right === null) return null;
      return { left, right };
    });
  }

  /** `{% word` + WHITESPACE+ (the compound-atomic tag openings). */
  private openTag(word: string): boolean | null {
    const left = this.tagStart();
    if (left === null) return null;
    this.ws();
    if (!this.lit(word)) return null;
    if (!this.ws1()) return null;
    return left;
  }

  private closeTag(): boolean | null {
    this.ws();
    return this.tagEnd();
  }

  private includeTag(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag('include');
      if (left === null) return null;
      let files: string[] | null = null;
      const s = this.string();
      if (s !== null) files = [s];
      else files = this.attempt(() => this.stringArray());
      if (files === null) return null;
      this.ws();
      let ignoreMissing = false;
      const save = this.pos;
      if (this.lit('ignore')) {
        this.ws();
        if (this.lit('missing')) ignoreMissing = true;
        else this.pos = save;
      }
      const right = this.closeTag();
      if (right === null) return null;
      return { t: 'include', ws: { left, right }, files, ignoreMissing, line: this.lineOf(at) };
    });
  }

  private stringArray(): string[] | null {
    if (!this.lit('[')) return null;
    this.ws();
    const out: string[] = [];
    for (;;) {
      const save = this.pos;
      const s = this.string();
      if (s === null) break;
      this.ws();
      if (!this.lit(',')) {
        this.pos = save;
        break;
      }
      this.ws();
      out.push(s);
    }
    const last = this.string();
    if (last !== null) out.push(last);
    this.ws();
    if (!this.lit(']')) return null;
    return out;
  }

  private commentTag(): Node | null {
    return this.attempt(() => {
      let left = false;
      if (this.peekLit('{#-')) {
        this.pos += 3;
        left = true;
      } else if (this.peekLit('{#')) this.pos += 2;
      else return this.fail('a comment tag');
      const start = this.pos;
      let i = start;
      while (i < this.src.length && !this.src.startsWith('#}', i) && !this.src.startsWith('-#}', i)) i++;
      if (i >= this.src.length) return this.fail('a comment end (`#}`)');
      if (i === start) return this.fail('the context of a comment (`{# ... #}`)');
      const right = this.src[i] === '-';
      this.pos = i + (right ? 3 : 2);
      return { t: 'comment', ws: { left, right } };
    });
  }

  private variableTag(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      let left = false;
      if (this.peekLit('{{-')) {
        this.pos += 3;
        left = true;
      } else if (this.peekLit('{{')) this.pos += 2;
      else return this.fail('a variable tag (`{{ ... }}`)');
      this.ws();
      const expr = this.logicOrArray();
      if (expr === null) return null;
      this.ws();
      let right = false;
      if (this.peekLit('-}}')) {
        this.pos += 3;
        right = true;
      } else if (this.peekLit('}}')) this.pos += 2;
      else return this.fail('a variable end (`}}`)');
      return { t: 'var', ws: { left, right }, expr, line: this.lineOf(at) };
    });
  }

  private superTag(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      if (this.peekLit('{{-')) this.pos += 3;
      else if (this.peekLit('{{')) this.pos += 2;
      else return null;
      this.ws();
      if (!this.lit('super()')) return null;
      this.ws();
      if (this.peekLit('-}}')) this.pos += 3;
      else if (this.peekLit('}}')) this.pos += 2;
      else return null;
      return { t: 'super', line: this.lineOf(at) };
    });
  }

  private setTag(global: boolean): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag(global ? 'set_global' : 'set');
      if (left === null) return null;
      const key = this.ident();
      if (key === null) return null;
      this.ws();
      if (!this.lit('=')) return null;
      this.ws();
      const value = this.logicOrArray();
      if (value === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      return { t: 'set', ws: { left, right }, key, value, global, line: this.lineOf(at) };
    });
  }

  private rawBlock(): Node | null {
    return this.attempt(() => {
      const start = this.simpleTag('raw');
      if (start === null) return null;
      const textStart = this.pos;
      for (;;) {
        const save = this.pos;
        const end = this.inside('raw', textStart, () => this.simpleTag('endraw'));
        if (end !== null) return { t: 'raw', start, value: this.src.slice(textStart, save), end };
        this.pos = save;
        if (this.pos >= this.src.length) return this.fail('`{% endraw %}`');
        this.pos++;
      }
    });
  }

  private breakTag(word: 'break' | 'continue'): Node | null {
    const at = this.pos;
    const ws = this.simpleTag(word);
    if (ws === null) return null;
    return word === 'break' ? { t: 'break', ws, line: this.lineOf(at) } : { t: 'continue', ws, line: this.lineOf(at) };
  }

  private filterSection(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag('filter');
      if (left === null) return null;
      let filter = this.fnCall();
      if (filter === null) {
        const fat = this.pos;
        const name = this.ident();
        if (name === null) return null;
        filter = { name, args: new Map<string, Expr>(), line: this.lineOf(fat), column: this.columnOf(fat) };
      }
      const right = this.closeTag();
      if (right === null) return null;
      const body = this.inside('filter', at, () => this.contents('filter'));
      const end = this.inside('filter', at, () => this.simpleTag('endfilter'));
      if (end === null) return null;
      return { t: 'filter', start: { left, right }, filter, body, end, line: this.lineOf(at) };
    });
  }

  private blockTag(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag('block');
      if (left === null) return null;
      const name = this.ident();
      if (name === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      const body = this.inside('block', at, () => this.contents('block'));
      const end = this.inside('block', at, () => this.simpleTag('endblock', true));
      if (end === null) return null;
      const block: Block = { name, body };
      return { t: 'block', start: { left, right }, block, end, line: this.lineOf(at) };
    });
  }

  private macroArgDefault(): Expr | null {
    const at = this.pos;
    const b = this.attempt(() => this.boolean());
    if (b !== null) return this.expr(b, at);
    const s = this.string();
    if (s !== null) return this.expr({ k: 'string', value: s }, at);
    const f = this.attempt(() => this.float());
    if (f !== null) return this.expr(f, at);
    const i = this.attempt(() => this.int());
    return i === null ? null : this.expr(i, at);
  }

  private macroDefArg(): [string, Expr | undefined] | null {
    return this.attempt(() => {
      const name = this.ident();
      if (name === null) return null;
      const save = this.pos;
      if (this.src[this.pos] === '=') {
        this.pos++;
        const def = this.macroArgDefault();
        if (def !== null) return [name, def];
      }
      this.pos = save;
      return [name, undefined];
    });
  }

  private macroDefinition(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag('macro');
      if (left === null) return null;
      const name = this.ident();
      if (name === null) return null;
      this.ws();
      if (!this.lit('(')) return null;
      this.ws();
      const first = this.macroDefArg();
      const args: Array<[string, Expr | undefined]> = first === null ? [] : this.commaList(first, () => this.macroDefArg());
      this.ws();
      if (!this.lit(')')) return null;
      const right = this.closeTag();
      if (right === null) return null;
      const body = this.inside('macro', at, () => this.contents('macro'));
      const end = this.inside('macro', at, () => this.simpleTag('endmacro', true));
      if (end === null) return null;
      const seen = new Map<string, [string, Expr | undefined]>();
      for (const a of args) seen.set(a[0], a);
      const def: MacroDefinition = { name, args: [...seen.values()], body };
      return { t: 'macro', start: { left, right }, def, end, line: this.lineOf(at) };
    });
  }

  private ifTag(word: 'if' | 'elif'): [WS, Expr] | null {
    return this.attempt(() => {
      const left = this.openTag(word);
      if (left === null) return null;
      const e = this.logicExpr();
      if (e === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      return [{ left, right }, e];
    });
  }

  private ifBlock(kind: ContentKind): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const first = this.ifTag('if');
      if (first === null) return null;
      return this.inside('if', at, (): Node | null => {
        const node: IfNode = { conditions: [[first[0], first[1], this.contents(kind)]], otherwise: undefined };
        for (;;) {
          const elif = this.ifTag('elif');
          if (elif === null) break;
          node.conditions.push([elif[0], elif[1], this.contents(kind)]);
        }
        const elseWs = this.simpleTag('else');
        if (elseWs !== null) node.otherwise = [elseWs, this.contents(kind)];
        const end = this.simpleTag('endif');
        if (end === null) return null;
        return { t: 'if', node, end, line: this.lineOf(at) };
      });
    });
  }

  private forLoop(): Node | null {
    return this.attempt(() => {
      const at = this.pos;
      const left = this.openTag('for');
      if (left === null) return null;
      const first = this.ident();
      if (first === null) return null;
      let key: string | undefined;
      let value = first;
      if (this.src[this.pos] === ',') {
        this.pos++;
        this.ws();
        const second = this.ident();
        if (second === null) return null;
        key = first;
        value = second;
      }
      if (!this.ws1()) return null;
      if (!this.lit('in')) return null;
      if (!this.ws1()) return null;
      const container = this.basicExprFilter() ?? this.arrayFilter();
      if (container === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      return this.inside('for', at, (): Node | null => {
        const node: ForLoopNode = { key, value, container, body: this.contents('for'), emptyBody: undefined };
        for (;;) {
          if (this.simpleTag('else') === null) break;
          node.emptyBody = this.contents('for');
        }
        const end = this.simpleTag('endfor');
        if (end === null) return null;
        return { t: 'for', start: { left, right }, node, end, line: this.lineOf(at) };
      });
    });
  }

  private text(): Node | null {
    const start = this.pos;
    let p = this.pos;
    const n = this.src.length;
    while (p < n) {
      const c = this.src.charCodeAt(p);
      if (c === 123 /* { */) {
        const d = this.src[p + 1];
        if (d === '{' || d === '%' || d === '#') break;
      }
      p++;
    }
    if (p === start) return this.fail('some text');
    this.pos = p;
    return { t: 'text', value: this.src.slice(start, p) };
  }

  /** One `content`/`macro_content`/… item, in the grammar's order of alternatives. */
  private contentItem(kind: ContentKind, topLevel: boolean): Node | null {
    const c = this.src[this.pos];
    if (c === undefined) return this.fail('some content');
    if (c !== '{') return this.text();
    const d = this.src[this.pos + 1];
    if (d === '{') {
      if (kind === 'block') {
        const s = this.superTag();
        if (s !== null) return s;
      }
      return this.variableTag();
    }
    if (d === '#') return this.commentTag();
    if (d !== '%') return this.text();
    return (
      this.includeTag() ??
      this.setTag(false) ??
      this.setTag(true) ??
      // Tera 1.20: `(content | macro_definition)*`, so macros are defined at the top level only.
      (topLevel ? this.macroDefinition() : null) ??
      (kind === 'content' || kind === 'block' || kind === 'filter' ? this.blockTag() : null) ??
      this.ifBlock(kind) ??
      this.forLoop() ??
      (kind === 'for' ? (this.breakTag('break') ?? this.breakTag('continue')) : null) ??
      this.filterSection() ??
      this.rawBlock()
    );
  }

  /** Parses a block body while `tag` is recorded as open (for "not closed" messages). */
  private inside<T>(tag: string, offset: number, fn: () => T): T {
    this.open.push({ tag, offset });
    try {
      return fn();
    } finally {
      this.open.pop();
    }
  }

  contents(kind: ContentKind, topLevel = false): Node[] {
    const out: Node[] = [];
    for (;;) {
      const save = this.pos;
      const item = this.contentItem(kind, topLevel);
      if (item === null) {
        this.pos = save;
        return out;
      }
      out.push(item);
    }
  }

  private extendsTag(): Node | null {
    return this.attempt(() => {
      this.ws();
      const at = this.pos;
      const left = this.openTag('extends');
      if (left === null) return null;
      const file = this.string();
      if (file === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      this.ws();
      return { t: 'extends', ws: { left, right }, file, line: this.lineOf(at) };
    });
  }

  private importTag(): Node | null {
    return this.attempt(() => {
      this.ws();
      const at = this.pos;
      const left = this.openTag('import');
      if (left === null) return null;
      const file = this.string();
      if (file === null) return null;
      if (!this.ws1()) return null;
      if (!this.lit('as')) return null;
      if (!this.ws1()) return null;
      const namespace = this.ident();
      if (namespace === null) return null;
      const right = this.closeTag();
      if (right === null) return null;
      this.ws();
      return { t: 'import', ws: { left, right }, file, namespace, line: this.lineOf(at) };
    });
  }

  template(): Node[] {
    const nodes: Node[] = [];
    while (this.commentTag() !== null) {
      // leading comments are dropped
    }
    const ext = this.extendsTag();
    if (ext !== null) {
      nodes.push(ext);
      for (let imp = this.importTag(); imp !== null; imp = this.importTag()) nodes.push(imp);
    } else {
      let any = false;
      for (let imp = this.importTag(); imp !== null; imp = this.importTag()) {
        nodes.push(imp);
        any = true;
      }
      if (any) {
        const ext2 = this.extendsTag();
        if (ext2 !== null) nodes.push(ext2);
      }
    }
    nodes.push(...this.contents('content', true));
    if (this.pos < this.src.length) {
      this.fail('end of input');
      throw this.error();
    }
    return nodes;
  }
}

/** Parses a Tera template into its node list (before whitespace control is applied). */
export function parseTera(source: string): { nodes: Node[]; lineOf: (offset: number) => number; columnOf: (offset: number) => number } {
  const p = new Parser(source);
  const nodes = p.template();
  return { nodes, lineOf: (o) => p.lineOf(o), columnOf: (o) => p.columnOf(o) };
}

