// Synthetic N-Triples for bench/endpoint: ITEMS items (type, name, sku: the rows of the foreach) and filler
// statements about other subjects up to the total, written in a stream so 10M lines never sit in memory.
import { createWriteStream } from 'node:fs';

export const NS = 'http://bench.ggen.dev/';

export async function writeTriples(file, total, items) {
  const out = createWriteStream(file);
  let written = 0;
  let buf = '';
  const push = async (line) => {
    buf += line;
    written++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  };
  for (let i = 0; i < items; i++) {
    const s = `<${NS}item/${String(i).padStart(6, '0')}>`;
    await push(`${s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${NS}Item> .\n`);
    await push(`${s} <${NS}name> "Item number ${i}" .\n`);
    await push(`${s} <${NS}sku> "SKU-${(i * 7919) % 1000003}" .\n`);
  }
  for (let k = 0; written < total; k++) {
    await push(`<${NS}noise/${k >> 3}> <${NS}p${k & 7}> "filler value ${k}" .\n`);
  }
  out.end(buf);
  await new Promise((r, j) => { out.on('finish', r); out.on('error', j); });
  return written;
}
