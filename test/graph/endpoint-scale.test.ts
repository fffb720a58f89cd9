// Scale from a real Virtuoso 7.2: a foreach over 100k rows from the endpoint becomes 100k files with ggen's peak RSS
// under 300 MB (issue: SPARQL endpoints past one machine). The rows stream in; the plan of 100k outputs is what
// the run holds until it applies.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { startVirtuoso, type Virtuoso } from '../helpers/virtuoso.js';
import { tree } from '../generate/fixtures.js';

const ITEMS = 100_000;
const GRAPH = 'http://scale.ggen.test/g';
const NS = 'http://scale.ggen.test/';

let v: Virtuoso;
// Results of 100k rows: Virtuoso's default ResultSetMaxRows (10k) would cut them (and ggen refuses a cut result).
beforeAll(async () => { v = await startVirtuoso({ ini: { SPARQL: { ResultSetMaxRows: 1_000_000, MaxQueryExecutionTime: 0, MaxQueryCostEstimationTime: 0 } } }); }, 120_000);
afterAll(async () => { await v?.stop(); });

const id = (i: number) => String(i).padStart(6, '0');

describe('endpoint at scale', () => {
  it(`a foreach over ${ITEMS.toLocaleString('en')} rows: ${ITEMS.toLocaleString('en')} files, peak RSS under 300 MB`, async () => {
    // Bulk-loaded from a file in Virtuoso's own data directory (DirsAllowed), as a store of this size is loaded.
    const data = join(v.service.dataDir, 'data');
    mkdirSync(data, { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const s = `<${NS}item/${id(i)}>`;
      lines.push(`${s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${NS}Item> .`, `${s} <${NS}name> "Item number ${i}" .`, `${s} <${NS}sku> "SKU-${(i * 7919) % 1000003}" .`);
    }
    writeFileSync(join(data, 'scale.nt'), `${lines.join('\n')}\n`);
    await v.isql(`ld_dir('${data}', 'scale.nt', '${GRAPH}'); rdf_loader_run(); checkpoint;`);

    const dir = tree({});
    const project = join(dir, 'project');
    mkdirSync(join(project, 'templates'), { recursive: true });
    writeFileSync(join(project, 'ggen.toml'), `templates = "templates"\n[graph]\nendpoint = "${v.url}"\ndefault_graph = "${GRAPH}"\ntimeout_ms = 600000\n`);
    writeFileSync(join(project, 'templates', 'item.tmpl'), `---
to: "items/{{ row.id }}.ts"
foreach: items
prefixes:
  b: "${NS}"
sparql:
  items: |
    SELECT ?item ?id ?name ?sku WHERE {
      ?item a b:Item ; b:name ?name ; b:sku ?sku .
      BIND(STRAFTER(STR(?item), "${NS}item/") AS ?id)
    } ORDER BY ?item
---
// {{ row.item }} ({{ row._terms.name.datatype }})
export const item{{ row.id }} = { name: {{ row.name | json_encode() }}, sku: {{ row.sku | json_encode() }} } as const;
`);
    const out = join(dir, 'out');
    const peakFile = join(dir, 'peak-rss');
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(repoRoot, 'test/helpers/peak-rss.mjs')).href, join(repoRoot, 'dist/ggen.mjs'), 'project', 'gen', project, '--out', out, '--quiet'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, GGEN_TEST_PEAK_RSS_FILE: peakFile, NO_COLOR: '1' }, maxBuffer: 16 << 20, timeout: 600_000,
    });
    expect(r.stderr).toBe(`${ITEMS} created · receipt out/.ggen/receipt.json\n`);
    expect(r.status).toBe(0);
    expect(readdirSync(join(out, 'items'))).toHaveLength(ITEMS);
    expect(readFileSync(join(out, 'items', `${id(4242)}.ts`), 'utf8')).toBe(
      `// ${NS}item/004242 (http://www.w3.org/2001/XMLSchema#string)\nexport const item004242 = { name: "Item number 4242", sku: "SKU-${(4242 * 7919) % 1000003}" } as const;\n`,
    );
    const peakMb = Number(readFileSync(peakFile, 'utf8')) / 1024;
    expect(peakMb).toBeGreaterThan(50); // it measured the run
    expect(peakMb).toBeLessThan(300);
  }, 600_000);
});
