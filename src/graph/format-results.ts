// Query results as text: W3C SPARQL JSON, CSV and TSV, and an aligned table for people.
import { compactIri, termToNTriples, toJsonTerm, type RdfTerm, type SelectResult, XSD_STRING } from './results.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const bareTypes = new Set(['integer', 'decimal', 'double', 'boolean'].map((t) => `${XSD}${t}`));

/** W3C SPARQL 1.1 Query Results JSON for a SELECT result (triple terms as in SPARQL 1.2 JSON). */
export function selectResultToJson(result: SelectResult): string {
  const bindings = result.rows.map((row) => (Object.values(row).some((t) => t.type === 'triple') ? Object.fromEntries(Object.entries(row).map(([k, t]) => [k, toJsonTerm(t)])) : row));
  return `${JSON.stringify({ head: { vars: result.variables }, results: { bindings } }, null, 2)}\n`;
}

/** W3C SPARQL 1.1 Query Results JSON for an ASK result. */
export function askResultToJson(value: boolean): string {
  return `${JSON.stringify({ head: {}, boolean: value }, null, 2)}\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** W3C SPARQL 1.1 CSV results: lexical values, CRLF line ends; a triple term in N-Triples syntax. */
export function selectResultToCsv(result: SelectResult): string {
  const lines = [result.variables.map(csvField).join(',')];
  for (const row of result.rows) {
    lines.push(result.variables.map((v) => {
      const t = row[v];
      return t === undefined ? '' : csvField(t.type === 'bnode' ? `_:${t.value}` : t.value);
    }).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** W3C SPARQL 1.1 TSV results: terms in N-Triples syntax, tabs escaped. */
export function selectResultToTsv(result: SelectResult): string {
  const lines = [result.variables.map((v) => `?${v}`).join('\t')];
  for (const row of result.rows) {
    lines.push(result.variables.map((v) => {
      const t = row[v];
      return t === undefined ? '' : termToNTriples(t).replace(/\t/g, '\\t');
    }).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** A term as a person reads it: prefixed names, bare strings and numbers, quoted tagged literals. */
export function displayTerm(term: RdfTerm, prefixes: Record<string, string>): string {
  if (term.type === 'triple' && term.triple) {
    const { subject, predicate, object } = term.triple;
    return `<<( ${displayTerm(subject, prefixes)} ${displayTerm(predicate, prefixes)} ${displayTerm(object, prefixes)} )>>`;
  }
  let text: string;
  if (term.type === 'uri') text = compactIri(term.value, prefixes) ?? `<${term.value}>`;
  else if (term.type === 'bnode') text = `_:${term.value}`;
  else if (term.type === 'literal') {
    if (term['xml:lang']) text = `"${term.value}"@${term['xml:lang']}`;
    else if (!term.datatype || term.datatype === XSD_STRING || bareTypes.has(term.datatype)) text = term.value;
    else text = `"${term.value}"^^${compactIri(term.datatype, prefixes) ?? `<${term.datatype}>`}`;
  } else text = String(term.value);
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** An aligned text table: a header of ?variables, a rule, then one line per row. */
export function selectResultToTable(result: SelectResult, prefixes: Record<string, string>): string {
  const header = result.variables.map((v) => `?${v}`);
  const cells = result.rows.map((row) => result.variables.map((v) => (row[v] === undefined ? '' : displayTerm(row[v], prefixes))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return `${[line(header), rule, ...cells.map(line)].join('\n')}\n`;
}
