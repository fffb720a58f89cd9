// A light scan of Tera text for the variables it reads and binds, for `template lint` and `template show`.

export interface VariableUse {
  name: string;
  line: number;
  column: number;
}

export interface VariableScan {
  used: VariableUse[];
  bound: Set<string>;
}

const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'true', 'false', 'True', 'False', 'none', 'None', 'if', 'elif', 'else', 'endif',
  'for', 'endfor', 'set', 'set_global', 'macro', 'endmacro', 'import', 'include', 'extends', 'block', 'endblock',
  'filter', 'endfilter', 'raw', 'endraw', 'break', 'continue', 'as', 'self', 'super', 'loop',
]);

/** Names every template can read without declaring them. */
export const BUILTIN_NAMES = new Set(['sparql_results', 'row', 'loop', '__tera_context']);

const BLOCK = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}|\{#[\s\S]*?#\}/g;
const TOKEN = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|[^\s]/g;

function lineColumn(text: string, offset: number, lineOffset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line: line + lineOffset, column: offset - last };
}

/** Scans Tera source; `lineOffset` is added to line numbers (the body's first file line - 1). */
export function scanVariables(source: string, lineOffset = 0): VariableScan {
  const used: VariableUse[] = [];
  const bound = new Set<string>();
  for (const m of source.matchAll(BLOCK)) {
    const inner = m[1] ?? m[2];
    if (inner === undefined) continue;
    const isTag = m[2] !== undefined;
    const innerStart = m.index! + m[0].indexOf(inner);
    const tokens = [...inner.matchAll(TOKEN)].map((t) => ({ text: t[0], at: innerStart + t.index! }));
    const head = tokens[0]?.text;
    let start = 0;
    if (isTag && (head === 'for')) {
      const inAt = tokens.findIndex((t) => t.text === 'in');
      tokens.slice(1, inAt < 0 ? tokens.length : inAt).filter((t) => /^[A-Za-z_]/.test(t.text)).forEach((t) => bound.add(t.text));
      start = inAt < 0 ? tokens.length : inAt + 1;
    } else if (isTag && (head === 'set' || head === 'set_global') && tokens[1]) {
      bound.add(tokens[1].text);
      start = 3;
    } else if (isTag && head === 'macro') {
      tokens.slice(2).filter((t) => /^[A-Za-z_]/.test(t.text)).forEach((t) => bound.add(t.text));
      continue;
    } else if (isTag && (head === 'import' || head === 'include' || head === 'extends' || head === 'block' || head === 'filter')) {
      const asAt = tokens.findIndex((t) => t.text === 'as');
      if (asAt >= 0 && tokens[asAt + 1]) bound.add(tokens[asAt + 1]!.text);
      continue;
    }
    for (let i = start; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (!/^[A-Za-z_]/.test(tok.text) || KEYWORDS.has(tok.text)) continue;
      const prev = tokens[i - 1]?.text;
      const next = tokens[i + 1]?.text;
      if (prev === '.' || prev === '|' || prev === 'is' || (prev === 'not' && tokens[i - 2]?.text === 'is')) continue;
      if (next === '(' || next === '=') continue;
      // `x | default(…)` and `x is defined` guard against a missing value themselves.
      if (next === '|' && tokens[i + 2]?.text === 'default') continue;
      if (next === 'is' && /^(defined|undefined)$/.test(tokens[i + 2]?.text ?? '') || (next === 'is' && tokens[i + 2]?.text === 'not')) continue;
      used.push({ name: tok.text, ...lineColumn(source, tok.at, lineOffset) });
    }
  }
  return { used, bound };
}
