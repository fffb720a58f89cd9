// Renders one template file: splits off the frontmatter (if any) and renders the body with the given context.
import { readFileSync } from 'node:fs';
import { GgenError } from '../errors.js';
import { createTemplateEngine, type TemplateEngineOptions } from './engine.js';
import { splitFrontmatter } from './frontmatter.js';

export interface RenderTemplateFileOptions extends TemplateEngineOptions {
  /** Template variables; later sources have already been merged in by the caller. */
  context?: Record<string, unknown>;
}

/** Renders FILE: with frontmatter, only its body (1.x trimming); without, the whole file as a plain template. */
export function renderTemplateFile(file: string, opts: RenderTemplateFileOptions = {}): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new GgenError('E_IO', `cannot read template: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file }, cause: err });
  }
  const { frontmatter, body, bodyStartLine } = splitFrontmatter(text);
  const source = frontmatter === undefined ? text : body;
  const engine = createTemplateEngine(opts);
  return engine.compile(source, file, { lineOffset: frontmatter === undefined ? 1 : bodyStartLine }).render(opts.context ?? {});
}
