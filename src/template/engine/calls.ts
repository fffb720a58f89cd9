// Every filter, function and test a template calls, with its position: lint checks the names before any render.
import type { Expr, ExprVal, FunctionCall, Node } from './ast.js';

export interface CallSite {
  kind: 'filter' | 'function' | 'test';
  name: string;
  /** Line in the template source (1-based, before the unit's lineOffset). */
  line: number;
  column: number;
}

function fromCall(kind: 'filter' | 'function', c: FunctionCall, out: CallSite[]): void {
  out.push({ kind, name: c.name, line: c.line, column: c.column });
  for (const a of c.args.values()) fromExpr(a, out);
}

function fromVal(v: ExprVal, out: CallSite[]): void {
  switch (v.k) {
    case 'math': case 'logic': fromExpr(v.lhs, out); fromExpr(v.rhs, out); return;
    case 'in': fromExpr(v.lhs, out); fromExpr(v.rhs, out); return;
    case 'test': out.push({ kind: 'test', name: v.name, line: v.line, column: v.column }); v.args.forEach((a) => fromExpr(a, out)); return;
    case 'macro': for (const a of v.args.values()) fromExpr(a, out); return;
    case 'fn': fromCall('function', v.call, out); return;
    case 'array': v.items.forEach((a) => fromExpr(a, out)); return;
    case 'concat': v.values.forEach((x) => fromVal(x, out)); return;
    default: return;
  }
}

function fromExpr(e: Expr, out: CallSite[]): void {
  fromVal(e.val, out);
  for (const f of e.filters) fromCall('filter', f, out);
}

export function collectCalls(nodes: readonly Node[], out: CallSite[] = []): CallSite[] {
  for (const n of nodes) {
    switch (n.t) {
      case 'var': fromExpr(n.expr, out); break;
      case 'set': fromExpr(n.value, out); break;
      case 'filter': fromCall('filter', n.filter, out); collectCalls(n.body, out); break;
      case 'if':
        for (const [, cond, body] of n.node.conditions) { fromExpr(cond, out); collectCalls(body, out); }
        if (n.node.otherwise) collectCalls(n.node.otherwise[1], out);
        break;
      case 'for': fromExpr(n.node.container, out); collectCalls(n.node.body, out); if (n.node.emptyBody) collectCalls(n.node.emptyBody, out); break;
      case 'block': collectCalls(n.block.body, out); break;
      case 'macro':
        for (const [, d] of n.def.args) if (d) fromExpr(d, out);
        collectCalls(n.def.body, out);
        break;
      default: break;
    }
  }
  return out;
}
