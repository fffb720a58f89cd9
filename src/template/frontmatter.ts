// Splitting a template file into YAML frontmatter and body with gray_matter 0.3.2's semantics (ggen 1.x).

export interface FrontmatterSplit {
  /** The YAML text between the `---` markers (trimmed), or undefined when the file has no frontmatter. */
  frontmatter: string | undefined;
  /** The body as 1.x gives it: lines re-joined with `\n`, leading blank lines and the final newline dropped. */
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyStartLine: number;
}

/** Rust's str::lines(): split on `\n`, drop one `\r` before it, no empty line after a final newline. */
function rustLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const isMarker = (line: string | undefined): boolean => line !== undefined && line.replace(/[ \t]+$/, '') === '---';

function bodyFrom(lines: string[], firstLineIndex: number): { body: string; bodyStartLine: number } {
  let i = firstLineIndex;
  // gray_matter strips leading "\n" characters, i.e. empty lines (a line holding only "\r" is empty after lines()).
  while (i < lines.length && lines[i] === '') i++;
  return { body: lines.slice(i).join('\n'), bodyStartLine: i + 1 };
}

export function splitFrontmatter(text: string): FrontmatterSplit {
  if (Buffer.byteLength(text, 'utf8') <= 3) return { frontmatter: undefined, body: '', bodyStartLine: 1 };
  const lines = rustLines(text);
  if (!isMarker(lines[0])) return { frontmatter: undefined, ...bodyFrom(lines, 0) };
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    if (isMarker(lines[i])) {
      close = i;
      break;
    }
  }
  // An opening marker without a closing one: the marker line is dropped and the rest is body.
  if (close < 0) return { frontmatter: undefined, ...bodyFrom(lines, 1) };
  const frontmatter = lines.slice(1, close).join('\n').trim();
  return { frontmatter, ...bodyFrom(lines, close + 1) };
}
