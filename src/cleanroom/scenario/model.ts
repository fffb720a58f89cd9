// The scenario model: what a scenario TOML file normalises to.
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
  | { type: 'readiness'; min: number; allowBlockers: boolean };

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
  steps: ScenarioStep[];
  expectations: ScenarioExpectation[];
}
