// How a SHACL gate report reads: one line per result, then the counts; and as data for --json. Pure, so the CLI
// can import it without loading the graph library.
import { displayTerm } from '../graph/format-results.js';
import type { RdfTerm, ShaclReport, ShaclResult } from '../graph/index.js';
import { compactIri } from '../graph/results.js';

/** One graph validated against one set of shapes. */
export interface ShaclGateReport {
  /** The template whose own graph (project graph + its rdf:/rdf_inline:/preset files) this is; absent: the project graph. */
  template?: string;
  /** Shapes files, as shown (relative to the project root). */
  shapes: string[];
  report: ShaclReport;
  /** Prefixes of the shapes and data, for showing IRIs compactly. */
  prefixes: Record<string, string>;
}

/** `the project graph`, or `the graph of templates/x.tmpl`. */
export const gateLabel = (r: ShaclGateReport): string => (r.template === undefined ? 'the project graph' : `the graph of ${r.template}`);

/** Only sh:Violation refuses; warnings, infos and custom severities do not. */
export const refuses = (r: ShaclGateReport): boolean => r.report.violations > 0;

/** `Violation: message (focus ex:a, path ex:p, value "x", shape ex:S)`: one line per result. */
export function formatShaclResult(r: ShaclResult, prefixes: Record<string, string>): string {
  const show = (t: RdfTerm) => displayTerm(t, prefixes);
  const iri = (value: string) => compactIri(value, prefixes) ?? `<${value}>`;
  const severity = ['Violation', 'Warning', 'Info'].includes(r.severity) ? r.severity : iri(r.severity);
  const parts = [`focus ${show(r.focusNode)}`];
  if (r.path !== undefined) parts.push(`path ${r.path.replace(/<([^>]*)>/g, (_m, p: string) => iri(p))}`);
  if (r.value !== undefined) parts.push(`value ${show(r.value)}`);
  parts.push(`shape ${show(r.shape)}`);
  return `${severity}: ${r.message || '(no message)'} (${parts.join(', ')})`;
}

/** `1 violation, 0 warnings, 0 info` (plus custom severities). */
export function shaclCounts(report: ShaclReport): string {
  const others = Object.entries(report.otherSeverities).map(([severity, n]) => `, ${n} <${severity}>`).join('');
  return `${report.violations} ${report.violations === 1 ? 'violation' : 'violations'}, ${report.warnings} ${report.warnings === 1 ? 'warning' : 'warnings'}, ${report.infos} info${others}`;
}

/** The heading, one line per result, and the summary. */
export function formatGateReport(r: ShaclGateReport): string[] {
  return [
    `${gateLabel(r)} against ${r.shapes.join(', ')}:`,
    ...r.report.results.map((x) => `  ${formatShaclResult(x, r.prefixes)}`),
    `  ${shaclCounts(r.report)}`,
  ];
}

/** The report as data for `--json`. */
export function gateReportJson(r: ShaclGateReport): Record<string, unknown> {
  return {
    graph: r.template === undefined ? 'project' : 'template', template: r.template ?? null, shapes: r.shapes, conforms: r.report.conforms, refuses: refuses(r),
    violations: r.report.violations, warnings: r.report.warnings, infos: r.report.infos, otherSeverities: r.report.otherSeverities,
    results: r.report.results.map((x) => ({
      severity: x.severity, focusNode: x.focusNode, path: x.path ?? null, value: x.value ?? null, message: x.message, shape: x.shape, constraint: x.constraint,
    })),
  };
}
