// Scenario reports: text for people, JSON for tools, JUnit XML for CI.
import type { ScenarioReport, ScenarioResult } from './run.js';

export interface TextReportOptions {
  /** Colour function set (identity when colour is off). */
  paint?: { red: (s: string) => string; green: (s: string) => string; dim: (s: string) => string };
}

const plain = { red: (s: string) => s, green: (s: string) => s, dim: (s: string) => s };

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((l) => `${prefix}${l}`).join('\n');
}

/** One block per scenario (PASS/FAIL/ERROR, name, file), failures indented under it, then a summary. */
export function formatScenarioReport(report: ScenarioReport, opts: TextReportOptions = {}): string {
  const c = opts.paint ?? plain;
  const lines: string[] = [];
  for (const s of report.scenarios) {
    const tag = s.status === 'passed' ? c.green('PASS ') : c.red(s.status === 'failed' ? 'FAIL ' : 'ERROR');
    lines.push(`${tag} ${s.name} ${c.dim(`(${s.file}, ${ms(s.durationMs)})`)}`);
    for (const f of s.failures) lines.push(indent(f, '      '));
    if (s.keptPath !== undefined) lines.push(`      kept: ${s.keptPath}`);
  }
  const passed = report.total - report.failed;
  const summary = `${report.total} scenario${report.total === 1 ? '' : 's'}: ${passed} passed, ${report.failed} failed`;
  lines.push('', report.passed ? c.green(summary) : c.red(summary));
  return lines.join('\n');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The report as plain data (durations rounded to 0.1 ms; regexes as strings). */
export function scenarioReportJson(report: ScenarioReport): unknown {
  const scenario = (s: ScenarioResult) => ({
    ...s,
    durationMs: round(s.durationMs),
    metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, round(v)])),
    steps: s.steps.map((st) => ({ ...st, durationMs: round(st.durationMs) })),
  });
  return { passed: report.passed, total: report.total, failed: report.failed, durationMs: round(report.durationMs), scenarios: report.scenarios.map(scenario) };
}

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters, even escaped; drop them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function seconds(value: number): string {
  return (value / 1000).toFixed(3);
}

/** The kernel's usage figures (peak RSS, wall, CPU), the limits that stopped steps, service readiness, then the metrics. */
function junitProperties(s: ScenarioResult): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (s.usage) {
    out.push(['usage.peak_rss_kb', String(s.usage.maxRssKb)], ['usage.max_wall_ms', s.usage.maxWallMs.toFixed(1)], ['usage.wall_ms', s.usage.wallMs.toFixed(1)], ['usage.user_ms', s.usage.userMs.toFixed(1)], ['usage.sys_ms', s.usage.sysMs.toFixed(1)]);
  }
  for (const step of s.steps) if (step.limit) out.push([`limit.line_${step.line}`, step.limit]);
  for (const [name, svc] of Object.entries(s.services ?? {})) out.push([`service.${name}.ready_ms`, svc.readyMs.toFixed(0)]);
  for (const [k, v] of Object.entries(s.metrics)) if (!k.startsWith('usage_')) out.push([`metric.${k}`, String(round(v))]);
  return out;
}

/** JUnit XML: one <testsuite> per scenario file, one <testcase> per scenario, failures/errors with details. */
export function toJUnitXml(report: ScenarioReport): string {
  const errors = report.scenarios.filter((s) => s.status === 'error').length;
  const failures = report.scenarios.filter((s) => s.status === 'failed').length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ggen cleanroom" tests="${report.total}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}">`,
  ];
  for (const s of report.scenarios) {
    const f = s.status === 'failed' ? 1 : 0;
    const e = s.status === 'error' ? 1 : 0;
    out.push(`  <testsuite name="${xml(s.file)}" tests="1" failures="${f}" errors="${e}" time="${seconds(s.durationMs)}">`);
    const props = junitProperties(s);
    if (props.length > 0) {
      out.push('    <properties>');
      for (const [name, value] of props) out.push(`      <property name="${xml(name)}" value="${xml(value)}"/>`);
      out.push('    </properties>');
    }
    out.push(`    <testcase classname="${xml(s.file)}" name="${xml(s.name)}" time="${seconds(s.durationMs)}">`);
    if (s.status !== 'passed') {
      const tag = s.status === 'failed' ? 'failure' : 'error';
      out.push(`      <${tag} message="${xml((s.failures[0] ?? s.status).split('\n')[0]!)}">${xml(s.failures.join('\n'))}</${tag}>`);
    }
    out.push('    </testcase>', '  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
