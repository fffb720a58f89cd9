// RDF serialization formats: names, file extensions, and the names oxigraph expects.

export type RdfFormat = 'turtle' | 'ntriples' | 'nquads' | 'trig' | 'n3' | 'rdfxml' | 'jsonld';

export const RDF_FORMATS: readonly RdfFormat[] = ['turtle', 'ntriples', 'nquads', 'trig', 'n3', 'rdfxml', 'jsonld'];

/** File extensions (lower case, without the dot) and the format each one means. */
const formatByExtension: Record<string, RdfFormat> = {
  ttl: 'turtle',
  turtle: 'turtle',
  nt: 'ntriples',
  ntriples: 'ntriples',
  nq: 'nquads',
  nquads: 'nquads',
  trig: 'trig',
  n3: 'n3',
  rdf: 'rdfxml',
  owl: 'rdfxml',
  xml: 'rdfxml',
  rdfxml: 'rdfxml',
  jsonld: 'jsonld',
  json: 'jsonld',
};

/** Short names accepted by `--format`/`--to` besides the format names themselves. */
const formatAliases: Record<string, RdfFormat> = { ...formatByExtension, 'json-ld': 'jsonld', 'rdf/xml': 'rdfxml', 'n-triples': 'ntriples', 'n-quads': 'nquads' };

export const RDF_EXTENSIONS: readonly string[] = Object.keys(formatByExtension).sort();

/** The format a file's extension implies, or undefined when the extension is not an RDF one. */
export function formatFromPath(path: string): RdfFormat | undefined {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return formatByExtension[name.slice(dot + 1).toLowerCase()];
}

/** Parses a user-given format name or alias (`ttl`, `nt`, `json-ld`…). */
export function parseRdfFormat(name: string): RdfFormat | undefined {
  const lower = name.toLowerCase();
  return (RDF_FORMATS as readonly string[]).includes(lower) ? (lower as RdfFormat) : formatAliases[lower];
}

/** Format names as oxigraph's `load`/`dump`/`results_format` accept them. */
export const oxigraphFormat: Record<RdfFormat, string> = {
  turtle: 'ttl',
  ntriples: 'nt',
  nquads: 'nq',
  trig: 'trig',
  n3: 'n3',
  rdfxml: 'rdf',
  jsonld: 'jsonld',
};

/** Formats that carry named graphs. */
export function isDatasetFormat(format: RdfFormat): boolean {
  return format === 'nquads' || format === 'trig' || format === 'jsonld';
}

/** Human names for messages. */
export const formatLabel: Record<RdfFormat, string> = {
  turtle: 'Turtle',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
  trig: 'TriG',
  n3: 'N3',
  rdfxml: 'RDF/XML',
  jsonld: 'JSON-LD',
};
