// The Tera engine as generation uses it: one engine per (template dir, seed); per-template helpers come in at render time.
import { createTemplateEngine, type RenderOptions, type TemplatePlugin, type TemplateRead, type UnknownCall } from '../template/index.js';

export interface CompiledText {
  render(context: Record<string, unknown>, opts?: RenderOptions): string;
}

export interface GenerationEngine {
  compile(source: string, name: string, linesBefore: number): CompiledText;
  renderString(source: string, context: Record<string, unknown>, name: string, opts?: RenderOptions): string;
  unknownCalls(source: string, name: string, linesBefore: number, known?: readonly string[]): UnknownCall[];
}

/** Creates engines lazily and shares them (and their cached partials) between templates of one run; all get the plugins. */
export function createEngineFactory(opts: { plugins?: readonly TemplatePlugin[]; onRead?: (read: TemplateRead) => void; env?: NodeJS.ProcessEnv } = {}): (templatesDir: string, seed: string) => GenerationEngine {
  const engines = new Map<string, GenerationEngine>();
  return (templatesDir, seed) => {
    const key = `${templatesDir}\u0000${seed}`;
    let engine = engines.get(key);
    if (engine === undefined) {
      const tera = createTemplateEngine({ templatesDir, seed, plugins: opts.plugins, onRead: opts.onRead, env: opts.env });
      engine = {
        // The engine's lineOffset is the file line of the first source line; ours counts the lines before it.
        compile: (source, name, linesBefore) => tera.compile(source, name, { lineOffset: linesBefore + 1 }),
        renderString: (source, context, name, opts) => tera.renderString(source, context, name, opts),
        unknownCalls: (source, name, linesBefore, known) => tera.unknownCalls(source, name, { lineOffset: linesBefore + 1, known }),
      };
      engines.set(key, engine);
    }
    return engine;
  };
}
