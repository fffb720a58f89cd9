// The Tera engine as generation uses it: one engine per (template dir, seed), ggen's result helpers added.
import { createTemplateEngine } from '../template/index.js';
import { createResultHelpers, type HelperScope } from './helpers.js';

export interface CompiledText {
  render(context: Record<string, unknown>): string;
}

export interface GenerationEngine {
  compile(source: string, name: string, linesBefore: number): CompiledText;
  renderString(source: string, context: Record<string, unknown>, name: string): string;
}

/** Creates engines lazily; `current` tells the `sparql()` helper which graph the template queries. */
export function createEngineFactory(current: () => HelperScope): (templatesDir: string, seed: string) => GenerationEngine {
  const helpers = createResultHelpers(current);
  const engines = new Map<string, GenerationEngine>();
  return (templatesDir, seed) => {
    const key = `${templatesDir}\u0000${seed}`;
    let engine = engines.get(key);
    if (engine === undefined) {
      const tera = createTemplateEngine({ templatesDir, seed, functions: helpers.functions, filters: helpers.filters });
      engine = {
        // The engine's lineOffset is the file line of the first source line; ours counts the lines before it.
        compile: (source, name, linesBefore) => tera.compile(source, name, { lineOffset: linesBefore + 1 }),
        renderString: (source, context, name) => tera.renderString(source, context, name),
      };
      engines.set(key, engine);
    }
    return engine;
  };
}
