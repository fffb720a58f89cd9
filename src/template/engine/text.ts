// Rust string helpers the Tera semantics depend on: Unicode White_Space trimming, char counts, grapheme clusters.

// Rust's char::is_whitespace (Unicode White_Space): JS \s minus U+FEFF plus U+0085.
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const START = new RegExp(`^[${WS}]+`, 'u');
const END = new RegExp(`[${WS}]+$`, 'u');
export const RUST_WS_RUN = new RegExp(`[${WS}]+`, 'gu');

export const rustTrimStart = (s: string): string => s.replace(START, '');
export const rustTrimEnd = (s: string): string => s.replace(END, '');
export const rustTrim = (s: string): string => rustTrimEnd(rustTrimStart(s));

/** Number of Unicode scalar values (Rust's `chars().count()`). */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Extended grapheme clusters (unic-segment), as Tera's truncate and string for-loops use them. */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}
