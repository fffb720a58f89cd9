// Shell completion over commander's command tree: walks the words typed so far the way commander parses them and
// says what may come next (subcommands, flags, flag values, arguments), so completion never drifts from --help.
import type { Argument, Command, Option } from 'commander';
import { resolve } from 'node:path';
import { specForArgument, specForOption, type CompletionContext, type ValueSpec } from './specs.js';

export interface Candidate {
  value: string;
  description?: string;
}

/** What the shell adds to the candidates: nothing, file names (optionally only these extensions), or directories. */
export type Directive = { kind: 'none' } | { kind: 'files'; extensions?: string[] } | { kind: 'dirs' };

export interface Completion {
  directive: Directive;
  candidates: Candidate[];
}

interface Walk {
  cmd: Command;
  /** Positional arguments given to `cmd` so far. */
  positionals: number;
  /** An option whose value the next word is (or a variadic option still taking values). */
  pending?: { option: Option; variadic: boolean };
  /** Long option name → value, for context (`--root`, `-C`). */
  values: Map<string, string>;
  afterDashDash: boolean;
}

function visibleCommands(cmd: Command): Command[] {
  return cmd.createHelp().visibleCommands(cmd).filter((c) => c.name() !== 'help');
}

/** Options of `cmd` and of every ancestor (commander lets a global flag appear after the subcommand). */
function optionsInScope(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) {
    out.push(...c.options.filter((o) => !o.hidden));
    out.push(c.createHelp().visibleOptions(c).find((o) => o.long === '--help')!);
  }
  const seen = new Set<string>();
  return out.filter((o) => o !== undefined && !seen.has(o.flags) && (seen.add(o.flags), true));
}

function findOption(cmd: Command, name: string): Option | undefined {
  for (let c: Command | null = cmd; c !== null; c = c.parent) {
    const hit = c.options.find((o) => o.long === name || o.short === name);
    if (hit) return hit;
  }
  return undefined;
}

const takesValue = (o: Option) => o.required || o.optional;

/**
 * bash splits `--flag=value` into `--flag`, `=`, `value` (COMP_WORDBREAKS); put them back together. `split` says the
 * last word was split so, in which case bash replaces only the value and candidates carry no `--flag=`.
 */
function rejoin(words: string[]): { words: string[]; split: boolean } {
  const out: string[] = [];
  let split = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '=' && out.length > 0 && /^--[^=]+$/.test(out[out.length - 1]!)) {
      out[out.length - 1] += `=${words[i + 1] ?? ''}`;
      split = i + 2 >= words.length;
      i++;
    } else {
      out.push(w);
      split = false;
    }
  }
  return { words: out, split };
}

function walk(program: Command, words: string[]): Walk {
  const state: Walk = { cmd: program, positionals: 0, values: new Map(), afterDashDash: false };
  for (const word of words) {
    if (state.pending && !state.pending.variadic) {
      state.values.set(state.pending.option.long ?? state.pending.option.short ?? '', word);
      state.pending = undefined;
      continue;
    }
    if (word === '--' && !state.afterDashDash) {
      state.afterDashDash = true;
      state.pending = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-' && !state.afterDashDash) {
      state.pending = undefined;
      const eq = word.indexOf('=');
      const name = eq > 0 ? word.slice(0, eq) : word;
      const option = findOption(state.cmd, name);
      if (option && takesValue(option)) {
        if (eq > 0) state.values.set(option.long ?? name, word.slice(eq + 1));
        else state.pending = { option, variadic: option.variadic };
      }
      continue;
    }
    // A variadic option takes words until the next flag, as commander parses it.
    if (state.pending?.variadic) continue;
    const sub = state.positionals === 0 && !state.afterDashDash ? visibleCommands(state.cmd).find((c) => c.name() === word || c.aliases().includes(word)) : undefined;
    if (sub) {
      state.cmd = sub;
      state.positionals = 0;
    } else state.positionals++;
  }
  return state;
}

function argumentAt(cmd: Command, index: number): Argument | undefined {
  const args = cmd.registeredArguments;
  if (index < args.length) return args[index];
  const last = args[args.length - 1];
  return last?.variadic ? last : undefined;
}

/** The value name in an option's flags (`--out <dir>` → dir), used when no spec says more. */
function valueName(o: Option): string {
  return /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1]?.replace(/\.\.\.$/, '') ?? '';
}

/** Without a spec, the value's name decides: directories, files, or nothing the shell can guess. */
function guessSpec(name: string): ValueSpec {
  if (/(^|-)dir$|^root$/.test(name)) return { dirs: true };
  if (/file|plan|template|snap|^[ab]$|shapes|key/.test(name)) return { files: true };
  return {};
}

async function fromSpec(spec: ValueSpec, choices: readonly string[] | undefined, ctx: CompletionContext): Promise<Completion> {
  const candidates: Candidate[] = (choices ?? []).map((value) => ({ value }));
  if (spec.values) candidates.push(...(await spec.values(ctx)));
  const directive: Directive = spec.files ? { kind: 'files', ...(Array.isArray(spec.files) ? { extensions: spec.files } : {}) } : spec.dirs ? { kind: 'dirs' } : { kind: 'none' };
  return { directive, candidates };
}

function contextOf(state: Walk, cwd: string): CompletionContext {
  const base = resolve(cwd, state.values.get('--cwd') ?? '.');
  return { cwd: base, option: (name) => state.values.get(name), path: commandPath(state.cmd) };
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Completes the last word of `words` (the words after `ggen`, the last one being the partial word under the cursor,
 * possibly empty). Candidates are filtered by that prefix; file and directory names are left to the shell.
 */
export async function complete(program: Command, words: string[], cwd = process.cwd()): Promise<Completion> {
  const { words: all, split } = rejoin(words.length === 0 ? [''] : words);
  const current = all[all.length - 1]!;
  const state = walk(program, all.slice(0, -1));
  const ctx = contextOf(state, cwd);
  let result: Completion;
  let prefix = current;
  let shown = '';

  const eq = current.indexOf('=');
  const inline = current.startsWith('--') && eq > 0 && !state.afterDashDash ? findOption(state.cmd, current.slice(0, eq)) : undefined;
  if (inline && takesValue(inline)) {
    // `--flag=partial`: complete the value, keeping the `--flag=` the shell will replace with the word.
    shown = split ? '' : current.slice(0, eq + 1);
    prefix = current.slice(eq + 1);
    result = await fromSpec(specForOption(ctx.path, inline) ?? guessSpec(valueName(inline)), inline.argChoices, ctx);
  } else if (state.pending && !(state.pending.variadic && current.startsWith('-'))) {
    const o = state.pending.option;
    result = await fromSpec(specForOption(ctx.path, o) ?? guessSpec(valueName(o)), o.argChoices, ctx);
  } else if (current.startsWith('-') && !state.afterDashDash) {
    const candidates: Candidate[] = [];
    for (const o of optionsInScope(state.cmd)) {
      for (const name of [o.long, o.short]) if (name) candidates.push({ value: name, description: o.description });
    }
    // Long names first; a lone `-` also offers the short ones.
    result = { directive: { kind: 'none' }, candidates: current === '-' ? candidates : candidates.filter((c) => c.value.startsWith('--') || current.length > 1 && !current.startsWith('--')) };
  } else {
    const subs = state.positionals === 0 && !state.afterDashDash ? visibleCommands(state.cmd) : [];
    if (subs.length > 0) {
      result = { directive: { kind: 'none' }, candidates: subs.flatMap((c) => [c.name(), ...c.aliases()].map((value) => ({ value, description: c.description() }))) };
      const arg = argumentAt(state.cmd, 0);
      if (arg) {
        const more = await fromSpec(specForArgument(ctx.path, arg) ?? guessSpec(arg.name()), arg.argChoices, ctx);
        result = { directive: more.directive, candidates: [...result.candidates, ...more.candidates] };
      }
    } else {
      const arg = argumentAt(state.cmd, state.positionals);
      result = arg ? await fromSpec(specForArgument(ctx.path, arg) ?? guessSpec(arg.name()), arg.argChoices, ctx) : { directive: { kind: 'none' }, candidates: [] };
    }
  }
  const seen = new Set<string>();
  const candidates = result.candidates
    .filter((c) => c.value.startsWith(prefix) && !seen.has(c.value) && (seen.add(c.value), true))
    .map((c) => ({ ...c, value: shown + c.value }));
  return { directive: result.directive, candidates };
}

/** The `__complete` wire format the shell scripts read: a directive line, then `value<TAB>description` lines. */
export function formatCompletion(c: Completion): string {
  const d = c.directive;
  const head = d.kind === 'files' ? `:files${d.extensions ? ` ${d.extensions.join(' ')}` : ''}` : `:${d.kind}`;
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ');
  return [head, ...c.candidates.map((x) => (x.description ? `${clean(x.value)}\t${clean(x.description)}` : clean(x.value)))].join('\n') + '\n';
}
