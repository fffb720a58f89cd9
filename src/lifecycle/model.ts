// The normalized make.toml model: what the runner, the graph and readiness work from.
import type { SourceLocation } from '../errors.js';
import type { ConfigIssue } from '../util/toml/index.js';

/** A hook entry: another phase to run in full (1.x) or a shell command (`run: …`). */
export type HookEntry = { kind: 'phase'; phase: string; at?: SourceLocation } | { kind: 'command'; command: string; at?: SourceLocation };

export interface Phase {
  name: string;
  description?: string;
  /** Commands in order (`command` wins over `commands`, as in 1.x, with a warning). */
  commands: string[];
  cwd?: string;
  env: Record<string, string>;
  inputs: string[];
  outputs: string[];
  /** False turns caching off even when inputs/outputs are declared. */
  cache?: boolean;
  /** Per-command timeout in milliseconds. */
  timeoutMs?: number;
  workspaces?: string[];
  parallel?: boolean;
  watch?: boolean;
  port?: number;
  at?: SourceLocation;
}

export interface Workspace {
  name: string;
  /** Path relative to the root, as written. */
  path: string;
  dependsOn: string[];
  framework?: string;
  runtime?: string;
  packageManager?: string;
  at?: SourceLocation;
}

export interface UserRequirement {
  id: string;
  name: string;
  description?: string;
  category: RequirementCategory;
  /** A shell command that must exit 0 (run in the root). */
  command?: string;
  /** Globs of which at least one must match a file. */
  globs?: string[];
  at?: SourceLocation;
}

export type RequirementCategory = 'Critical' | 'Important' | 'NiceToHave';

export interface ReadinessConfig {
  threshold: number;
  /** Globs of the source files scanned for unfinished-work markers. */
  sources?: string[];
  /** Globs of the test files. */
  tests?: string[];
  /** Name of the phase whose last run must have passed for the test requirements. */
  testPhase: string;
  /** Requirement ids declared not applicable to this project (e.g. no users → no auth). */
  notApplicable: string[];
  requirements: UserRequirement[];
}

export interface MakeToml {
  /** Absolute path of the make.toml this came from. */
  file: string;
  /** Absolute directory the paths in it are relative to. */
  root: string;
  project: { name: string; type?: string; version?: string; description?: string };
  /** Phases by name (iterate sorted). */
  phases: Record<string, Phase>;
  /** Hook lists by key (`before_all`, `after_build`, …). */
  hooks: Record<string, HookEntry[]>;
  hookAt: Record<string, SourceLocation>;
  workspaces: Record<string, Workspace>;
  /** `[env]` plain variables. */
  env: Record<string, string>;
  /** `[env.ENVIRONMENT]` tables. */
  envSets: Record<string, Record<string, string>>;
  readiness: ReadinessConfig;
}

export type { ConfigIssue } from '../util/toml/index.js';

export interface LoadedMake {
  make: MakeToml;
  warnings: ConfigIssue[];
}

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_THRESHOLD = 88;
