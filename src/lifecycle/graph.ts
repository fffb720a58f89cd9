// The phase/hook/workspace DAG of a make.toml, as indented text or Graphviz DOT (sorted, deterministic).
import type { HookEntry, MakeToml } from './model.js';

const entryLabel = (e: HookEntry) => (e.kind === 'phase' ? e.phase : `run: ${e.command}`);
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function renderGraphText(make: MakeToml): string {
  const lines: string[] = [];
  const all = (key: string) => (make.hooks[key] ?? []).map(entryLabel).join(', ');
  if (make.hooks.before_all?.length) lines.push(`before_all: ${all('before_all')}`);
  lines.push('phases:');
  const names = Object.keys(make.phases).sort();
  if (names.length === 0) lines.push('  (no phases defined)');
  for (const name of names) {
    const before = all(`before_${name}`);
    const after = all(`after_${name}`);
    const ws = make.phases[name]!.workspaces;
    lines.push(`  ${name}${make.phases[name]!.parallel ? ' (parallel)' : ''}`);
    if (before) lines.push(`    before: ${before}`);
    if (after) lines.push(`    after: ${after}`);
    if (ws) lines.push(`    workspaces: ${ws.join(', ')}`);
  }
  if (make.hooks.after_all?.length) lines.push(`after_all: ${all('after_all')}`);
  const wsNames = Object.keys(make.workspaces).sort();
  if (wsNames.length > 0) {
    lines.push('workspaces:');
    for (const name of wsNames) {
      const ws = make.workspaces[name]!;
      lines.push(`  ${name} (${ws.path})${ws.dependsOn.length ? ` ← depends on ${[...ws.dependsOn].sort().join(', ')}` : ''}`);
    }
  }
  return lines.join('\n');
}

export function renderGraphDot(make: MakeToml): string {
  const lines = ['digraph lifecycle {', '  rankdir=LR;', '  node [shape=box];'];
  const names = Object.keys(make.phases).sort();
  for (const name of names) lines.push(`  ${q(`phase:${name}`)} [label=${q(name)}];`);
  const hookNode = (key: string, i: number, e: HookEntry) => {
    if (e.kind === 'phase') return q(`phase:${e.phase}`);
    const id = q(`hook:${key}:${i}`);
    lines.push(`  ${id} [label=${q(`run: ${e.command}`)}, shape=ellipse];`);
    return id;
  };
  for (const key of Object.keys(make.hooks).sort()) {
    const m = /^(before|after)_(.+)$/.exec(key);
    if (!m) continue;
    (make.hooks[key] ?? []).forEach((e, i) => {
      const node = hookNode(key, i, e);
      if (m[2] === 'all') {
        const anchor = q(key);
        lines.push(`  ${anchor} [shape=diamond];`);
        lines.push(m[1] === 'before' ? `  ${node} -> ${anchor} [label=${q(key)}];` : `  ${anchor} -> ${node} [label=${q(key)}];`);
      } else {
        const phase = q(`phase:${m[2]}`);
        lines.push(m[1] === 'before' ? `  ${node} -> ${phase} [label=${q(key)}];` : `  ${phase} -> ${node} [label=${q(key)}];`);
      }
    });
  }
  const wsNames = Object.keys(make.workspaces).sort();
  if (wsNames.length > 0) {
    lines.push('  subgraph cluster_workspaces {', '    label="workspaces";');
    for (const name of wsNames) lines.push(`    ${q(`ws:${name}`)} [label=${q(name)}, shape=folder];`);
    for (const name of wsNames) for (const dep of [...make.workspaces[name]!.dependsOn].sort()) lines.push(`    ${q(`ws:${dep}`)} -> ${q(`ws:${name}`)} [label="depends_on"];`);
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n');
}
