// Exact terms: oxigraph stores XSD literals by value ("1.0"^^xsd:decimal is kept as 1, "+1" as 1,
// "12"^^xsd:byte as an xsd:integer; oxigraph#526), so this side table remembers what the document
// wrote and puts it back in query results, dumps, exports, diffs and hashes. The store keeps the
// values, so SPARQL comparisons and arithmetic work as before.
//
// Only documents that may hold such literals pay for it: a text scan (`mayNeedExactTerms`) decides, then
// a statement scanner (exact-scan.ts) finds the XSD literals and their statements; only documents it does
// not follow are parsed a second time. Turtle, TriG, N-Triples and N-Quads are read when a result with
// typed literals or a dump first needs them (LexicalTable.defer), and the statement keys are built when a
// dump first needs them: most queries never pay (bench/results/graph-exact.md).
import type { Quad as N3Quad, Term as N3Term } from 'n3';
import { n3 } from './n3-lazy.js';
import type * as Oxigraph from 'oxigraph';
import { scanStatements, surelyCanonical, unescapeString, type Candidate, type ExactLiteral, type ScanFormat } from './exact-scan.js';
import type { RdfFormat } from './formats.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = `${XSD}string`;

// Typed literals whose lexical form the store never rewrites: canonical integers and booleans, plain strings.
const safeTyped: Record<string, RegExp> = {
  integer: /^(?:0|-?[1-9]\d*)$/, // not -0: the store writes 0
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

const literalLine = /^(\S+) (<[^>]*>) ("(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>)?)((?: \S+)?) \.$/;

function bnodeNeutral(token: string): string {
  return token.startsWith('_:') ? '_:' : token;
}

/** What one document wrote that the store rewrites, read before the store loads it (see readExactTerms). */
export interface ExactTerms {
  /** Statements whose object literal the store rewrites, and (same index) that literal's forms. */
  statements: Candidate[];
  forms: RewrittenLiteral[];
  /** Each distinct rewritten literal. */
  terms: RewrittenLiteral[];
  /** XSD literals written in the store's own form. */
  canonical: ExactLiteral[];
}

/** A literal as written (value, datatype) and as the store keeps it; N-Triples forms are filled in when first needed. */
export interface RewrittenLiteral extends ExactLiteral {
  canonicalValue: string;
  canonicalDatatype: string;
  exact: string | undefined;
  canonical: string | undefined;
}

const termKey = (term: ExactLiteral): string => `${term.value}\u0000${term.datatype}`;

/** The side table: what the store holds → what the document wrote. */
export class LexicalTable {
  /** `subject predicate canonicalLiteral graph` (blank nodes as `_:`) → exact literals in N-Triples syntax. */
  private readonly statements = new Map<string, string[]>();
  /** The same without the graph, for triple dumps (the union of all graphs). */
  private readonly triples = new Map<string, string[]>();
  /** Recorded statements not yet in the two maps: keys are built when a dump or the size first needs them. */
  private unkeyed: ExactTerms[] = [];
  /** `value \0 datatype` of the stored literal → the exact literal written for it; null when the data writes it several ways (the store's own form included). */
  private readonly terms = new Map<string, ExactLiteral | null>();
  /** Literals written in the store's own form: results cannot tell them from rewritten ones. */
  private readonly writtenAsStored = new Set<string>();

  /** Documents loaded but not read yet (see defer). */
  private deferred: Array<() => ExactTerms> = [];

  /** Statements whose literal the store holds in another form than the data wrote. */
  get size(): number {
    this.key();
    return this.statements.size;
  }

  /** True when no document wrote a literal the store rewrites. */
  get empty(): boolean {
    this.settle();
    return this.unkeyed.length === 0 && this.statements.size === 0;
  }

  /**
   * Records a loaded document's rewritten literals when they are first needed (a result with typed
   * literals, a dump, the size): `read` runs once, then. Reading depends only on the document, so when it
   * runs does not change what it finds; until then the table holds on to the document text.
   */
  defer(read: () => ExactTerms): void {
    this.deferred.push(read);
  }

  private settle(): void {
    if (this.deferred.length === 0) return;
    const reads = this.deferred;
    this.deferred = [];
    for (const read of reads) this.record(read());
  }

  /** Records a document's rewritten literals once the store has loaded it. */
  record(found: ExactTerms): void {
    // What the table keeps is detached from the document text (see detach), so the text can be collected.
    const shared = new Map<string, string>();
    const once = (text: string) => {
      let copy = shared.get(text);
      if (copy === undefined) shared.set(text, (copy = detach(text)));
      return copy;
    };
    for (const c of found.statements) {
      c.s = detach(c.s);
      c.p = once(c.p);
      c.g = once(c.g);
      c.value = ''; // the literal lives on in its form (found.forms)
      c.datatype = '';
    }
    if (found.statements.length > 0) this.unkeyed.push(found);
    for (const t of found.terms) {
      t.value = detach(t.value);
      t.canonicalValue = detach(t.canonicalValue);
      t.datatype = once(t.datatype);
      t.canonicalDatatype = once(t.canonicalDatatype);
      const key = `${t.canonicalValue}\u0000${t.canonicalDatatype}`; // made of detached parts
      const known = this.terms.get(key);
      if (known === undefined) this.terms.set(key, this.writtenAsStored.has(key) ? null : t);
      else if (known !== null && (known.value !== t.value || known.datatype !== t.datatype)) this.terms.set(key, null);
    }
    for (const term of found.canonical) {
      const key = detach(termKey(term));
      this.writtenAsStored.add(key);
      if (this.terms.get(key)) this.terms.set(key, null); // results cannot tell the two apart
    }
    found.terms = [];
    found.canonical = [];
  }

  private key(): void {
    this.settle();
    for (const { statements, forms } of this.unkeyed) {
      for (let k = 0; k < statements.length; k++) {
        const { s, p, g } = statements[k]!;
        const form = forms[k]!;
        const exact = (form.exact ??= literalToNTriples(form));
        const canonical = (form.canonical ??= literalToNTriples({ value: form.canonicalValue, datatype: form.canonicalDatatype }));
        const tripleKey = `${bnodeNeutral(s)} ${p} ${canonical}`;
        add(this.statements, g === '' ? tripleKey : `${tripleKey} ${bnodeNeutral(g)}`, exact);
        add(this.triples, tripleKey, exact);
      }
    }
    this.unkeyed = [];
  }

  /**
   * N-Triples/N-Quads lines as the document wrote them. A stored statement that stands for several
   * written ones (`ex:a ex:p 1.0, 1.00` is one statement to the store) comes back as all of them; with a
   * blank subject or graph the first written form is used, since blank labels cannot tell them apart.
   */
  restoreLines(lines: string[], withGraph: boolean): string[] {
    this.key();
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

  /** The literal the data wrote for a stored value and datatype, when it was rewritten and written one way only. */
  exactFor(value: string, datatype: string): ExactLiteral | undefined {
    this.settle();
    return this.terms.get(`${value}\u0000${datatype}`) ?? undefined;
  }

  /** Literals in N-Triples text (CONSTRUCT results) as the data wrote them. */
  restoreNTriples(text: string): string {
    this.settle();
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
        const key = lit ? `${unescapeString(lit[1]!)}\u0000${lit[2]!}` : '';
        const exact = lit && !this.writtenAsStored.has(key) ? this.terms.get(key) : undefined;
        out.push(exact ? `${m[1]} ${m[2]} ${literalToNTriples(exact)} .` : line);
      } else out.push(...restored);
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}

/**
 * An independent copy of a string cut from a document: V8 keeps substrings of 13 or more characters (and
 * strings built from them) as views into the whole text, so a table of them kept every loaded document
 * alive (measured: +23 MB for a 23 MB document). Flattening a concatenation copies the characters.
 */
function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.replace(/^ /, '');
}

function add(map: Map<string, string[]>, key: string, exact: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [exact]);
  else if (!list.includes(exact)) list.push(exact);
}

const echar: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/** A literal in N-Triples syntax, escaped exactly as oxigraph writes it (canonical N-Quads: ECHARs, other controls as \\u00XX). */
export function literalToNTriples(term: ExactLiteral): string {
  const escaped = term.value.replace(/[\u0000-\u001f"\\\u007f]/g, (c) => echar[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return term.datatype === XSD_STRING ? `"${escaped}"` : `"${escaped}"^^<${term.datatype}>`;
}

type Freeable = { free?: () => void };

const n3Formats: Partial<Record<RdfFormat, string>> = { turtle: 'Turtle', trig: 'TriG', ntriples: 'N-Triples', nquads: 'N-Quads' };

const n3TermKey = (t: N3Term): string => (t.termType === 'NamedNode' ? `<${t.value}>` : t.termType === 'BlankNode' ? `_:${t.value}` : t.termType === 'DefaultGraph' ? '' : t.id);

/** XSD literals of a document with the statements that hold them, by n3's parser (for what the scanner does not follow). */
export function candidatesByN3(text: string, format: RdfFormat, base: string | undefined, graph: string): Candidate[] | undefined {
  const n3Format = n3Formats[format];
  if (n3Format === undefined) return undefined;
  let quads: N3Quad[];
  try {
    quads = new (n3().Parser)({ format: n3Format, baseIRI: base, blankNodePrefix: '' }).parse(text);
  } catch {
    return undefined; // oxigraph's parser decides, and reports the error in its words
  }
  const out: Candidate[] = [];
  for (const q of quads) {
    const o = q.object;
    if (o.termType !== 'Literal') continue;
    const datatype = o.datatype.value;
    if (!datatype.startsWith(XSD) || datatype === XSD_STRING) continue;
    out.push({ s: n3TermKey(q.subject), p: `<${q.predicate.value}>`, g: q.graph.termType === 'DefaultGraph' ? graph : n3TermKey(q.graph), value: o.value, datatype });
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
        out.push({ s: q.subject.toString(), p: q.predicate.toString(), g: q.graph.termType === 'DefaultGraph' ? '' : q.graph.toString(), value: o.value, datatype });
      }
      (dt as Freeable).free?.();
    }
    (o as Freeable).free?.();
    (q as Freeable).free?.();
  }
  return out;
}

/** Formats read by the statement scanner: cheap and unable to fail on a document the store loaded, so they can be read later (LexicalTable.defer). */
export const scannedFormat = (format: RdfFormat): boolean => scanFormats[format] !== undefined;

const scanFormats: Partial<Record<RdfFormat, ScanFormat>> = { turtle: 'turtle', trig: 'trig', ntriples: 'ntriples', nquads: 'nquads' };

/** The document's XSD literals: by the statement scanner, else n3's parser, else oxigraph's. */
function documentLiterals(ox: typeof Oxigraph, text: string, format: RdfFormat, options: Parameters<typeof Oxigraph.parse>[1]): { candidates: Candidate[]; canonical: ExactLiteral[] } {
  const graph = options.to_graph_name && options.to_graph_name.termType !== 'DefaultGraph' ? options.to_graph_name.toString() : '';
  const scanFormat = scanFormats[format];
  const scanned = scanFormat && scanStatements(text, scanFormat, graph);
  if (scanned) return scanned;
  const base = options.base_iri === undefined ? undefined : String(typeof options.base_iri === 'string' ? options.base_iri : options.base_iri.value);
  const all = candidatesByN3(text, format, base, graph) ?? candidatesByOxigraph(ox, text, options);
  const candidates: Candidate[] = [];
  const canonical: ExactLiteral[] = [];
  for (const c of all) {
    if (surelyCanonical(c.value, c.datatype)) canonical.push({ value: c.value, datatype: c.datatype });
    else candidates.push(c);
  }
  return { candidates, canonical };
}

const XSD_INTEGER = `${XSD}integer`;
const XSD_DECIMAL = `${XSD}decimal`;
// Up to 18 digits each side: within the store's integer (i64) and decimal (18 fraction digits) ranges.
const integerForm = /^([+-]?)0*(\d{1,18})$/; // leading zeros dropped by the match
const decimalForm = /^([+-]?)(\d{0,18})(?:\.(\d{0,18}))?$/;

/**
 * The lexical form the store keeps for an xsd:integer or xsd:decimal literal (oxigraph's canonical form;
 * test/graph/exact-scan.test.ts checks it against the store); undefined for other literals.
 */
export function storeValue(value: string, datatype: string): string | undefined {
  if (datatype === XSD_INTEGER) {
    const m = integerForm.exec(value);
    if (m === null) return undefined;
    return m[1] === '-' && m[2] !== '0' ? `-${m[2]!}` : m[2]!;
  }
  if (datatype !== XSD_DECIMAL) return undefined;
  const m = decimalForm.exec(value);
  if (m === null || (m[2] === '' && !m[3])) return undefined;
  const whole = m[2]!.replace(/^0+/, '') || '0';
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const digits = fraction === '' ? whole : `${whole}.${fraction}`;
  return m[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

const ntLiteral = /^"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>)?$/;

/**
 * Reads what `text` writes that the store would rewrite, asking a scratch store what it makes of each
 * distinct XSD literal. Nothing is recorded: give the result to LexicalTable.record once the store has
 * loaded the document (a document the store rejects leaves the table as it was).
 */
export function readExactTerms(ox: typeof Oxigraph, text: string, format: RdfFormat, options: Parameters<typeof Oxigraph.parse>[1]): ExactTerms {
  const { candidates, canonical } = documentLiterals(ox, text, format, options);
  const found: ExactTerms = { statements: [], forms: [], terms: [], canonical };
  if (candidates.length === 0) return found;
  // Each distinct literal once (by datatype, then value): what the store makes of it.
  const byDatatype = new Map<string, Map<string, Distinct>>();
  const distincts: Distinct[] = [];
  const of = new Array<Distinct>(candidates.length);
  let lastDatatype = '';
  let byValue: Map<string, Distinct> | undefined;
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k]!;
    if (c.datatype !== lastDatatype || byValue === undefined) {
      lastDatatype = c.datatype;
      byValue = byDatatype.get(c.datatype);
      if (byValue === undefined) byDatatype.set(c.datatype, (byValue = new Map()));
    }
    let d = byValue.get(c.value);
    if (d === undefined) {
      d = { value: c.value, datatype: c.datatype, exact: undefined, canonical: undefined, canonicalValue: '', canonicalDatatype: c.datatype, rewritten: false };
      byValue.set(c.value, d);
      distincts.push(d);
    }
    of[k] = d;
  }
  // Integers and decimals are canonicalised here (the common case, and far cheaper); the rest by a scratch store.
  const asked: Distinct[] = [];
  for (const d of distincts) {
    const stored = storeValue(d.value, d.datatype);
    if (stored === undefined) {
      d.exact = literalToNTriples(d);
      asked.push(d);
    } else if (stored !== d.value) {
      d.rewritten = true;
      d.canonicalValue = stored;
      found.terms.push(d);
    } else canonical.push({ value: d.value, datatype: d.datatype });
  }
  if (asked.length > 0) {
    const scratch = new ox.Store();
    scratch.load(asked.map((d, i) => `<urn:ggen:${i}> <urn:ggen:v> ${d.exact!} .`).join('\n'), { format: 'nt' });
    for (const line of scratch.dump({ format: 'nt', from_graph_name: ox.defaultGraph() }).split('\n')) {
      const m = /^<urn:ggen:(\d+)> <urn:ggen:v> (.*) \.$/.exec(line);
      if (m) asked[+m[1]!]!.canonical = m[2]!;
    }
    (scratch as Freeable).free?.();
    for (const d of asked) {
      if (d.canonical === d.exact) {
        canonical.push({ value: d.value, datatype: d.datatype });
        continue;
      }
      d.rewritten = true;
      const lit = ntLiteral.exec(d.canonical!);
      d.canonicalValue = lit ? unescapeString(lit[1]!) : d.canonical!;
      d.canonicalDatatype = lit?.[2] ?? XSD_STRING;
      found.terms.push(d);
    }
  }
  if (found.terms.length === distincts.length) {
    // Every literal is rewritten (the usual case once the scan found any): no copy.
    found.statements = candidates;
    found.forms = of;
    return found;
  }
  for (let k = 0; k < candidates.length; k++) {
    const d = of[k]!;
    if (!d.rewritten) continue;
    found.statements.push(candidates[k]!);
    found.forms.push(d);
  }
  return found;
}

/** A distinct XSD literal of a document. */
interface Distinct extends RewrittenLiteral {
  rewritten: boolean;
}
