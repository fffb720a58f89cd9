// Checks across the whole make.toml: hooks name real phases, no hook cycles, workspaces stay inside the root.
import { isAbsolute, relative, resolve } from 'node:path';
import { didYouMean } from '../../util/closest.js';
import type { ConfigIssue, MakeToml } from '../model.js';

interface RuleContext {
  make: MakeToml;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}
type Rule = (ctx: RuleContext) => void;

const at = (make: MakeToml, loc: ConfigIssue['at'] | undefined): ConfigIssue['at'] => loc ?? { file: make.file };

/** True when `target` is `root` or inside it (lexically). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const hookEntriesNameKnownPhases: Rule = ({ make, errors }) => {
  const names = Object.keys(make.phases);
  for (const [key, entries] of Object.entries(make.hooks)) {
    for (const entry of entries) {
      if (entry.kind !== 'phase' || Object.hasOwn(make.phases, entry.phase)) continue;
      errors.push({
        message: `hook "${key}" names unknown phase "${entry.phase}"`,
        at: at(make, entry.at),
        hint: didYouMean(entry.phase, names) ?? (names.length ? `known phases: ${names.sort().join(', ')}; for a shell command write "run: ${entry.phase}"` : 'no phases are defined'),
      });
    }
  }
};

const hookKeysNameKnownPhases: Rule = ({ make, warnings }) => {
  const names = Object.keys(make.phases);
  for (const key of Object.keys(make.hooks)) {
    const m = /^(before|after)_(.+)$/.exec(key);
    if (!m || m[2] === 'all' || Object.hasOwn(make.phases, m[2]!)) continue;
    const near = didYouMean(m[2]!, names);
    warnings.push({ message: `hook "${key}" is for phase "${m[2]}", which is not defined (never runs)`, at: at(make, make.hookAt[key]), hint: near });
  }
};

/** The first hook cycle found, as the list of phases `a, b, a`. */
export function findHookCycle(make: MakeToml): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (phase: string): string[] | undefined => {
    if (state.get(phase) === 'done') return undefined;
    if (state.get(phase) === 'active') return [...stack.slice(stack.indexOf(phase)), phase];
    state.set(phase, 'active');
    stack.push(phase);
    for (const key of [`before_${phase}`, `after_${phase}`]) {
      for (const entry of make.hooks[key] ?? []) {
        if (entry.kind !== 'phase' || !Object.hasOwn(make.phases, entry.phase)) continue;
        const cycle = visit(entry.phase);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(phase, 'done');
    return undefined;
  };
  for (const phase of Object.keys(make.phases).sort()) {
    const cycle = visit(phase);
    if (cycle) return cycle;
  }
  return undefined;
}

const noHookCycles: Rule = ({ make, errors }) => {
  const cycle = findHookCycle(make);
  if (!cycle) return;
  const first = cycle[0]!;
  const hookKey = Object.keys(make.hooks).find((k) => k.endsWith(`_${first}`));
  errors.push({ message: `hook cycle: ${cycle.join(' → ')}`, at: at(make, hookKey ? make.hookAt[hookKey] : undefined), hint: 'a phase cannot run itself through its own before_/after_ hooks; remove one of the hook entries' });
};

const workspacesStayInside: Rule = ({ make, errors }) => {
  for (const ws of Object.values(make.workspaces)) {
    const dir = resolve(make.root, ws.path);
    if (!isInside(make.root, dir)) errors.push({ message: `workspace "${ws.name}" path "${ws.path}" is outside the project root`, at: at(make, ws.at), hint: 'workspace paths must stay inside the directory of make.toml' });
  }
};

const workspaceDependenciesKnown: Rule = ({ make, errors }) => {
  const names = Object.keys(make.workspaces);
  for (const ws of Object.values(make.workspaces)) {
    for (const dep of ws.dependsOn) {
      if (!Object.hasOwn(make.workspaces, dep)) errors.push({ message: `workspace "${ws.name}" depends on unknown workspace "${dep}"`, at: at(make, ws.at), hint: didYouMean(dep, names) ?? `known workspaces: ${names.sort().join(', ')}` });
      else if (dep === ws.name) errors.push({ message: `workspace "${ws.name}" depends on itself`, at: at(make, ws.at) });
    }
  }
  const cycle = findDependencyCycle(make);
  if (cycle && cycle.length > 2) errors.push({ message: `workspace dependency cycle: ${cycle.join(' → ')}`, at: at(make, make.workspaces[cycle[0]!]?.at) });
};

/** The first depends_on cycle among workspaces. */
export function findDependencyCycle(make: MakeToml): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'active') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'active');
    stack.push(name);
    for (const dep of make.workspaces[name]?.dependsOn ?? []) {
      if (!Object.hasOwn(make.workspaces, dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(make.workspaces).sort()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

const phaseReferencesValid: Rule = ({ make, errors }) => {
  const wsNames = Object.keys(make.workspaces);
  for (const phase of Object.values(make.phases)) {
    for (const ws of phase.workspaces ?? []) {
      if (!Object.hasOwn(make.workspaces, ws) && wsNames.length > 0) errors.push({ message: `phase "${phase.name}" lists unknown workspace "${ws}"`, at: at(make, phase.at), hint: didYouMean(ws, wsNames) ?? `known workspaces: ${wsNames.sort().join(', ')}` });
    }
    if (phase.cwd !== undefined && !isInside(make.root, resolve(make.root, phase.cwd))) {
      errors.push({ message: `phase "${phase.name}" cwd "${phase.cwd}" is outside the project root`, at: at(make, phase.at) });
    }
  }
};

const rules: Rule[] = [hookEntriesNameKnownPhases, hookKeysNameKnownPhases, noHookCycles, workspacesStayInside, workspaceDependenciesKnown, phaseReferencesValid];

export function checkMakeToml(make: MakeToml): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const ctx: RuleContext = { make, errors: [], warnings: [] };
  for (const rule of rules) rule(ctx);
  return { errors: ctx.errors, warnings: ctx.warnings };
}
