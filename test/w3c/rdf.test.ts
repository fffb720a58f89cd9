// W3C RDF 1.1 test suites (w3c/rdf-tests): Turtle, N-Triples, N-Quads, TriG, syntax and eval, run from
// their manifests. Eval compares graphs by isomorphism with lexical forms intact (ggen's graph diff).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diffGraphs, Graph, type RdfFormat } from '../../src/graph/index.js';
import { readManifest, type ManifestEntry } from './manifest.js';

const allow = JSON.parse(readFileSync(new URL('./allow-list.json', import.meta.url), 'utf8')) as Record<string, string>;
const suites: Array<[suite: string, dir: string, format: RdfFormat]> = [
  ['turtle', 'rdf-turtle', 'turtle'],
  ['ntriples', 'rdf-n-triples', 'ntriples'],
  ['nquads', 'rdf-n-quads', 'nquads'],
  ['trig', 'rdf-trig', 'trig'],
];
const resultFormat: Record<string, RdfFormat> = { nt: 'ntriples', nq: 'nquads' };

/** The base IRI the suite assumes (mf:assumedTestBase) for a test file. */
const baseFor = (dir: string, file: string) => `https://w3c.github.io/rdf-tests/rdf/rdf11/${dir}/${basename(file)}`;

/** Loads a test file the way `ggen graph …` loads files (empty and control characters included). */
async function load(file: string, format: RdfFormat, base: string): Promise<Graph> {
  const graph = await Graph.create();
  await graph.loadFile(file, { format, baseIri: base });
  return graph;
}

/** Runs one test; returns undefined when it passes, else why not. */
async function runTest(entry: ManifestEntry, dir: string, format: RdfFormat): Promise<string | undefined> {
  const action = fileURLToPath(entry.action!);
  const negative = /Negative/.test(entry.type);
  let graph: Graph;
  try {
    graph = await load(action, format, baseFor(dir, action));
  } catch (err) {
    return negative ? undefined : `rejected: ${(err as Error).message}`;
  }
  if (negative) return 'accepted a document the suite says is invalid';
  if (!/Eval$/.test(entry.type) || entry.result === undefined) return undefined;
  const resultFile = fileURLToPath(entry.result);
  const expected = await load(resultFile, resultFormat[resultFile.split('.').pop()!] ?? 'nquads', baseFor(dir, resultFile));
  const diff = await diffGraphs(expected, graph);
  return diff.equal ? undefined : `not isomorphic: ${[...diff.removed.map((l) => `- ${l}`), ...diff.added.map((l) => `+ ${l}`)].slice(0, 6).join(' | ')}`;
}

const counts: string[] = [];
afterAll(() => console.log(`W3C RDF 1.1 (w3c/rdf-tests):\n${counts.join('\n')}`));

for (const [suite, dir, format] of suites) {
  const manifest = fileURLToPath(new URL(`./rdf-tests/rdf11/${dir}/manifest.ttl`, import.meta.url));
  const entries = await readManifest(manifest, suite);
  describe(`W3C ${suite}`, () => {
    const groups = new Map<string, { passed: number; total: number }>();
    afterAll(() => {
      for (const [type, g] of groups) counts.push(`  ${type}: ${g.passed}/${g.total}`);
    });
    it.each(entries.map((e) => [e.key, e] as const))('%s', async (_key, entry) => {
      const group = groups.get(entry.type) ?? { passed: 0, total: 0 };
      groups.set(entry.type, group);
      group.total++;
      const failure = await runTest(entry, dir, format);
      if (failure === undefined) group.passed++;
      const reason = allow[entry.key];
      if (reason !== undefined) expect(failure, `${entry.key} is on the allow-list (${reason}) but passes now: remove it`).toBeDefined();
      else expect(failure).toBeUndefined();
    });
  });
}
