// Reads W3C test manifests (mf:entries lists, mf:include) with ggen's own graph layer.
import { fileURLToPath } from 'node:url';
import { loadGraph } from '../../src/graph/index.js';

export interface ManifestEntry {
  /** The test's IRI as the manifest gives it (a file: URL here). */
  id: string;
  /** Short name for reports and the allow-list: `<suite>#<name>`. */
  key: string;
  type: string;
  name: string;
  action?: string;
  result?: string;
}

const MANIFEST_QUERY = `PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
SELECT ?test ?type ?name ?action ?result WHERE {
  ?m mf:entries/rdf:rest*/rdf:first ?test .
  ?test a ?type .
  OPTIONAL { ?test mf:name ?name }
  OPTIONAL { ?test mf:action ?action FILTER(isIRI(?action)) }
  OPTIONAL { ?test mf:result ?result FILTER(isIRI(?result)) }
}`;

const INCLUDE_QUERY = 'PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#> SELECT ?i WHERE { ?m mf:include ?i }';

/** Every entry of a manifest file and the manifests it includes, in list order. */
export async function readManifest(path: string, suite: string): Promise<ManifestEntry[]> {
  const graph = await loadGraph([path]);
  const entries: ManifestEntry[] = [];
  for (const row of graph.select(INCLUDE_QUERY).rows) entries.push(...(await readManifest(fileURLToPath(row.i!.value), suite)));
  const seen = new Set<string>();
  for (const row of graph.select(MANIFEST_QUERY).rows) {
    const id = row.test!.value;
    if (seen.has(id)) continue;
    seen.add(id);
    const local = id.slice(id.lastIndexOf('/') + 1).replace(/^manifest\.ttl#/, '');
    entries.push({ id, key: `${suite}#${local}`, type: row.type!.value.replace(/^.*[#/]/, ''), name: row.name?.value ?? local, action: row.action?.value, result: row.result?.value });
  }
  graph.dispose();
  return entries;
}
