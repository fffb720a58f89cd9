// The order of one invocation: before_all → (before_P → P → after_P)… → after_all, each hook at most once.
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import type { HookEntry, MakeToml } from './model.js';

export type PlanStep =
  | { kind: 'phase'; phase: string; /** "requested" or the hook key that pulled it in. */ trigger: string }
  | { kind: 'command'; command: string; trigger: string };

/** Steps grouped by requested phase: before_all joins the first group, after_all the last. */
export type PlanSegments = PlanStep[][];

/** Throws a usage error for a phase name that make.toml does not define. */
export function requirePhase(make: MakeToml, name: string): void {
  if (Object.hasOwn(make.phases, name)) return;
  const names = Object.keys(make.phases).sort();
  const words = name.trim().split(/\s+/);
  // `pipeline "init build test"` (one quoted argument) was shown in the 1.x docs and never worked.
  const split = words.length > 1 && words.every((w) => names.includes(w)) ? `pass the phases as separate arguments: ${words.join(' ')}` : undefined;
  throw new GgenError('E_USAGE', `unknown phase "${name}"`, {
    at: { file: make.file },
    hint: split ?? didYouMean(name, names) ?? (names.length ? `phases in make.toml: ${names.join(', ')}` : 'make.toml defines no [lifecycle.PHASE] tables'),
  });
}

export function planSegments(make: MakeToml, phases: readonly string[]): PlanSegments {
  for (const p of phases) requirePhase(make, p);
  const seen = new Set<string>();
  const segments: PlanSegments = [];
  let current: PlanStep[] = [];

  const addHook = (entry: HookEntry, key: string, index: number) => {
    const id = entry.kind === 'phase' ? `phase:${entry.phase}` : `cmd:${key}:${index}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (entry.kind === 'phase') expand(entry.phase, key);
    else current.push({ kind: 'command', command: entry.command, trigger: key });
  };
  const expand = (phase: string, trigger: string) => {
    (make.hooks[`before_${phase}`] ?? []).forEach((e, i) => addHook(e, `before_${phase}`, i));
    current.push({ kind: 'phase', phase, trigger });
    seen.add(`phase:${phase}`);
    (make.hooks[`after_${phase}`] ?? []).forEach((e, i) => addHook(e, `after_${phase}`, i));
  };

  (make.hooks.before_all ?? []).forEach((e, i) => addHook(e, 'before_all', i));
  phases.forEach((phase, n) => {
    expand(phase, 'requested');
    if (n === phases.length - 1) (make.hooks.after_all ?? []).forEach((e, i) => addHook(e, 'after_all', i));
    segments.push(current);
    current = [];
  });
  return segments;
}

/** The flat order of an invocation. */
export function planInvocation(make: MakeToml, phases: readonly string[]): PlanStep[] {
  return planSegments(make, phases).flat();
}
