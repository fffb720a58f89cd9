// Bounds on hostile documents, checked on the text before the engine sees it: the WASM parsers would
// expand XML entities without limit ("billion laughs": 3 GB), overflow their stack on deep JSON-LD
// (a Rust panic text, and a poisoned store), and copy a 100 MB literal several times over.
import { GgenError } from '../errors.js';
import type { RdfFormat } from './formats.js';
import { lineColumnAt } from './prefixes.js';

export interface DocumentLimits {
  /** Characters one expanded XML entity reference set may produce in total (default 1M). */
  maxEntityExpansion?: number;
  /** Nesting of JSON arrays and objects (default 200). */
  maxJsonDepth?: number;
  /** Characters in one literal (default 16M). */
  maxLiteralLength?: number;
}

export const DEFAULT_DOCUMENT_LIMITS: Required<DocumentLimits> = { maxEntityExpansion: 1_000_000, maxJsonDepth: 200, maxLiteralLength: 16_000_000 };

const HOSTILE_HINT = 'the document looks hostile or broken; ggen bounds parser work so one file cannot exhaust memory';

/** Throws when `text` would make the parser do unbounded work. */
export function checkDocumentBounds(text: string, format: RdfFormat, file: string, limits: DocumentLimits = {}): void {
  const l = { ...DEFAULT_DOCUMENT_LIMITS, ...limits };
  if (format === 'rdfxml') checkXmlEntities(text, file, l.maxEntityExpansion);
  if (format === 'jsonld') checkJsonDepth(text, file, l.maxJsonDepth);
  if (text.length > l.maxLiteralLength) checkLongestRun(text, file, l.maxLiteralLength);
}

const entityDecl = /<!ENTITY\s+(%\s*)?([^\s"']+)\s+(?:(?:SYSTEM|PUBLIC)\b[^>]*|"([^"]*)"|'([^']*)')\s*>/g;

/** The expanded size of every internal entity; refuses external entities and expansions past the limit. */
function checkXmlEntities(text: string, file: string, limit: number): void {
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype === -1 || !text.includes('<!ENTITY')) return;
  const values = new Map<string, string>();
  for (const m of text.matchAll(entityDecl)) {
    if (m[3] === undefined && m[4] === undefined) {
      throw new GgenError('E_RDF_PARSE', `RDF/XML external entity "${m[2]}" is not supported: ggen does not fetch documents`, { at: { file, ...lineColumnAt(text, m.index) }, hint: 'inline the entity text' });
    }
    if (!values.has(m[2]!)) values.set(m[2]!, m[3] ?? m[4]!);
  }
  const sizes = new Map<string, number>();
  const sizeOf = (name: string, depth: number): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const value = values.get(name);
    if (value === undefined || depth > 32) return name.length + 2;
    let size = value.length;
    for (const ref of value.matchAll(/&([^\s;&#]+);/g)) size += sizeOf(ref[1]!, depth + 1) - ref[0].length;
    sizes.set(name, size);
    return size;
  };
  let total = 0;
  const body = text.slice(text.indexOf(']>', doctype) + 2);
  for (const ref of body.matchAll(/&([^\s;&#]+);/g)) {
    if (!values.has(ref[1]!)) continue;
    total += sizeOf(ref[1]!, 0);
    if (total > limit) {
      throw new GgenError('E_RDF_TOO_LARGE', `RDF/XML entity expansion too large: more than ${limit} characters (entity "${ref[1]}")`, { at: { file, ...lineColumnAt(text, text.length - body.length + ref.index) }, hint: HOSTILE_HINT });
    }
  }
  // Entities used inside attribute values of the DTD itself count too, via their own sizes.
  for (const name of values.keys()) {
    if (sizeOf(name, 0) > limit) throw new GgenError('E_RDF_TOO_LARGE', `RDF/XML entity expansion too large: entity "${name}" expands to more than ${limit} characters`, { at: { file }, hint: HOSTILE_HINT });
  }
}

/** Refuses JSON nested deeper than the limit (strings skipped). */
function checkJsonDepth(text: string, file: string, limit: number): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) throw new GgenError('E_RDF_TOO_LARGE', `JSON-LD nested too deeply: more than ${limit} levels`, { at: { file, ...lineColumnAt(text, i) }, hint: HOSTILE_HINT });
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** Refuses a run longer than the limit without a quote or angle bracket: one huge literal. */
function checkLongestRun(text: string, file: string, limit: number): void {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 0x22 : text.charCodeAt(i);
    if (c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e) {
      if (i - start > limit) {
        throw new GgenError('E_RDF_TOO_LARGE', `literal too large: more than ${limit} characters`, { at: { file, ...lineColumnAt(text, start) }, hint: `${HOSTILE_HINT}; keep large content in files and link to them` });
      }
      start = i + 1;
    }
  }
}
