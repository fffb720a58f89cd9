// Validator: an RDF data file conforms to SHACL shapes, through the graph layer's validateShacl.
import type { CleanroomEnv } from '../env.js';
import type { Validator } from '../validation.js';

/** Passes when `dataFile` conforms to `shapesFile` (any RDF format ggen reads, by extension); messages list the results. */
export function shaclConforms(dataFile: string, shapesFile: string): Validator {
  return {
    name: `SHACL conforms: ${dataFile}`,
    async validate(env: CleanroomEnv) {
      // Loaded on first use: the graph layer brings oxigraph, which scenario runs without SHACL never need.
      const { loadGraph, validateShacl } = await import('../../graph/index.js');
      const load = async (file: string) => {
        try {
          return await loadGraph([env.resolve(file)]);
        } catch (err) {
          const line = (err as { at?: { line?: number; column?: number } }).at?.line;
          const where = line === undefined ? file : `${file}:${line}:${(err as { at?: { column?: number } }).at?.column ?? 1}`;
          throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      };
      let data;
      let shapes;
      try {
        data = await load(dataFile);
        shapes = await load(shapesFile);
      } catch (err) {
        return { passed: false, messages: [(err as Error).message] };
      }
      const report = await validateShacl(data, shapes);
      const messages = report.results
        .map((r) => `${r.severity}: <${r.focusNode.value}>${r.path ? ` ${r.path}` : ''}: ${r.message || r.constraint.replace(/^.*#/, '')}`)
        .sort();
      return { passed: report.conforms, messages };
    },
  };
}
