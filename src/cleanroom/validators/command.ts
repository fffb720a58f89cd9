// Validators that run processes in the env: a command succeeds, and the ggen readiness score.
import type { CleanroomEnv } from '../env.js';
import type { RunOptions, RunResult } from '../process.js';
import type { ValidationOutcome, Validator } from '../validation.js';

// Compilers and linters report the first error first, so the head of the output is the useful part.
function head(text: string, lines = 25): string {
  const all = text.trimEnd().split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… ${all.length - lines} more lines`].join('\n') : all.join('\n');
}

/** A failed run described in a few lines: exit code and the end of stderr (or stdout). */
export function describeRun(r: RunResult): string {
  const what = r.timedOut ? `timed out after ${Math.round(r.durationMs)} ms` : `exited ${r.exitCode}`;
  const output = head(r.stderr.trim() !== '' ? r.stderr : r.stdout);
  return `${[r.command, ...r.args].join(' ')} ${what}${output === '' ? '' : `:\n${output}`}`;
}

/** Passes when the command exits 0 inside the env. */
export function commandSucceeds(command: string, args: string[] = [], opts: RunOptions = {}): Validator {
  return {
    name: `command succeeds: ${[command, ...args].join(' ')}`,
    async validate(env: CleanroomEnv): Promise<ValidationOutcome> {
      const r = await env.run(command, args, opts);
      return r.exitCode === 0 && !r.timedOut ? { passed: true } : { passed: false, messages: [describeRun(r)] };
    },
  };
}

/** Reads the score and the blocking requirements out of `ggen lifecycle readiness --json` output. */
export function readReadinessJson(stdout: string): { score: number; blockers: string[] } {
  const data = JSON.parse(stdout) as Record<string, unknown>;
  const score = [data.overallScore, data.overall_score, data.score].find((v) => typeof v === 'number');
  if (typeof score !== 'number') throw new Error('no overall score in the readiness JSON');
  const raw = [data.blockingRequirements, data.blocking_requirements, data.blockers].find(Array.isArray) as unknown[] | undefined;
  const blockers = (raw ?? []).map((b) => (typeof b === 'string' ? b : String((b as { id?: unknown }).id ?? JSON.stringify(b))));
  return { score, blockers };
}

/**
 * Passes when `ggen lifecycle readiness --json` in the env reports an overall score ≥ `minimum` (0..100)
 * and, unless `allowBlockers`, no blocking requirements. The validator score is overall/100.
 */
export function readinessAtLeast(minimum: number, opts: { allowBlockers?: boolean; cwd?: string } = {}): Validator {
  return {
    name: `readiness score at least ${minimum}`,
    async validate(env: CleanroomEnv): Promise<ValidationOutcome> {
      const r = await env.ggen(['lifecycle', 'readiness', '--json'], opts.cwd === undefined ? {} : { cwd: opts.cwd });
      if (r.exitCode !== 0) return { passed: false, messages: [describeRun(r)] };
      let parsed;
      try {
        parsed = readReadinessJson(r.stdout);
      } catch (err) {
        return { passed: false, messages: [`cannot read readiness output: ${(err as Error).message}`] };
      }
      const messages: string[] = [];
      if (parsed.score < minimum) messages.push(`readiness score ${parsed.score.toFixed(1)} is below ${minimum}`);
      if (!opts.allowBlockers && parsed.blockers.length > 0) messages.push(`blocking requirements: ${parsed.blockers.join(', ')}`);
      return { passed: messages.length === 0, score: parsed.score / 100, messages };
    },
  };
}
