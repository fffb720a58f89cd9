// The receipt's text is written in pieces (a 100k-output receipt is 25 MB): the pieces must be exactly the sorted,
// pretty JSON the format defines, at every size around a piece's boundary and with every optional field.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { receiptHash, receiptPieces, serializeReceipt, type Receipt } from '../../src/generate/receipt.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The format's definition: sorted keys and lists, `JSON.stringify(…, null, 2)`, a final newline. */
function definition(receipt: Receipt): string {
  const sorted = {
    ...receipt,
    graph: { hash: receipt.graph.hash, files: [...receipt.graph.files].sort((a, b) => cmp(a.path, b.path)), ...(receipt.graph.endpoint ? { endpoint: receipt.graph.endpoint } : {}) },
    templates: [...receipt.templates].sort((a, b) => cmp(a.path, b.path)),
    vars: Object.fromEntries(Object.entries(receipt.vars).sort(([a], [b]) => cmp(a, b))),
    ...(receipt.cliVars && Object.keys(receipt.cliVars).length > 0 ? { cliVars: Object.fromEntries(Object.entries(receipt.cliVars).sort(([a], [b]) => cmp(a, b))) } : { cliVars: undefined }),
    outputs: [...receipt.outputs].sort((a, b) => cmp(a.path, b.path) || cmp(a.template, b.template)),
  };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function receipt(n: number): Receipt {
  return {
    version: 1,
    graph: { hash: 'g', files: [{ path: 'b.ttl', hash: '2' }, { path: 'a.ttl', hash: '1' }], ...(n === 1 ? { endpoint: { url: 'http://127.0.0.1:1/sparql', resultsHash: 'r' } } : {}) },
    templates: [{ path: 'z.tmpl', hash: 'q', rdf: [] }, { path: 'a.tmpl', hash: 'p', rdf: [{ path: 'x.ttl', hash: 'x' }] }],
    vars: { b: '1', a: 'two\nlines "quoted"' },
    ...(n % 2 === 1 ? { cliVars: { name: 'World' } } : {}),
    seed: '0',
    outputs: Array.from({ length: n }, (_, i) => ({
      path: `dir/${String((i * 7919) % 3001).padStart(4, '0')}-\u00e9\u2028.ts`, hash: `h${i}`, hashOutsideFrozen: `f${i}`,
      template: i % 4 === 0 ? 'a.tmpl, z.tmpl' : 'z.tmpl', kind: i % 7 === 0 ? 'inject' : 'file',
      ...(i % 3 === 0 ? { base: `b${i}` } : {}), ...(i % 5 === 0 ? { conflict: true as const } : {}),
    })),
  };
}

describe('the receipt text in pieces', () => {
  it.each([0, 1, 2, 999, 1000, 1001, 2001, 3500])('is the format’s JSON for %i outputs', (n) => {
    const r = receipt(n);
    const pieces = [...receiptPieces(r)];
    expect(pieces.join('')).toBe(definition(r));
    expect(serializeReceipt(r)).toBe(definition(r));
    expect(receiptHash(r)).toBe(createHash('sha256').update(definition(r)).digest('hex'));
    expect(pieces.length).toBe(n === 0 ? 1 : Math.ceil(n / 1000) + 2);
  });
});
