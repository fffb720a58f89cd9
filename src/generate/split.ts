// Splits a template file into its YAML frontmatter and its body, keeping line numbers for errors.

export interface SplitTemplate {
  /** The YAML text between the `---` markers, or undefined when the file has no frontmatter. */
  frontmatter: string | undefined;
  /** 1-based file line of the first frontmatter line (2 when present). */
  frontmatterStartLine: number;
  body: string;
  /** 1-based file line where the body starts. */
  bodyStartLine: number;
}

const isMarker = (line: string | undefined) => line !== undefined && line.replace(/[ \t]+$/, '') === '---';

/**
 * Frontmatter exists when the first line is `---` and a later line is `---` (trailing spaces ignored),
 * as with gray_matter in ggen 1.x. Unlike 1.x the body keeps its final newline (generated files end
 * with one) and its CR characters; `ggen1` compat mode drops the final newline as 1.x did.
 */
export function splitTemplate(text: string, opts: { compat?: 'ggen1' } = {}): SplitTemplate {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = source.split('\n');
  let frontmatter: string | undefined;
  let bodyLines = lines;
  let bodyStartLine = 1;
  if (isMarker(lines[0]?.replace(/\r$/, ''))) {
    const close = lines.findIndex((l, i) => i > 0 && isMarker(l.replace(/\r$/, '')));
    if (close > 0) {
      frontmatter = lines.slice(1, close).join('\n');
      bodyLines = lines.slice(close + 1);
      bodyStartLine = close + 2;
    }
  }
  // Blank lines right after the closing marker are not part of the body (gray_matter behaviour).
  while (bodyLines.length > 1 && bodyLines[0]!.replace(/\r$/, '') === '') {
    bodyLines = bodyLines.slice(1);
    bodyStartLine++;
  }
  let body = bodyLines.join('\n');
  if (opts.compat === 'ggen1') body = body.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  return { frontmatter, frontmatterStartLine: 2, body, bodyStartLine };
}
