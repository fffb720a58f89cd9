// Variables a run would ask for: declared with a prompt in frontmatter `vars` and given no value. The library only
// reports them; the CLI asks (on a terminal) and passes the answers back in as `--var` values.
import { resolve } from 'node:path';
import type { SourceLocation } from '../errors.js';
import type { VarPromptSpec } from '../template/index.js';
import { loadTemplate, positionOf } from './load-template.js';
import type { TemplateInput } from './plan.js';

export interface VarPrompt extends VarPromptSpec {
  name: string;
  /** The template that declared it first (in path order). */
  template: string;
  at: SourceLocation;
}

export interface PendingPromptsOptions {
  templates: Array<string | TemplateInput>;
  /** Values already given (`--var`, ggen.toml, a context file): these are never asked for. */
  vars?: Record<string, unknown>;
  cwd?: string;
  projectRoot?: string;
}

/** The prompts of variables without a value, one per name, in template path order then declaration order. */
export async function pendingPrompts(opts: PendingPromptsOptions): Promise<VarPrompt[]> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectRoot = resolve(cwd, opts.projectRoot ?? '.');
  const inputs = new Map<string, TemplateInput>();
  for (const input of opts.templates) {
    const t = typeof input === 'string' ? { path: input } : input;
    inputs.set(resolve(projectRoot, t.path), t);
  }
  const given = new Set(Object.keys(opts.vars ?? {}));
  const found = new Map<string, VarPrompt>();
  for (const file of [...inputs.keys()].sort()) {
    const input = inputs.get(file)!;
    const preset = new Set(Object.keys(input.preset?.vars ?? {}));
    const t = await loadTemplate(file, input.label ?? file);
    for (const [name, spec] of Object.entries(t.frontmatter.prompts)) {
      if (given.has(name) || preset.has(name) || found.has(name)) continue;
      found.set(name, { ...spec, name, template: t.display, at: positionOf(t, `vars.${name}`) });
    }
  }
  return [...found.values()];
}
