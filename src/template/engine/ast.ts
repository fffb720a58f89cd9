// The Tera 1.x syntax tree: the same shapes as Tera's own `parser/ast.rs`, so the renderer can mirror Tera's semantics.

/** Whitespace-control marks of one tag: `{%-` (left) and `-%}` (right). */
export interface WS {
  left: boolean;
  right: boolean;
}

export interface FunctionCall {
  name: string;
  args: Map<string, Expr>;
  line: number;
  column: number;
}

export type MathOp = '+' | '-' | '*' | '/' | '%';
export type LogicOp = 'or' | 'and' | '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One step of a variable path after its root: a literal key/index or a nested variable in `[...]`. */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'var'; path: IdentPath };

export interface IdentPath {
  /** The path as written, e.g. `user.emails[0]`, used in error messages. */
  text: string;
  root: string;
  rest: PathSegment[];
  /** Filled lazily by the renderer: `rest` as plain keys, or null when a segment is a variable. */
  staticKeys?: string[] | null;
}

export type ExprVal =
  | { k: 'string'; value: string }
  | { k: 'int'; value: number | bigint }
  | { k: 'float'; value: number }
  | { k: 'bool'; value: boolean }
  | { k: 'ident'; path: IdentPath }
  | { k: 'math'; lhs: Expr; op: MathOp; rhs: Expr }
  | { k: 'logic'; lhs: Expr; op: LogicOp; rhs: Expr }
  | { k: 'test'; ident: IdentPath; negated: boolean; name: string; args: Expr[]; line: number; column: number }
  | { k: 'macro'; namespace: string; name: string; args: Map<string, Expr>; line: number; column: number }
  | { k: 'fn'; call: FunctionCall }
  | { k: 'array'; items: Expr[] }
  | { k: 'concat'; values: ExprVal[] }
  | { k: 'in'; lhs: Expr; rhs: Expr; negated: boolean };

export interface Expr {
  val: ExprVal;
  negated: boolean;
  filters: FunctionCall[];
  line: number;
  column: number;
}

export interface MacroDefinition {
  name: string;
  /** Argument names in order, each with its default (a literal) or undefined. */
  args: Array<[string, Expr | undefined]>;
  body: Node[];
}

export interface Block {
  name: string;
  body: Node[];
}

export interface IfNode {
  conditions: Array<[WS, Expr, Node[]]>;
  otherwise: [WS, Node[]] | undefined;
}

export interface ForLoopNode {
  key: string | undefined;
  value: string;
  container: Expr;
  body: Node[];
  emptyBody: Node[] | undefined;
}

export type Node =
  | { t: 'text'; value: string }
  | { t: 'raw'; start: WS; value: string; end: WS }
  | { t: 'comment'; ws: WS }
  | { t: 'var'; ws: WS; expr: Expr; line: number }
  | { t: 'set'; ws: WS; key: string; value: Expr; global: boolean; line: number }
  | { t: 'filter'; start: WS; filter: FunctionCall; body: Node[]; end: WS; line: number }
  | { t: 'import'; ws: WS; file: string; namespace: string; line: number }
  | { t: 'extends'; ws: WS; file: string; line: number }
  | { t: 'include'; ws: WS; files: string[]; ignoreMissing: boolean; line: number }
  | { t: 'if'; node: IfNode; end: WS; line: number }
  | { t: 'for'; start: WS; node: ForLoopNode; end: WS; line: number }
  | { t: 'break'; ws: WS; line: number }
  | { t: 'continue'; ws: WS; line: number }
  | { t: 'block'; start: WS; block: Block; end: WS; line: number }
  | { t: 'super'; line: number }
  | { t: 'macro'; start: WS; def: MacroDefinition; end: WS; line: number };
