// The one frontmatter splitter: YAML frontmatter and Tera body of a template file, with line numbers for errors.

export interface FrontmatterSplit {
  /** The YAML text between the `---` markers, or undefined when the file has no (closed) frontmatter. */
  frontmatter: string | undefined;
  /** 1-based file line of the first frontmatter line (2 when present). */
  frontmatterStartLine: number;
  body: string;
  /** 1-based file line where the body starts. */
  bodyStartLine: number;
  /** The first line is `---` but no later line closes it (the marker line is then dropped, as 1.x did). */
  unclosed: boolean;
}

export interface SplitOptions {
  /** `ggen1`: the body exactly as ggen 1.x (gray_matter 0.3.2) gave it: CRs and the final newline dropped. */
  compat?: 'ggen1';
}

const isMarker = (line: string | undefined): boolean => line !== undefined && line.replace(/\r$/, '').replace(/[ \t]+$/, '') === '---';

/**
 * Frontmatter exists when the first line is `---` and a later line is `---` (trailing spaces ignored), as
 * with gray_matter in ggen 1.x; a leading BOM is ignored. Blank lines right after the frontmatter are not
 * part of the body. The body keeps its final newline and its CR characters (generated files end as the
 * template does); a file without frontmatter is all body. `compat: 'ggen1'` gives 1.x's body instead.
 */
export function splitFrontmatter(text: string, opts: SplitOptions = {}): FrontmatterSplit {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (opts.compat === 'ggen1') return splitGgen1(source);
  const lines = source.split('\n');
  let frontmatter: string | undefined;
  let first = 0;
  let unclosed = false;
  if (isMarker(lines[0])) {
    const close = lines.findIndex((l, i) => i > 0 && isMarker(l));
    if (close > 0) {
      frontmatter = lines.slice(1, close).join('\n');
      first = close + 1;
    } else {
      unclosed = true;
      first = 1;
    }
  }
  // A file without frontmatter is all body, leading blank lines included (a plain Tera file renders as Tera does).
  if (first > 0) while (first < lines.length - 1 && lines[first]!.replace(/\r$/, '') === '') first++;
  return { frontmatter, frontmatterStartLine: 2, body: lines.slice(first).join('\n'), bodyStartLine: first + 1, unclosed };
}

/** Rust's str::lines(): split on `\n`, drop one `\r` before it, no empty line after a final newline. */
function rustLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** gray_matter 0.3.2 as ggen 1.x used it (spec §2.1), quirks included. */
function splitGgen1(text: string): FrontmatterSplit {
  const result = (frontmatter: string | undefined, lines: string[], from: number, unclosed = false): FrontmatterSplit => {
    let i = from;
    // gray_matter strips leading "\n" characters, i.e. empty lines (a line holding only "\r" is empty after lines()).
    while (i < lines.length && lines[i] === '') i++;
    return { frontmatter, frontmatterStartLine: 2, body: lines.slice(i).join('\n'), bodyStartLine: i + 1, unclosed };
  };
  if (Buffer.byteLength(text, 'utf8') <= 3) return { frontmatter: undefined, frontmatterStartLine: 2, body: '', bodyStartLine: 1, unclosed: false };
  const lines = rustLines(text);
  if (!isMarker(lines[0])) return result(undefined, lines, 0);
  const close = lines.findIndex((l, i) => i > 0 && isMarker(l));
  // An opening marker without a closing one: the marker line is dropped and the rest is body.
  if (close < 0) return result(undefined, lines, 1, true);
  return result(lines.slice(1, close).join('\n').trim(), lines, close + 1);
}
