// The environment a phase's commands see: inherited < [env] < [env.ENV] < phase env < GGEN_ENV/GGEN_PHASE/GGEN_ROOT.
import { GgenError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import type { MakeToml, Phase } from './model.js';

export const DEFAULT_ENV_NAME = 'development';

export interface PhaseEnvOptions {
  make: MakeToml;
  phase: Phase;
  envName: string;
  /** The project root (GGEN_ROOT); for a workspace, the top-level root. */
  projectRoot: string;
  workspace?: string;
  inherited?: NodeJS.ProcessEnv;
}

/** The variables ggen sets (everything except the inherited ones), in precedence order. */
export function declaredEnv(opts: PhaseEnvOptions): Record<string, string> {
  const vars: Record<string, string> = { ...opts.make.env, ...opts.make.envSets[opts.envName], ...opts.phase.env };
  vars.GGEN_ENV = opts.envName;
  vars.GGEN_PHASE = opts.phase.name;
  vars.GGEN_ROOT = opts.projectRoot;
  if (opts.workspace !== undefined) vars.GGEN_WORKSPACE = opts.workspace;
  return vars;
}

/** The full environment for the child process. */
export function phaseEnv(opts: PhaseEnvOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.inherited ?? process.env)) if (v !== undefined) out[k] = v;
  return Object.assign(out, declaredEnv(opts));
}

/** Rejects `--env X` when make.toml declares environments and X is not one of them. */
export function checkEnvName(make: MakeToml, envName: string | undefined): void {
  if (envName === undefined) return;
  if (envName.trim() === '') throw new GgenError('E_USAGE', '--env needs a non-empty environment name');
  const names = Object.keys(make.envSets);
  if (names.length === 0 || names.includes(envName)) return;
  // Abbreviations ("prod" for "production") are too far for edit distance, so prefixes count too.
  const prefixed = names.filter((n) => n.startsWith(envName));
  const hint = didYouMean(envName, names) ?? (prefixed.length === 1 ? `did you mean "${prefixed[0]}"?` : `environments in make.toml: ${names.sort().join(', ')}`);
  throw new GgenError('E_USAGE', `unknown environment "${envName}"`, { at: { file: make.file }, hint });
}
