// Validators score what a test left in an env (0..1); a ValidationSuite runs them in order.
import type { CleanroomEnv } from './env.js';

export interface ValidationResult {
  /** The validator's name. */
  validator: string;
  passed: boolean;
  messages: string[];
  /** 0..1; 1 when passed unless the validator grades partially. */
  score: number;
}

/** What a validator returns; `validator` is filled in by the suite, `score` defaults to passed ? 1 : 0. */
export interface ValidationOutcome {
  passed: boolean;
  messages?: string[];
  score?: number;
}

export interface Validator {
  readonly name: string;
  validate(env: CleanroomEnv): Promise<ValidationOutcome> | ValidationOutcome;
}

export interface SuiteResult {
  suite: string;
  passed: boolean;
  /** Mean of the validator scores (1 for an empty suite). */
  score: number;
  results: ValidationResult[];
}

function clampScore(score: number): number {
  if (Number.isNaN(score)) return 0;
  return Math.min(1, Math.max(0, score));
}

/** Runs one validator and normalises its outcome. */
export async function runValidator(validator: Validator, env: CleanroomEnv): Promise<ValidationResult> {
  const outcome = await validator.validate(env);
  return {
    validator: validator.name,
    passed: outcome.passed,
    messages: outcome.messages ?? [],
    score: clampScore(outcome.score ?? (outcome.passed ? 1 : 0)),
  };
}

export class ValidationSuite {
  private readonly validators: Validator[] = [];

  constructor(readonly name: string, validators: Validator[] = []) {
    this.validators.push(...validators);
  }

  add(validator: Validator): this {
    this.validators.push(validator);
    return this;
  }

  /**
   * Runs the validators in insertion order. With the env's `errorValidation` on (the default) a validator
   * that throws becomes a failed result with score 0; with it off, the first exception aborts the run.
   */
  async run(env: CleanroomEnv): Promise<SuiteResult> {
    const results: ValidationResult[] = [];
    for (const validator of this.validators) {
      try {
        results.push(await runValidator(validator, env));
      } catch (err) {
        if (!env.config.errorValidation) throw err;
        results.push({ validator: validator.name, passed: false, messages: [`validator threw: ${err instanceof Error ? err.message : String(err)}`], score: 0 });
      }
    }
    const score = results.length === 0 ? 1 : results.reduce((sum, r) => sum + r.score, 0) / results.length;
    return { suite: this.name, passed: results.every((r) => r.passed), score, results };
  }
}
