// Reads one template file: text checks, frontmatter split and validation, with positions for errors.
import { readFileSync } from 'node:fs';
import { GgenError } from '../errors.js';
import { looksBinary } from '../util/fs.js';
import { fsError, isFsError } from '../util/fs-errors.js';
import { sha256Hex } from '../util/hash.js';
import type { SourceLocation } from '../errors.js';
import { parseFrontmatter, splitFrontmatter, type Frontmatter, type FrontmatterWarning } from '../template/index.js';

export interface LoadedTemplate {
  /** Absolute path. */
  file: string;
  /** Path shown in messages and receipts (relative to the project root when inside it). */
  display: string;
  source: string;
  hash: string;
  present: boolean;
  /** The first line opens a frontmatter that no later `---` closes. */
  unclosed: boolean;
  frontmatter: Frontmatter;
  positions: Map<string, SourceLocation>;
  warnings: FrontmatterWarning[];
  body: string;
  bodyStartLine: number;
  compat?: 'ggen1';
}

export async function loadTemplate(file: string, display: string, opts: { compat?: 'ggen1' } = {}): Promise<LoadedTemplate> {
  let bytes: Buffer;
  try {
    // Sync: a few small files, and fs/promises' open goes through the thread pool.
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && isFsError(err)) throw fsError(err, 'read template', file, { shown: display });
    const what = code === 'ENOENT' ? 'template not found' : code === 'EISDIR' ? 'template is a directory, expected a file' : `cannot read template: ${(err as Error).message}`;
    throw new GgenError('E_IO', what, { at: { file: display }, hint: code === 'EISDIR' ? 'use `ggen project gen DIR` for a directory of templates' : 'check the path' });
  }
  if (looksBinary(bytes)) throw new GgenError('E_TEMPLATE_SYNTAX', 'template is a binary file, expected text', { at: { file: display }, hint: 'templates are UTF-8 text (YAML frontmatter + Tera body)' });
  const source = bytes.toString('utf8');
  const firstPass = splitFrontmatter(source);
  const parsed = parseFrontmatter(firstPass.frontmatter, display, firstPass.frontmatterStartLine);
  const compat = parsed.value.compat ?? opts.compat;
  const split = compat === 'ggen1' ? splitFrontmatter(source, { compat }) : firstPass;
  return {
    file, display, source, hash: sha256Hex(bytes), present: parsed.present, unclosed: firstPass.unclosed,
    frontmatter: parsed.value, positions: parsed.positions, warnings: parsed.warnings,
    body: split.body, bodyStartLine: split.bodyStartLine, compat,
  };
}

/** Where a frontmatter key was written (falls back to the file). */
export function positionOf(t: LoadedTemplate, key: string): SourceLocation {
  return t.positions.get(key) ?? t.positions.get(key.split('.')[0]!) ?? { file: t.display, line: 1, column: 1 };
}
