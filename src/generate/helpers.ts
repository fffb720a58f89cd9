// Template functions and filters for query results: sparql(), sparql_first/values/column/row/count/empty/where, local.
import { GgenError } from '../errors.js';
import { localName, type Row } from './rows.js';

export type HelperFunction = (args: Record<string, unknown>) => unknown;
export type HelperFilter = (value: unknown, args: Record<string, unknown>) => unknown;

/** Runs a SPARQL text against the graph of the template being rendered (set per template by the planner). */
export type QueryRunner = (query: string) => unknown;

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

const whereIndex = new WeakMap<object, Map<string, Map<string, Row[]>>>();

/** Rows whose `column` equals `value`; an index per (results, column) makes repeated lookups O(1). */
function rowsWhere(results: unknown, column: string, value: unknown): Row[] {
  const rows = rowsOf(results);
  let byColumn = whereIndex.get(rows);
  if (byColumn === undefined) whereIndex.set(rows, (byColumn = new Map()));
  let index = byColumn.get(column);
  if (index === undefined) {
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

export function createResultHelpers(runQuery: () => QueryRunner): { functions: Record<string, HelperFunction>; filters: Record<string, HelperFilter> } {
  const functions: Record<string, HelperFunction> = {
    sparql: (args) => {
      const query = required('sparql', args, 'query');
      if (typeof query !== 'string') throw new GgenError('E_TEMPLATE_RENDER', 'sparql: "query" must be the SPARQL text', { hint: 'named queries from the frontmatter are in sparql_results.NAME' });
      const result = runQuery()(query);
      if (args.var === undefined) return result;
      return cell(rowsOf(result)[0], String(args.var)) ?? '';
    },
    sparql_first: (args) => cell(rowsOf(required('sparql_first', args, 'results'))[0], String(required('sparql_first', args, 'column'))) ?? null,
    sparql_values: (args) => columnOf('sparql_values', args),
    sparql_column: (args) => columnOf('sparql_column', args),
    sparql_row: (args) => {
      const rows = rowsOf(required('sparql_row', args, 'results'));
      const index = args.index ?? 0;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new GgenError('E_TEMPLATE_RENDER', 'sparql_row: "index" must be a whole number ≥ 0');
      return rows[index] ?? null;
    },
    sparql_count: (args) => {
      const results = required('sparql_count', args, 'results');
      return Array.isArray(results) ? results.length : typeof results === 'boolean' ? 1 : 0;
    },
    sparql_empty: (args) => {
      const results = required('sparql_empty', args, 'results');
      return Array.isArray(results) ? results.length === 0 : typeof results !== 'boolean';
    },
    sparql_where: (args) => rowsWhere(required('sparql_where', args, 'results'), String(required('sparql_where', args, 'column')), required('sparql_where', args, 'value')),
    local: (args) => localName(args.iri),
  };
  const filters: Record<string, HelperFilter> = {
    local: (value) => localName(value),
  };
  return { functions, filters };
}

function columnOf(fn: string, args: Record<string, unknown>): unknown[] {
  const column = String(required(fn, args, 'column'));
  return rowsOf(required(fn, args, 'results')).map((r) => cell(r, column)).filter((v) => v !== undefined);
}
