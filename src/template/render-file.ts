// Renders one template file: splits off the frontmatter (if any) and renders the body with the given context.
import { readFileSync } from 'node:fs';
import { GgenError } from '../errors.js';
import { createTemplateEngine, type TemplateEngineOptions } from './engine.js';
import { parseFrontmatter, renderDeep, splitFrontmatter } from './frontmatter/index.js';

export interface RenderTemplateFileOptions extends TemplateEngineOptions {
  /** Template variables (already merged by the caller); they override the frontmatter's `vars`. */
  context?: Record<string, unknown>;
}

/**
 * Renders FILE. With frontmatter: its body, with the frontmatter's `vars` (rendered leaf by leaf, as
 * generation does) as defaults under the given context; SPARQL and output paths are the generator's job.
 * Split and vars follow exactly the rules `ggen gen` uses, so this shows the body gen would write.
 */
export function renderTemplateFile(file: string, opts: RenderTemplateFileOptions = {}): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new GgenError('E_IO', `cannot read template: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file }, cause: err });
  }
  const split = splitFrontmatter(text);
  const engine = createTemplateEngine(opts);
  const given = opts.context ?? {};
  const { value } = parseFrontmatter(split.frontmatter, file, split.frontmatterStartLine);
  const defaults = renderDeep((source, context) => engine.renderString(source, context, `${file} (frontmatter vars)`), value.vars, given) as Record<string, unknown>;
  return engine.compile(split.body, file, { lineOffset: split.bodyStartLine }).render({ ...defaults, ...given });
}
