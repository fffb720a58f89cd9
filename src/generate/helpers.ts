// Template functions and filters for query results: sparql(), sparql_first/values/column/row/count/empty/where, local.
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { localName, type Row } from './rows.js';

export type HelperFunction = (args: Record<string, unknown>) => unknown;
export type HelperFilter = (value: unknown, args: Record<string, unknown>) => unknown;

/** Runs a SPARQL text against the graph of the template being rendered. */
export type QueryRunner = (query: string) => unknown;

/** What the helpers see of the template being rendered. */
export interface HelperScope {
  runQuery: QueryRunner;
  /** The template's named query results, so helpers can take `results="name"`. */
  results: Record<string, unknown>;
}

function required(fn: string, args: Record<string, unknown>, name: string): unknown {
  if (!(name in args) || args[name] === undefined) {
    throw new GgenError('E_TEMPLATE_RENDER', `${fn}: the "${name}" argument is required`, { hint: `call it as ${fn}(${name}=…)` });
  }
  return args[name];
}

function rowsOf(value: unknown): Row[] {
  return Array.isArray(value) ? (value as Row[]) : [];
}

/** A row's value for `column`, accepting `name` and `?name` (1.x rows use `?name` keys). */
function cell(row: Row | undefined, column: string): unknown {
  if (row === undefined || row === null || typeof row !== 'object') return undefined;
  const bare = column.startsWith('?') ? column.slice(1) : column;
  if (Object.hasOwn(row, bare)) return row[bare];
  if (Object.hasOwn(row, `?${bare}`)) return row[`?${bare}`];
  return undefined;
}

interface WhereIndex {
  length: number;
  last: Row;
  byColumn: Map<string, Map<string, Row[]>>;
}

/**
 * Indexes are keyed by the first row object, not the list: the engine may hand functions a copy of the
 * list (same row objects), and the index must survive that.
 */
const whereIndex = new WeakMap<object, WeakMap<object, WhereIndex>>();

function indexFor(rows: Row[]): Map<string, Map<string, Row[]>> {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  let byLast = whereIndex.get(first);
  if (byLast === undefined) whereIndex.set(first, (byLast = new WeakMap()));
  let entry = byLast.get(last);
  if (entry === undefined || entry.length !== rows.length) byLast.set(last, (entry = { length: rows.length, last, byColumn: new Map() }));
  return entry.byColumn;
}

/** Rows whose `column` equals `value`; an index per (results, column) makes repeated lookups O(1). */
function rowsWhere(results: unknown, column: string, value: unknown): Row[] {
  const rows = rowsOf(results);
  if (rows.length === 0 || typeof rows[0] !== 'object' || rows[0] === null) return [];
  const byColumn = indexFor(rows);
  let index = byColumn.get(column);
  if (index === undefined) {
    // (built once per results list and column)
    index = new Map();
    for (const row of rows) {
      const v = cell(row, column);
      if (v === undefined) continue;
      const key = String(v);
      const list = index.get(key);
      if (list) list.push(row);
      else index.set(key, [row]);
    }
    byColumn.set(column, index);
  }
  return index.get(String(value)) ?? [];
}

/** The helpers for one template's render: they query that template's graph and see its named results. */
export function createResultHelpers(scope: HelperScope): { functions: Record<string, HelperFunction>; filters: Record<string, HelperFilter> } {
  /** `results` is a list of rows, or the name of one of the template's queries (cheap for big results). */
  const resultsArg = (fn: string, args: Record<string, unknown>): unknown => {
    const value = required(fn, args, 'results');
    if (typeof value !== 'string') return value;
    const named = scope.results;
    if (!Object.hasOwn(named, value)) throw new GgenError('E_TEMPLATE_RENDER', `${fn}: no query named "${value}"`, { hint: didYouMean(value, Object.keys(named)) ?? `queries: ${Object.keys(named).sort().join(', ') || 'none'}` });
    return named[value];
  };
  const functions: Record<string, HelperFunction> = {
    sparql: (args) => {
      const query = required('sparql', args, 'query');
      if (typeof query !== 'string') throw new GgenError('E_TEMPLATE_RENDER', 'sparql: "query" must be the SPARQL text', { hint: 'named queries from the frontmatter are in sparql_results.NAME' });
      const result = scope.runQuery(query);
      if (args.var === undefined) return result;
      return cell(rowsOf(result)[0], String(args.var)) ?? '';
    },
    sparql_first: (args) => cell(rowsOf(resultsArg('sparql_first', args))[0], String(required('sparql_first', args, 'column'))) ?? null,
    sparql_values: (args) => columnOf('sparql_values', args, resultsArg('sparql_values', args)),
    sparql_column: (args) => columnOf('sparql_column', args, resultsArg('sparql_column', args)),
    sparql_row: (args) => {
      const rows = rowsOf(resultsArg('sparql_row', args));
      const raw = args.index ?? 0;
      const index = typeof raw === 'object' && raw !== null && 'value' in raw ? (raw as { value: unknown }).value : raw;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new GgenError('E_TEMPLATE_RENDER', 'sparql_row: "index" must be a whole number ≥ 0');
      return rows[index] ?? null;
    },
    sparql_count: (args) => {
      const results = resultsArg('sparql_count', args);
      return Array.isArray(results) ? results.length : typeof results === 'boolean' ? 1 : 0;
    },
    sparql_empty: (args) => {
      const results = resultsArg('sparql_empty', args);
      return Array.isArray(results) ? results.length === 0 : typeof results !== 'boolean';
    },
    sparql_where: (args) => rowsWhere(resultsArg('sparql_where', args), String(required('sparql_where', args, 'column')), required('sparql_where', args, 'value')),
    local: (args) => localName(args.iri),
  };
  const filters: Record<string, HelperFilter> = {
    local: (value) => localName(value),
  };
  return { functions, filters };
}

function columnOf(fn: string, args: Record<string, unknown>, results: unknown): unknown[] {
  const column = String(required(fn, args, 'column'));
  return rowsOf(results).map((r) => cell(r, column)).filter((v) => v !== undefined);
}
