// Renders one template file: splits off the frontmatter (if any) and renders the body with the given context.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GgenError } from '../errors.js';
import { createTemplateEngine, type TemplateEngine, type TemplateEngineOptions } from './engine.js';
import { isObject } from './engine/values.js';
import { splitFrontmatter } from './frontmatter.js';

export interface RenderTemplateFileOptions extends TemplateEngineOptions {
  /** Template variables (already merged by the caller); they override the frontmatter's `vars`. */
  context?: Record<string, unknown>;
}

/** Renders string leaves that hold Tera syntax, so `vars: {cls: "{{ name | pascal }}"}` works as in 1.x. */
function renderLeaves(value: unknown, engine: TemplateEngine, context: Record<string, unknown>, file: string): unknown {
  if (typeof value === 'string') return /\{[{%]/.test(value) ? engine.renderString(value, context, `${file} (frontmatter vars)`) : value;
  if (Array.isArray(value)) return value.map((v) => renderLeaves(v, engine, context, file));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderLeaves(v, engine, context, file)]));
  return value;
}

/** The frontmatter's `vars` as defaults: a map as is, a list as var0, var1, … (1.x's flexible vars). */
function frontmatterVars(yamlText: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new GgenError('E_FRONTMATTER', `invalid YAML in the frontmatter: ${(err as Error).message.split('\n')[0]}`, {
      at: { file, line: pos === undefined ? 2 : pos.line + 1, column: pos?.col },
    });
  }
  if (!isObject(doc)) return {};
  const vars = doc.vars;
  if (Array.isArray(vars)) return Object.fromEntries(vars.map((v, i) => [`var${i}`, v]));
  return isObject(vars) ? vars : {};
}

/**
 * Renders FILE. With frontmatter: its body (1.x trimming, but the final newline is kept), with the frontmatter's `vars` as defaults under the
 * given context (SPARQL and output paths are the generator's job). Without frontmatter: the whole file.
 */
export function renderTemplateFile(file: string, opts: RenderTemplateFileOptions = {}): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new GgenError('E_IO', `cannot read template: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file }, cause: err });
  }
  const { frontmatter, body, bodyStartLine } = splitFrontmatter(text);
  const engine = createTemplateEngine(opts);
  const given = opts.context ?? {};
  if (frontmatter === undefined) return engine.compile(text, file).render(given);
  const defaults = renderLeaves(frontmatterVars(frontmatter, file), engine, given, file) as Record<string, unknown>;
  // Keep the file's final newline, as `ggen gen` does, so render shows exactly what gen would write.
  const source = body !== '' && text.endsWith('\n') ? `${body}\n` : body;
  return engine.compile(source, file, { lineOffset: bodyStartLine }).render({ ...defaults, ...given });
}
