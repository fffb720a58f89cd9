// Validator: a Turtle data file conforms to SHACL shapes (shacl-engine over n3 stores).
import type { CleanroomEnv } from '../env.js';
import type { Validator } from '../validation.js';

interface ShaclResult {
  focusNode?: { term?: { value: string } };
  path?: Array<{ predicates?: Array<{ value: string }> }>;
  message?: Array<{ value: string }>;
  severity?: { value: string };
  constraintComponent?: { value: string };
}

function describe(r: ShaclResult): string {
  const focus = r.focusNode?.term?.value ?? '?';
  const path = r.path?.[0]?.predicates?.[0]?.value;
  const severity = (r.severity?.value ?? '').replace(/^.*#/, '') || 'Violation';
  const message = r.message?.map((m) => m.value).join('; ') || (r.constraintComponent?.value ?? '').replace(/^.*#/, '');
  return `${severity}: <${focus}>${path ? ` <${path}>` : ''}: ${message}`;
}

type ShaclValidatorClass = new (shapes: unknown, opts: { factory: unknown }) => { validate(data: { dataset: unknown }): Promise<unknown> };

/** Passes when `dataFile` conforms to `shapesFile` (both Turtle, in the workspace); messages list the violations. */
export function shaclConforms(dataFile: string, shapesFile: string): Validator {
  return {
    name: `SHACL conforms: ${dataFile}`,
    async validate(env: CleanroomEnv) {
      // shacl-engine ships no types; the specifier is widened so TypeScript does not look for them.
      const [{ Parser, Store, DataFactory }, shacl] = await Promise.all([import('n3'), import('shacl-engine' as string) as Promise<{ Validator: ShaclValidatorClass }>]);
      const ShaclValidator = shacl.Validator;
      const load = async (file: string) => {
        try {
          return new Store(new Parser({ format: 'text/turtle', baseIRI: `file://${env.resolve(file)}` }).parse(await env.readFile(file)));
        } catch (err) {
          throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      };
      let data;
      let shapes;
      try {
        [data, shapes] = await Promise.all([load(dataFile), load(shapesFile)]);
      } catch (err) {
        return { passed: false, messages: [(err as Error).message] };
      }
      const report = (await new ShaclValidator(shapes, { factory: DataFactory }).validate({ dataset: data })) as { conforms: boolean; results: ShaclResult[] };
      const messages = report.results.map(describe).sort();
      return { passed: report.conforms, messages };
    },
  };
}
