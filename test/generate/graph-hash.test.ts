// The receipt's graph hash is the canonical hash whichever way it is computed: sorted and hashed in a worker
// thread (large graphs without blank nodes, built CLI), or in-thread (small graphs, blank nodes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { tree } from './fixtures.js';

const TEMPLATE = '---\nto: count.txt\nsparql:\n  n: "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"\n---\n{{ sparql_results.n[0].n }}\n';

function largeGraph(blank: boolean): string {
  const lines = ['@prefix ex: <http://example.org/> .'];
  // About 20,000 statements: over a megabyte of N-Quads, which is sorted off the main thread.
  for (let i = 0; i < 10_000; i++) lines.push(`ex:s${i} ex:label "item ${i}" ; ex:next ex:s${(i * 7919) % 10_000} .`);
  if (blank) lines.push('ex:s0 ex:meta [ ex:note "a blank node" ] .');
  return `${lines.join('\n')}\n`;
}

async function hashes(ttl: string): Promise<{ receipt: string; snapshot: string }> {
  const dir = tree({ 'g.ttl': ttl, 't.tmpl': TEMPLATE });
  const gen = await runGgen(['gen', 't.tmpl', '--graph', 'g.ttl', '--out', 'out'], { cwd: dir });
  expect(gen.code).toBe(0);
  const snap = await runGgen(['--json', 'graph', 'snapshot', 'create', 'g.ttl', '-o', 'snap.json'], { cwd: dir });
  expect(snap.code).toBe(0);
  const receipt = JSON.parse(readFileSync(join(dir, 'out/.ggen/receipt.json'), 'utf8')) as { graph: { hash: string } };
  return { receipt: receipt.graph.hash, snapshot: (JSON.parse(snap.stdout) as { hash: string }).hash };
}

describe('the receipt graph hash', () => {
  it('is the canonical hash for a large graph (hashed off the main thread)', async () => {
    const h = await hashes(largeGraph(false));
    expect(h.receipt).toMatch(/^[0-9a-f]{64}$/);
    expect(h.receipt).toBe(h.snapshot);
  });

  it('is the canonical hash for a large graph with a blank node (RDFC-1.0, in-thread)', async () => {
    const h = await hashes(largeGraph(true));
    expect(h.receipt).toBe(h.snapshot);
  });

  it('does not depend on how the file is written', async () => {
    const a = await hashes(largeGraph(false));
    const [prefix, ...statements] = largeGraph(false).trimEnd().split('\n');
    const b = await hashes(`${prefix}\n${statements.reverse().join('\n')}\n`);
    expect(b.receipt).toBe(a.receipt);
  });
});
