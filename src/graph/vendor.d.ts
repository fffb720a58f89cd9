// Minimal typings for the untyped packages the graph layer uses.
declare module 'rdf-canonize' {
  export function canonize(input: string, options: { algorithm: 'RDFC-1.0'; inputFormat: 'application/n-quads'; format?: 'application/n-quads'; maxWorkFactor?: number }): Promise<string>;
}

declare module 'shacl-engine' {
  export class Validator {
    constructor(shapes: unknown, options: { factory: unknown; debug?: boolean; details?: boolean });
    validate(data: { dataset: unknown; terms?: Iterable<unknown> }, shapes?: { terms?: Iterable<unknown> }): Promise<{ conforms: boolean; dataset: unknown; term: unknown; results: unknown[] }>;
  }
}
