// Where each key of a TOML document is written (line and column), for errors that point at the source.
// smol-toml parses values but not positions, so this light scanner finds table headers and `key =` lines.

export interface KeyPosition {
  line: number;
  column: number;
}

const BARE = /^[A-Za-z0-9_-]+/;

/** Parses a dotted key (`a."b.c".d`) starting at `text[from]`; returns the parts and where it ended. */
function readDottedKey(text: string, from: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let i = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) return undefined;
      const raw = text.slice(i + 1, close);
      parts.push(ch === '"' ? raw.replace(/\\(["\\])/g, '$1') : raw);
      i = close + 1;
    } else {
      const m = BARE.exec(text.slice(i));
      if (!m) return undefined;
      parts.push(m[0]);
      i += m[0].length;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') return { parts, end: i };
    i++;
  }
}

/** Net bracket depth change of a value fragment, ignoring brackets inside strings and comments. */
function bracketDelta(text: string, state: { inMultiline: '"""' | "'''" | undefined }): number {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    if (state.inMultiline) {
      const close = text.indexOf(state.inMultiline, i);
      if (close < 0) return depth;
      i = close + 3;
      state.inMultiline = undefined;
      continue;
    }
    const ch = text[i]!;
    if (ch === '#') break;
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      state.inMultiline = text.slice(i, i + 3) as '"""' | "'''";
      i += 3;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += ch === '"' && text[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    i++;
  }
  return depth;
}

/** Maps dotted key paths (joined with NUL) to their position; `locate` falls back to the nearest ancestor. */
export class KeyPositions {
  private readonly map = new Map<string, KeyPosition>();

  constructor(source: string) {
    const lines = source.split(/\r?\n/);
    let table: string[] = [];
    let depth = 0;
    /** How many `[[x]]` tables of each header were seen: the n-th is also reachable as `x.n` (0-based). */
    const arrayCounts = new Map<string, number>();
    const state: { inMultiline: '"""' | "'''" | undefined } = { inMultiline: undefined };
    lines.forEach((text, index) => {
      const line = index + 1;
      if (state.inMultiline || depth > 0) {
        depth += bracketDelta(text, state);
        return;
      }
      const indent = text.length - text.trimStart().length;
      const trimmed = text.trimStart();
      if (trimmed.startsWith('[')) {
        const isArray = trimmed.startsWith('[[');
        const key = readDottedKey(trimmed, isArray ? 2 : 1);
        if (key) {
          const column = indent + (isArray ? 3 : 2);
          // `[a.b]` also defines `a` implicitly; point at the first header that mentions it.
          for (let n = 1; n <= key.parts.length; n++) this.set(key.parts.slice(0, n), { line, column });
          table = key.parts;
          if (isArray) {
            const id = key.parts.join('\0');
            const index = arrayCounts.get(id) ?? 0;
            arrayCounts.set(id, index + 1);
            table = [...key.parts, String(index)];
            this.set(table, { line, column });
          }
        }
        return;
      }
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const key = readDottedKey(trimmed, 0);
      if (!key || trimmed[key.end] !== '=') return;
      const path = [...table, ...key.parts];
      this.set(path, { line, column: indent + 1 });
      // Keys of the n-th `[[x]]` table are also found without the index (the first table's, as before).
      if (table.length > 0 && arrayCounts.size > 0 && /^\d+$/.test(table[table.length - 1]!)) this.set([...table.slice(0, -1), ...key.parts], { line, column: indent + 1 });
      const value = trimmed.slice(key.end + 1);
      this.scanInline(value, path, line, indent + key.end + 2);
      depth += bracketDelta(value, state);
    });
  }

  private set(path: string[], pos: KeyPosition): void {
    const id = path.join('\0');
    if (!this.map.has(id)) this.map.set(id, pos);
  }

  /** Records keys of a one-line inline table (`env = { A = "1" }`). */
  private scanInline(value: string, path: string[], line: number, offset: number): void {
    const open = value.indexOf('{');
    if (open < 0 || value.slice(0, open).trim() !== '') return;
    const re = /[{,]\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      const raw = m[1]!;
      const name = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw;
      this.set([...path, name], { line, column: offset + m.index + m[0].indexOf(raw) });
    }
  }

  /** The position of `path`, or of its nearest written ancestor. */
  locate(path: readonly string[]): KeyPosition | undefined {
    for (let n = path.length; n > 0; n--) {
      const hit = this.map.get(path.slice(0, n).join('\0'));
      if (hit) return hit;
    }
    return undefined;
  }
}
