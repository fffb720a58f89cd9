// The scenario model: what a scenario TOML file normalises to.
import type { NetworkMode } from '../config.js';
import type { ResourceLimits } from '../limits.js';
import type { ServiceOptions } from '../services.js';
import type { CompileLanguage } from '../validators/compiles.js';
import type { ParseFormat } from '../validators/parse.js';

export interface StepExpect {
  exitCode: number;
  stdout?: RegExp;
  stderr?: RegExp;
}

export interface ProcessStepBase {
  name: string;
  line: number;
  cwd?: string;
  env: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  limits?: ResourceLimits;
  expect: StepExpect;
}

export type ScenarioStep =
  | { kind: 'write'; name: string; line: number; path: string; content: string }
  | { kind: 'copy'; name: string; line: number; from: string; to: string }
  | { kind: 'mkdir'; name: string; line: number; path: string }
  | (ProcessStepBase & { kind: 'ggen'; args: string[] })
  | (ProcessStepBase & { kind: 'run'; command: string; args: string[] });

export type ValidatorSpec =
  | { type: 'file_exists'; paths: string[] }
  | { type: 'golden'; file: string; golden: string }
  | { type: 'tree'; dir: string; golden: string }
  | { type: 'parses'; file: string; format: ParseFormat }
  | { type: 'shacl'; data: string; shapes: string }
  | { type: 'command'; command: string; args: string[] }
  | { type: 'compiles'; language: CompileLanguage; files: string[]; importModules: string[] }
  | { type: 'readiness'; min: number; allowBlockers: boolean }
  /** The kernel's usage figures of the process steps: the largest peak RSS, the longest wall time, the CPU time of all. */
  | { type: 'usage'; measure: 'max_rss_mb' | 'max_wall_ms' | 'max_cpu_ms'; max: number };

export interface ScenarioService {
  name: string;
  line: number;
  options: ServiceOptions;
}

export interface ScenarioExpectation {
  spec: ValidatorSpec;
  /** Passes when the validator's score reaches this; undefined means the validator must pass. */
  minScore?: number;
  line: number;
}

export interface Scenario {
  /** Absolute path of the scenario file; fixtures and goldens are relative to its directory. */
  file: string;
  name: string;
  description?: string;
  timeoutMs?: number;
  env: Record<string, string>;
  /** Network isolation of the scenario's cleanroom (default "host"). */
  network?: NetworkMode;
  pidNamespace?: boolean;
  /** Limits for every process step. */
  limits?: ResourceLimits;
  /** Started in order before the steps; `${services.NAME.port}` (host, url, user, password, database) in later steps. */
  services: ScenarioService[];
  steps: ScenarioStep[];
  expectations: ScenarioExpectation[];
}
