// Prefixes: read the ones a data file declares (cheaply, without a second parse) and give them to queries.
import type { RdfFormat } from './formats.js';

/** Prefixes every query may use without declaring them (unless the graph redefines them). */
export const WELL_KNOWN_PREFIXES: Readonly<Record<string, string>> = {
  owl: 'http://www.w3.org/2002/07/owl#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  sh: 'http://www.w3.org/ns/shacl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const turtlePrefixLine = /^[ \t]*(?:@prefix|prefix)[ \t]+([A-Za-z\u00C0-\uFFFD][\w.\u00B7\u00C0-\uFFFD-]*)?:[ \t]*<([^>\s]*)>/gim;
const xmlnsAttribute = /\bxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

function resolveAgainst(iri: string, base: string | undefined): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri) || base === undefined) return iri;
  try {
    return new URL(iri, base).href;
  } catch {
    return iri;
  }
}

function jsonLdPrefixes(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return found; // the real parser reports the syntax error
  }
  const contexts: unknown[] = [];
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object' && '@context' in node) contexts.push((node as Record<string, unknown>)['@context']);
  };
  collect(doc);
  for (const ctx of contexts.flat()) {
    if (ctx === null || typeof ctx !== 'object') continue;
    for (const [term, value] of Object.entries(ctx as Record<string, unknown>)) {
      // JSON-LD prefixes are terms mapped to IRIs ending in a gen-delim character.
      if (!term.startsWith('@') && !term.includes(':') && typeof value === 'string' && /[/#:?[\]@]$/.test(value)) found[term] = value;
    }
  }
  return found;
}

/** The prefixes a document declares, scanned from its text (no full parse). */
export function scanPrefixes(text: string, format: RdfFormat, baseIri?: string): Record<string, string> {
  const found: Record<string, string> = {};
  if (format === 'turtle' || format === 'trig' || format === 'n3') {
    if (!/prefix/i.test(text)) return found;
    for (const m of text.matchAll(turtlePrefixLine)) found[m[1] ?? ''] = resolveAgainst(m[2]!, baseIri);
  } else if (format === 'rdfxml') {
    for (const m of text.matchAll(xmlnsAttribute)) found[m[1]!] = m[2]!;
  } else if (format === 'jsonld') {
    Object.assign(found, jsonLdPrefixes(text));
  }
  return found;
}

/** Sorted copy of a prefix map. */
export function sortPrefixes(prefixes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(prefixes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// One scanner for the parts of a SPARQL text that may contain a colon but are not prefixed names.
const sparqlToken =
  /(<[^<>"{}|^`\\\s]*>)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(#[^\n]*)|([?$][\w\u00B7\u00C0-\uFFFD]+)|(?<![\w\u00B7\u00C0-\uFFFD.-])([A-Za-z\u00C0-\uFFFD][\w.\u00B7\u00C0-\uFFFD-]*)?:/g;

export interface PrefixUse {
  prefix: string;
  offset: number;
}

/** Prefixes a query declares itself (`PREFIX p: <…>`). */
export function declaredQueryPrefixes(query: string): Set<string> {
  const declared = new Set<string>();
  for (const m of query.matchAll(/\bprefix\s+([A-Za-z\u00C0-\uFFFD][\w.\u00B7\u00C0-\uFFFD-]*)?:/gi)) declared.add(m[1] ?? '');
  return declared;
}

/** Every prefixed name's prefix in a query, with its offset, skipping IRIs, strings, comments and variables. */
export function usedQueryPrefixes(query: string): PrefixUse[] {
  const uses: PrefixUse[] = [];
  for (const m of query.matchAll(sparqlToken)) {
    if (m[1] !== undefined || m[2] !== undefined || m[3] !== undefined || m[4] !== undefined) continue;
    uses.push({ prefix: m[5] ?? '', offset: m.index });
  }
  return uses;
}

/** 1-based line and column of an offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The query with PREFIX declarations for the known prefixes it does not declare itself, all on one
 * first line so error positions shift by exactly one line.
 */
export function withPrologue(query: string, known: Record<string, string>): { text: string; addedLines: number } {
  const declared = declaredQueryPrefixes(query);
  const missing = Object.entries(known).filter(([p]) => !declared.has(p));
  if (missing.length === 0) return { text: query, addedLines: 0 };
  const prologue = missing.map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join(' ');
  return { text: `${prologue}\n${query}`, addedLines: 1 };
}
