// Issue 12 §1: hostile documents get a one-line error, no panic text, and the process stays under 512 MB.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ggenBin, makeTempDir } from '../helpers/cli.js';

const tmp = makeTempDir('ggen-hostile-');
afterAll(() => tmp.cleanup());

/** Runs the CLI under /usr/bin/time and returns exit code, stderr and peak RSS in MB. */
function runMeasured(args: string[]): { code: number; stderr: string; rssMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, ggenBin, ...args], { cwd: tmp.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  const m = /RSS_KB=(\d+)\s*$/.exec(r.stderr);
  return { code: r.status ?? -1, stderr: r.stderr.replace(/(?:Command exited with non-zero status \d+\n)?RSS_KB=\d+\s*$/, ''), rssMb: m ? Number(m[1]) / 1024 : Infinity };
}

const levels = 'abcdefghij';
const laughs = `<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
${[...levels.slice(1)].map((l, i) => ` <!ENTITY ${l} "${`&${levels[i]};`.repeat(10)}">`).join('\n')}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&j;</ex:p></rdf:Description>
</rdf:RDF>
`;

describe('hostile input through the CLI', () => {
  const cases: Array<[name: string, make: () => string, stderr: RegExp]> = [
    ['laughs.rdf', () => laughs, /^error: laughs\.rdf:15:\d+: RDF\/XML entity expansion too large: more than 1000000 characters \(entity "j"\)\n {2}hint: [^\n]+\n$/],
    ['deep.jsonld', () => `${'{"http://example.org/p":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`, /^error: deep\.jsonld:1:\d+: JSON-LD nested too deeply: more than 200 levels\n {2}hint: [^\n]+\n$/],
    ['huge.nt', () => `<http://e/a> <http://e/p> "${'x'.repeat(100_000_000)}" .\n`, /^error: huge\.nt:1:28: literal too large: more than 16000000 characters\n {2}hint: [^\n]+\n$/],
  ];
  it.each(cases)('%s: one-line error under 512 MB', (name, make, stderr) => {
    writeFileSync(join(tmp.dir, name), make());
    const r = runMeasured(['graph', 'stats', name]);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(/panic|RuntimeError|wasm|at .*\.js/);
    expect(r.code).toBe(1);
    expect(r.rssMb).toBeLessThan(512);
  });
});
