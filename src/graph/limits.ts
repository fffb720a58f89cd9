// The size guard: oxigraph's in-memory WASM store dies near 15M triples and takes the process with it.

/** Default ceiling, well below where the WASM store runs out of its 4 GiB address space. */
export const DEFAULT_MAX_TRIPLES = 10_000_000;

/** The ceiling to use: GGEN_MAX_TRIPLES when set to a positive integer, else the default. */
export function defaultMaxTriples(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.GGEN_MAX_TRIPLES);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_TRIPLES;
}

/** A cheap upper-ish estimate of how many statements a document holds, before parsing it. */
export function estimateStatements(text: string, lineBased: boolean): number {
  if (!lineBased) return Math.ceil(text.length / 40);
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines + 1;
}
