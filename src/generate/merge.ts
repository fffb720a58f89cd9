// 3-way merge of hand edits with a new render, line by line (node-diff3), with git-style conflict markers.
import { diff3MergeRegions } from 'node-diff3';

export interface MergeConflict {
  /** 1-based line in the merged text where the conflict block (its `<<<<<<<` marker) starts. */
  line: number;
  /** Lines the block spans in the merged text, markers included. */
  lines: number;
  /** 1-based first line of the conflicting hand-edited lines in the file on disk, and how many there are. */
  existingLine: number;
  existingLines: number;
}

export interface MergeResult {
  text: string;
  conflicts: MergeConflict[];
}

const START = '<<<<<<< ';
const MIDDLE = '=======';
const END = '>>>>>>> ';

/** Lines with their endings kept, so CRLF files and a missing final newline survive the merge byte for byte. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function ensureEol(lines: string[], eol: string): string[] {
  if (lines.length === 0) return lines;
  const last = lines[lines.length - 1]!;
  return last.endsWith('\n') ? lines : [...lines.slice(0, -1), last + eol];
}

/**
 * Merges `existing` (the file with hand edits) and `generated` (the new render) against `base` (what ggen
 * wrote last time). Where both sides changed the same lines differently, the result holds a conflict block:
 * `<<<<<<< PATH (edited)`, the hand-edited lines, `=======`, the generated lines, `>>>>>>> PATH (generated)`.
 */
export function mergeThreeWay(base: string, existing: string, generated: string, path: string): MergeResult {
  const regions = diff3MergeRegions(splitLines(existing), splitLines(base), splitLines(generated));
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((line, i) => line === y[i]);
  for (const region of regions) {
    if (region.stable) {
      out.push(...region.bufferContent);
      continue;
    }
    const { aContent: a, bContent: b, oContent: o } = region;
    // Both sides made the same change, or only one side changed: no conflict.
    if (same(a, b) || same(o, b)) {
      out.push(...a);
      continue;
    }
    if (same(o, a)) {
      out.push(...b);
      continue;
    }
    // The block's own lines must end in a newline, or the marker would join the last line.
    if (out.length > 0) out.push(...ensureEol(out.splice(-1), eol));
    const start = out.length + 1;
    out.push(`${START}${path} (edited)${eol}`, ...ensureEol(a, eol), `${MIDDLE}${eol}`, ...ensureEol(b, eol), `${END}${path} (generated)${eol}`);
    conflicts.push({ line: start, lines: out.length - start + 1, existingLine: region.aStart + 1, existingLines: region.aLength });
  }
  return { text: out.join(''), conflicts };
}

/** Whether a text still holds a conflict block written by mergeThreeWay. */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*\r?\n[\s\S]*?^=======\r?\n[\s\S]*?^>>>>>>> /m.test(text);
}
