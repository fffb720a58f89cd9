// SPARQL results as template values: clean rows (plain strings plus term details) or the 1.x row shape.

/** A W3C SPARQL JSON term, as the graph layer returns it. */
export interface ResultTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string;
  datatype?: string;
  'xml:lang'?: string;
}

/** Term details beside a row's plain values: `row._terms.NAME.type`, `.datatype`, `.lang`, `.value`. */
export interface TermDetails {
  type: 'iri' | 'literal' | 'bnode' | 'triple';
  value: string;
  datatype?: string;
  lang?: string;
}

export type Row = Record<string, unknown> & { _terms?: Record<string, TermDetails> };

export type ResultValue = boolean | Row[];

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/**
 * Blank-node labels from the store are random per load; they are renamed b0, b1 … in order of first
 * appearance so that output stays byte-identical across runs.
 */
function createBnodeNamer(): (label: string) => string {
  const names = new Map<string, string>();
  return (label) => {
    let name = names.get(label);
    if (name === undefined) {
      name = `b${names.size}`;
      names.set(label, name);
    }
    return name;
  };
}

/** A term's details without its value (which is the row's): shared by every row whose terms are alike. */
type TermKind = Omit<TermDetails, 'value'>;

const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

function kindOf(term: ResultTerm): TermKind {
  if (term.type === 'uri') return { type: 'iri' };
  if (term.type === 'bnode' || term.type === 'triple') return { type: term.type };
  if (term['xml:lang'] !== undefined) return { type: 'literal', datatype: RDF_LANG_STRING, lang: term['xml:lang'] };
  return { type: 'literal', datatype: term.datatype ?? XSD_STRING };
}

/** Each row's term kinds (by variable), under a key only ggen sets: not a template-visible attribute. */
const KINDS = Symbol('ggen.termKinds');

/**
 * `row._terms`, built when a template reads it from the row's values and its shared kinds: a 100k-row result then
 * holds one pointer per row for its term details instead of five objects.
 */
function termsOf(this: Row & { [KINDS]?: Record<string, TermKind> }): Record<string, TermDetails> {
  const terms: Record<string, TermDetails> = {};
  for (const [name, kind] of Object.entries(this[KINDS] ?? {})) terms[name] = { type: kind.type, value: this[name] as string, ...(kind.datatype === undefined ? {} : { datatype: kind.datatype }), ...(kind.lang === undefined ? {} : { lang: kind.lang }) };
  return terms;
}

/** Clean rows: `row.name` is the lexical value (string); unbound variables are absent. */
export function toCleanRows(rows: ReadonlyArray<Record<string, ResultTerm>>, variables: readonly string[]): Row[] {
  return rows.map(rowShaper(variables));
}

/**
 * Shapes rows one at a time, in order (blank-node names depend on it), so rows arriving from an endpoint
 * become template rows as they stream in.
 */
export function rowShaper(variables: readonly string[], compat?: 'ggen1'): (binding: Record<string, ResultTerm>) => Row {
  const bnode = createBnodeNamer();
  if (compat === 'ggen1') {
    const sorted = [...variables].sort();
    return (binding) => {
      const row: Row = {};
      for (const name of sorted) {
        const term = binding[name];
        if (term !== undefined) row[`?${name}`] = toNTriples(term, bnode);
      }
      return row;
    };
  }
  // Rows whose terms have the same kinds share one frozen record of them.
  const shared = new Map<string, Record<string, TermKind>>();
  return (binding) => {
    const row: Row = {};
    let key = '';
    for (const name of variables) {
      const term = binding[name];
      if (term === undefined) continue;
      row[name] = term.type === 'bnode' ? bnode(term.value) : term.value;
      key += `${name}\u0000${term.type}\u0000${term.datatype ?? ''}\u0000${term['xml:lang'] ?? ''}\u0001`;
    }
    let kinds = shared.get(key);
    if (kinds === undefined) {
      kinds = {};
      for (const name of variables) if (binding[name] !== undefined) kinds[name] = Object.freeze(kindOf(binding[name]!));
      shared.set(key, Object.freeze(kinds));
    }
    Object.defineProperty(row, KINDS, { value: kinds, enumerable: false });
    // The same getter on every row: rows keep sharing one hidden class.
    Object.defineProperty(row, '_terms', { get: termsOf, enumerable: false, configurable: true });
    return row;
  };
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\"\n\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** The N-Triples form 1.x put in rows: `<iri>`, `"text"`, `"x"@en`, `"30"^^<…#integer>`, `_:b0`. */
export function toNTriples(term: ResultTerm, bnode: (l: string) => string = (l) => l): string {
  if (term.type === 'uri') return `<${term.value}>`;
  if (term.type === 'bnode') return `_:${bnode(term.value)}`;
  if (term.type === 'triple') return term.value;
  const text = `"${escapeLiteral(term.value)}"`;
  if (term['xml:lang'] !== undefined) return `${text}@${term['xml:lang']}`;
  if (term.datatype !== undefined && term.datatype !== XSD_STRING) return `${text}^^<${term.datatype}>`;
  return text;
}

/** 1.x rows (`compat: ggen1`): keys carry `?`, values are N-Triples strings, keys sorted. */
export function toGgen1Rows(rows: ReadonlyArray<Record<string, ResultTerm>>, variables: readonly string[]): Row[] {
  return rows.map(rowShaper(variables, 'ggen1'));
}

/** A stable sort key for rows of a query without ORDER BY, whose order the engine does not define. */
export function sortRowsCanonically(rows: Array<Record<string, ResultTerm>>, variables: readonly string[]): void {
  const key = (r: Record<string, ResultTerm>) => variables.map((v) => { const t = r[v]; return t === undefined ? '' : toNTriples(t); }).join('\u0000');
  const keyed = rows.map((r) => [key(r), r] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  keyed.forEach(([, r], i) => { rows[i] = r; });
}

/** The text after the last `#` or `/` of an IRI (angle brackets allowed). */
export function localName(iri: unknown): string {
  if (iri === undefined || iri === null) return '';
  const text = String(iri).trim().replace(/^<|>$/g, '');
  const cut = Math.max(text.lastIndexOf('#'), text.lastIndexOf('/'));
  return cut >= 0 ? text.slice(cut + 1) : text;
}
