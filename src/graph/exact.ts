// Exact terms: oxigraph stores XSD literals by value ("1.0"^^xsd:decimal is kept as 1, "+1" as 1,
// "12"^^xsd:byte as an xsd:integer; oxigraph#526), so this side table remembers what the document
// wrote and puts it back in query results, dumps, exports, diffs and hashes. The store keeps the
// values, so SPARQL comparisons and arithmetic work as before.
//
// Only documents that may hold such literals pay for it: a text scan (`mayNeedExactTerms`) decides,
// and only then is the document parsed a second time (oxigraph's parser keeps lexical forms).
import { Parser, type Quad as N3Quad, type Term as N3Term } from 'n3';
import type * as Oxigraph from 'oxigraph';
import type { RdfFormat } from './formats.js';
import type { RdfTerm } from './results.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = `${XSD}string`;

// Typed literals whose lexical form the store never rewrites: canonical integers and booleans, plain strings.
const safeTyped: Record<string, RegExp> = {
  integer: /^-?(?:0|[1-9]\d*)$/,
  boolean: /^(?:true|false)$/,
  string: /^/,
};
const typedLiteral = /"((?:[^"\\\n]|\\.)*)"\^\^(?:<http:\/\/www\.w3\.org\/2001\/XMLSchema#(\w+)>|xsd:(\w+))/g;
// Turtle's bare numbers that are not canonical: a sign, a leading zero, a decimal point or an exponent.
const oddBareNumber = /(?:^|[\s,;([{])(?:[+-]\d|0\d|\d*\.\d|\d+[eE][+-]?\d)/;

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** True when a document may contain literals the store would rewrite (false positives only cost time). */
export function mayNeedExactTerms(text: string, format: RdfFormat): boolean {
  if (format === 'rdfxml') return text.includes('datatype');
  if (format === 'jsonld') return text.includes('XMLSchema') || text.includes('@type') || /[:[,]\s*[-+]?\d/.test(text) || /:\s*(?:true|false)\b/.test(text);
  if ((format === 'turtle' || format === 'trig' || format === 'n3') && oddBareNumber.test(text)) return true;
  const typed = countOf(text, '^^');
  if (typed === 0) return false;
  let safe = 0;
  for (const m of text.matchAll(typedLiteral)) {
    const type = m[2] ?? m[3]!;
    if (safeTyped[type]?.test(m[1]!)) safe++;
    else return true;
  }
  return safe !== typed;
}

interface ExactLiteral {
  value: string;
  datatype: string;
}

const literalLine = /^(\S+) (<[^>]*>) ("(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>)?)((?: \S+)?) \.$/;

function bnodeNeutral(token: string): string {
  return token.startsWith('_:') ? '_:' : token;
}

/** The side table: what the store holds → what the document wrote. */
export class LexicalTable {
  /** `subject predicate canonicalLiteral graph` (blank nodes as `_:`) → exact literals in N-Triples syntax. */
  private readonly statements = new Map<string, string[]>();
  /** The same without the graph, for triple dumps (the union of all graphs). */
  private readonly triples = new Map<string, string[]>();
  /** `value \0 datatype` of the stored literal → the exact literal written for it; null when the data writes it several ways. */
  private readonly terms = new Map<string, ExactLiteral | null>();

  get size(): number {
    return this.statements.size;
  }

  /** Records one statement whose object literal the store rewrites. */
  add(subject: string, predicate: string, graph: string, canonical: string, exact: string, exactTerm: ExactLiteral, canonicalTerm: ExactLiteral): void {
    const tripleKey = `${bnodeNeutral(subject)} ${predicate} ${canonical}`;
    for (const [map, key] of [[this.statements, `${tripleKey}${graph === '' ? '' : ` ${bnodeNeutral(graph)}`}`], [this.triples, tripleKey]] as const) {
      const list = map.get(key);
      if (list === undefined) map.set(key, [exact]);
      else if (!list.includes(exact)) list.push(exact);
    }
    const termKey = `${canonicalTerm.value}\u0000${canonicalTerm.datatype}`;
    const known = this.terms.get(termKey);
    if (known === undefined) this.terms.set(termKey, exactTerm);
    else if (known !== null && (known.value !== exactTerm.value || known.datatype !== exactTerm.datatype)) this.terms.set(termKey, null);
  }

  /** Notes a literal written in the store's own form: results cannot tell it from rewritten ones. */
  noteCanonical(term: ExactLiteral): void {
    this.writtenAsStored.add(`${term.value}\u0000${term.datatype}`);
  }

  private readonly writtenAsStored = new Set<string>();

  /**
   * N-Triples/N-Quads lines as the document wrote them. A stored statement that stands for several
   * written ones (`ex:a ex:p 1.0, 1.00` is one statement to the store) comes back as all of them; with a
   * blank subject or graph the first written form is used, since blank labels cannot tell them apart.
   */
  restoreLines(lines: string[], withGraph: boolean): string[] {
    if (this.statements.size === 0) return lines;
    const out: string[] = [];
    for (const line of lines) {
      const m = line.includes('"') ? literalLine.exec(line) : null;
      if (m === null) {
        out.push(line);
        continue;
      }
      const [, s, p, o, g] = m as unknown as [string, string, string, string, string];
      const graph = withGraph ? g.trim() : '';
      const exact = withGraph ? this.statements.get(`${bnodeNeutral(s)} ${p} ${o}${graph === '' ? '' : ` ${bnodeNeutral(graph)}`}`) : this.triples.get(`${bnodeNeutral(s)} ${p} ${o}`);
      if (exact === undefined) {
        out.push(line);
        continue;
      }
      const blank = s.startsWith('_:') || graph.startsWith('_:');
      for (const e of blank ? exact.slice(0, 1) : exact) out.push(`${s} ${p} ${e}${withGraph ? g : ''} .`);
    }
    return out;
  }

  /** A result term as the data wrote it, when the store rewrote it and the data writes that value one way only. */
  restoreTerm(term: RdfTerm): RdfTerm {
    if (term.type !== 'literal' || term.datatype === undefined) return term;
    const key = `${term.value}\u0000${term.datatype}`;
    const exact = this.terms.get(key);
    return exact === undefined || exact === null || this.writtenAsStored.has(key) ? term : { type: 'literal', value: exact.value, datatype: exact.datatype };
  }

  /** Literals in N-Triples text (CONSTRUCT results) as the data wrote them. */
  restoreNTriples(text: string): string {
    if (this.terms.size === 0) return text;
    const lines = text.split('\n');
    const out: string[] = [];
    for (const line of lines) {
      if (line === '') continue;
      const m = line.includes('"') ? literalLine.exec(line) : null;
      const restored = m === null ? [line] : this.restoreLines([line], false);
      if (restored.length === 1 && restored[0] === line && m !== null) {
        // Not a recorded statement (CONSTRUCT may build new ones): fall back to the term.
        const lit = /^"((?:[^"\\]|\\.)*)"\^\^<([^>]*)>$/.exec(m[3]!);
        const key = lit ? `${unescapeNTriples(lit[1]!)}\u0000${lit[2]!}` : '';
        const exact = lit && !this.writtenAsStored.has(key) ? this.terms.get(key) : undefined;
        out.push(exact ? `${m[1]} ${m[2]} ${literalToNTriples(exact)} .` : line);
      } else out.push(...restored);
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}

function unescapeNTriples(text: string): string {
  return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_m, u?: string, U?: string, c?: string) =>
    u !== undefined || U !== undefined ? String.fromCodePoint(parseInt((u ?? U)!, 16)) : ({ t: '\t', b: '\b', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c!] ?? c!,
  );
}

const echar: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/** A literal in N-Triples syntax, escaped exactly as oxigraph writes it (canonical N-Quads: ECHARs, other controls as \\u00XX). */
export function literalToNTriples(term: ExactLiteral): string {
  const escaped = term.value.replace(/[\u0000-\u001f"\\\u007f]/g, (c) => echar[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return term.datatype === XSD_STRING ? `"${escaped}"` : `"${escaped}"^^<${term.datatype}>`;
}

type Freeable = { free?: () => void };

interface Candidate {
  s: string;
  p: string;
  g: string;
  lit: ExactLiteral;
}

const n3Formats: Partial<Record<RdfFormat, string>> = { turtle: 'Turtle', trig: 'TriG', ntriples: 'N-Triples', nquads: 'N-Quads' };

const n3TermKey = (t: N3Term): string => (t.termType === 'NamedNode' ? `<${t.value}>` : t.termType === 'BlankNode' ? `_:${t.value}` : t.termType === 'DefaultGraph' ? '' : t.id);

/** XSD literals of a document with the statements that hold them, by n3's parser (plain JS, ~3x faster here than crossing into WASM per quad). */
function candidatesByN3(text: string, format: string, base: string | undefined, graph: string): Candidate[] | undefined {
  let quads: N3Quad[];
  try {
    quads = new Parser({ format, baseIRI: base, blankNodePrefix: '' }).parse(text);
  } catch {
    return undefined; // oxigraph's parser decides, and reports the error in its words
  }
  const out: Candidate[] = [];
  for (const q of quads) {
    const o = q.object;
    if (o.termType !== 'Literal') continue;
    const datatype = o.datatype.value;
    if (!datatype.startsWith(XSD) || datatype === XSD_STRING) continue;
    out.push({ s: n3TermKey(q.subject), p: `<${q.predicate.value}>`, g: q.graph.termType === 'DefaultGraph' ? graph : n3TermKey(q.graph), lit: { value: o.value, datatype } });
  }
  return out;
}

/** The same through oxigraph's own parser, for RDF/XML, JSON-LD and N3. */
function candidatesByOxigraph(ox: typeof Oxigraph, text: string, options: Parameters<typeof Oxigraph.parse>[1]): Candidate[] {
  const out: Candidate[] = [];
  for (const q of ox.parse(text, options) as Oxigraph.Quad[]) {
    const o = q.object;
    if (o.termType === 'Literal') {
      const dt = o.datatype;
      const datatype = dt.value;
      if (datatype.startsWith(XSD) && datatype !== XSD_STRING) {
        out.push({ s: q.subject.toString(), p: q.predicate.toString(), g: q.graph.termType === 'DefaultGraph' ? '' : q.graph.toString(), lit: { value: o.value, datatype } });
      }
      (dt as Freeable).free?.();
    }
    (o as Freeable).free?.();
    (q as Freeable).free?.();
  }
  return out;
}

/**
 * Parses `text` with a parser that keeps lexical forms, asks a scratch store what it makes of each XSD
 * literal, and records the statements whose literal the store would rewrite.
 */
export function recordExactTerms(ox: typeof Oxigraph, table: LexicalTable, text: string, format: RdfFormat, options: Parameters<typeof Oxigraph.parse>[1]): void {
  const base = options.base_iri === undefined ? undefined : String(typeof options.base_iri === 'string' ? options.base_iri : options.base_iri.value);
  const graph = options.to_graph_name && options.to_graph_name.termType !== 'DefaultGraph' ? options.to_graph_name.toString() : '';
  const n3Format = n3Formats[format];
  const candidates = (n3Format && candidatesByN3(text, n3Format, base, graph)) || candidatesByOxigraph(ox, text, options);
  if (candidates.length === 0) return;
  // Each distinct literal once: its N-Triples form, and what the store makes of it.
  const distinct = new Map<string, { index: number; exact: string }>();
  const keyOf = (l: ExactLiteral) => `${l.value}\u0000${l.datatype}`;
  for (const c of candidates) {
    const key = keyOf(c.lit);
    if (!distinct.has(key)) distinct.set(key, { index: distinct.size, exact: literalToNTriples(c.lit) });
  }
  const scratch = new ox.Store();
  const exacts = [...distinct.values()].map((d) => d.exact);
  scratch.load(exacts.map((e, i) => `<urn:ggen:${i}> <urn:ggen:v> ${e} .`).join('\n'), { format: 'nt' });
  const canonical = new Array<string>(exacts.length);
  for (const line of scratch.dump({ format: 'nt', from_graph_name: ox.defaultGraph() }).split('\n')) {
    const m = /^<urn:ggen:(\d+)> <urn:ggen:v> (.*) \.$/.exec(line);
    if (m) canonical[+m[1]!] = m[2]!;
  }
  (scratch as Freeable).free?.();
  for (const c of candidates) {
    const { index, exact } = distinct.get(keyOf(c.lit))!;
    const canon = canonical[index]!;
    if (canon === exact) {
      table.noteCanonical(c.lit);
      continue;
    }
    const lit = /^"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>)?$/.exec(canon);
    const canonicalTerm = { value: lit ? unescapeNTriples(lit[1]!) : canon, datatype: lit?.[2] ?? XSD_STRING };
    table.add(c.s, c.p, c.g, canon, exact, c.lit, canonicalTerm);
  }
}
