// Streaming parse of W3C SPARQL 1.1 JSON results: each element of `results.bindings` is cut out of the byte
// stream and parsed on its own, so a large SELECT never holds its whole response text (or a DOM of it).

export type JsonResultEvent =
  /** The variables, when `head` came before the bindings (as every store we know sends it). */
  | { kind: 'head'; vars: string[] }
  | { kind: 'row'; binding: Record<string, unknown> }
  /** Everything outside the bindings array (head, boolean, link…), once the document has ended. */
  | { kind: 'end'; document: Record<string, unknown> };

/**
 * A push parser: feed() text chunks, get events back. Only string state and nesting depth are tracked per
 * character; the bindings array is recognised by the key before it (`"bindings":` directly in `results`).
 */
export class SparqlJsonSplitter {
  private outside = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the bindings array while inside it, else -1. */
  private bindingsDepth = -1;
  private element = '';
  private elementDepth = 0;
  private resultsDepth = -1;

  feed(chunk: string): JsonResultEvent[] {
    const events: JsonResultEvent[] = [];
    let start = 0;
    const flushOutside = (end: number) => { if (this.bindingsDepth < 0 && end > start) this.outside += chunk.slice(start, end); };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true; // backslash
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) { this.inString = true; continue; }
      if (this.bindingsDepth >= 0) {
        // Inside the bindings array: collect one element at a time.
        if (c === 123 || c === 91) {
          if (this.elementDepth === 0) start = i;
          this.elementDepth++;
        } else if (c === 125 || c === 93) {
          if (this.elementDepth === 0) {
            // The array closes.
            this.bindingsDepth = -1;
            this.depth--;
            this.outside += ']';
            start = i + 1;
            continue;
          }
          this.elementDepth--;
          if (this.elementDepth === 0) {
            this.element += chunk.slice(start, i + 1);
            events.push({ kind: 'row', binding: JSON.parse(this.element) as Record<string, unknown> });
            this.element = '';
            start = i + 1;
          }
        }
        continue;
      }
      if (c === 123 || c === 91) {
        flushOutside(i);
        start = i;
        if (c === 91 && this.depth === this.resultsDepth + 1 && this.resultsDepth >= 0 && /"bindings"\s*:\s*$/.test(this.outside.slice(-64))) {
          const vars = headBefore(this.outside);
          if (vars !== undefined) events.push({ kind: 'head', vars });
          this.outside += '[';
          this.bindingsDepth = this.depth;
          this.elementDepth = 0;
          this.depth++;
          start = i + 1;
          continue;
        }
        if (c === 123 && this.depth === 1 && /"results"\s*:\s*$/.test(this.outside.slice(-64))) this.resultsDepth = 1;
        this.depth++;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === this.resultsDepth) this.resultsDepth = -1;
      }
    }
    if (this.bindingsDepth >= 0) {
      if (this.elementDepth > 0) this.element += chunk.slice(start);
    } else this.outside += chunk.slice(start);
    return events;
  }

  end(): { kind: 'end'; document: Record<string, unknown> } {
    if (this.depth !== 0 || this.inString || this.bindingsDepth >= 0) throw new SyntaxError('SPARQL JSON results end in the middle of the document');
    return { kind: 'end', document: JSON.parse(this.outside) as Record<string, unknown> };
  }
}

/** `head.vars` from the text before the bindings array (`{"head":{…},"results":{…,"bindings":`), if there. */
function headBefore(outside: string): string[] | undefined {
  try {
    const doc = JSON.parse(`${outside}[]}}`) as { head?: { vars?: unknown } };
    const vars = doc.head?.vars;
    return Array.isArray(vars) && vars.every((v) => typeof v === 'string') ? vars : undefined;
  } catch {
    return undefined;
  }
}
