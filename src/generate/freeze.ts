// Freeze blocks: hand-edited regions (`ggen:freeze:start:NAME` … `ggen:freeze:end:NAME`) kept across regeneration.
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';

const START = /ggen:freeze:start:([A-Za-z0-9_.-]+)/;
const END = /ggen:freeze:end:([A-Za-z0-9_.-]+)/;

interface Block {
  name: string;
  /** Line indexes of the start and end marker lines. */
  start: number;
  end: number;
}

function findBlocks(lines: string[], path: string): Block[] {
  const blocks: Block[] = [];
  let open: { name: string; start: number } | undefined;
  lines.forEach((line, i) => {
    const s = START.exec(line);
    const e = END.exec(line);
    if (s) {
      if (open) throw new GgenError('E_GENERATE', `freeze block "${open.name}" in ${path} is not closed before "${s[1]}" starts (line ${i + 1})`);
      open = { name: s[1]!, start: i };
    } else if (e) {
      if (!open || open.name !== e[1]) throw new GgenError('E_GENERATE', `freeze end marker "${e[1]}" in ${path} at line ${i + 1} has no matching start`);
      blocks.push({ name: open.name, start: open.start, end: i });
      open = undefined;
    }
  });
  if (open) throw new GgenError('E_GENERATE', `freeze block "${open.name}" in ${path} has no end marker`, { hint: `add a line with ggen:freeze:end:${open.name}` });
  return blocks;
}

/** Copies the interiors of the existing file's freeze blocks into the generated text, by name. */
export function keepFrozen(generated: string, existing: string, path: string): string {
  if (!generated.includes('ggen:freeze:start:') || !existing.includes('ggen:freeze:start:')) return generated;
  const oldLines = existing.replace(/\r\n/g, '\n').split('\n');
  const kept = new Map(findBlocks(oldLines, path).map((b) => [b.name, oldLines.slice(b.start + 1, b.end)]));
  const eol = generated.includes('\r\n') ? '\r\n' : '\n';
  const newLines = generated.replace(/\r\n/g, '\n').split('\n');
  const blocks = findBlocks(newLines, path);
  for (const block of blocks.reverse()) {
    const interior = kept.get(block.name);
    if (interior !== undefined) newLines.splice(block.start + 1, block.end - block.start - 1, ...interior);
  }
  return newLines.join(eol);
}

/** A hash that ignores what is inside freeze blocks: hand edits there do not count as drift. */
export function hashOutsideFrozen(text: string): string {
  if (!text.includes('ggen:freeze:start:')) return sha256Hex(text);
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let blocks: Block[];
  try {
    blocks = findBlocks(lines, '');
  } catch {
    return sha256Hex(text);
  }
  for (const block of blocks.reverse()) lines.splice(block.start + 1, block.end - block.start - 1);
  return sha256Hex(lines.join('\n'));
}
