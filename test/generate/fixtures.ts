// Helpers for generation tests: inline file trees in temp dirs, and reading a whole tree back.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { makeTempDir } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A temp dir holding the given files; removed after the test. */
export function tree(files: Record<string, string | Buffer> = {}): string {
  const { dir, cleanup } = makeTempDir('ggen-gen-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * Every file under dir (relative path → content), sorted; `.ggen/` left out unless asked, its merge bases
 * (`.ggen/objects`) and machine-local cache (`.ggen/cache`, signed with this user's key) unless asked too.
 */
export function readTree(dir: string, opts: { withGgen?: boolean; withObjects?: boolean; withCache?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (!opts.withGgen && rel === '.ggen') continue;
      if (!opts.withObjects && rel === '.ggen/objects') continue;
      if (!opts.withCache && rel === '.ggen/cache') continue;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

export const PEOPLE_TTL = `@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:alice a ex:Person ; rdfs:label "Alice" ; ex:age 30 ; ex:nick "Al"@en .
ex:bob a ex:Person ; rdfs:label "Bob" .
`;
