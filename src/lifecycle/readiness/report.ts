// The readiness report: validators + attestations → status per requirement, category scores, blockers, gate.
import { GgenError } from '../../errors.js';
import { didYouMean } from '../../util/closest.js';
import type { MakeToml, RequirementCategory } from '../model.js';
import { DEFAULT_THRESHOLD } from '../model.js';
import { runShellCommand } from '../../util/process-group.js';
import { ProjectEvidence } from './evidence.js';
import { type Attestation, loadAttestations, type RequirementStatus } from './production-file.js';
import { BUILTIN_REQUIREMENTS, CATEGORY_ORDER, CATEGORY_WEIGHTS, type RequirementSpec } from './requirements.js';
import { VALIDATORS, type ValidatorResult } from './validators.js';

export interface RequirementReport {
  id: string;
  name: string;
  category: RequirementCategory;
  status: RequirementStatus;
  /** Where the status came from. */
  source: 'evidence' | 'attestation' | 'make.toml' | 'none';
  evidence: string[];
  attested_by?: string;
  attested_at?: string;
}

export interface CategoryReport {
  category: RequirementCategory;
  score: number;
  total: number;
  applicable: number;
  complete: number;
  placeholder: number;
  missing: number;
}

export interface ReadinessReport {
  project: string;
  score: number;
  threshold: number;
  deployment_ready: boolean;
  blockers: string[];
  categories: CategoryReport[];
  requirements: RequirementReport[];
}

/** All requirement specs of a project: built-ins plus make.toml [readiness.requirements]. */
export function requirementSpecs(make: MakeToml | undefined): RequirementSpec[] {
  const builtins = [...BUILTIN_REQUIREMENTS];
  for (const u of make?.readiness.requirements ?? []) {
    if (builtins.some((b) => b.id === u.id)) throw new GgenError('E_CONFIG', `readiness requirement "${u.id}" is already a built-in requirement`, { at: u.at, hint: 'choose another id' });
    builtins.push({ id: u.id, name: u.name, description: u.description ?? (u.command ? `\`${u.command}\` succeeds` : `a file matches ${u.globs!.join(', ')}`), category: u.category, priority: 5, effortHours: 0, dependencies: [], evidence: u.command ? `the shell command \`${u.command}\` exits 0` : `a file matches ${u.globs!.join(' or ')}` });
  }
  return builtins;
}

async function runUserRequirement(make: MakeToml, id: string, ev: ProjectEvidence): Promise<ValidatorResult> {
  const u = make.readiness.requirements.find((r) => r.id === id)!;
  if (u.globs) {
    const files = ev.files(u.globs);
    return files.length > 0 ? { outcome: 'pass', evidence: [`matches: ${files.slice(0, 3).join(', ')}`] } : { outcome: 'none', evidence: [`nothing matches ${u.globs.join(', ')}`] };
  }
  const lines: string[] = [];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, make.env, { GGEN_ROOT: make.root });
  const res = await runShellCommand({ command: u.command!, cwd: make.root, env, timeoutMs: 60_000, errorCode: 'E_LIFECYCLE', onLine: (_s, l) => lines.push(l) });
  if (res.exitCode === 0) return { outcome: 'pass', evidence: [`\`${u.command}\` exited 0`] };
  const why = res.timedOut ? 'timed out after 60s' : res.exitCode !== null ? `exited with code ${res.exitCode}` : `was killed by ${res.signal}`;
  return { outcome: 'fail', evidence: [`\`${u.command}\` ${why}`, ...lines.slice(-3)] };
}

function decide(result: ValidatorResult, attestation: Attestation | undefined, notApplicable: boolean): Pick<RequirementReport, 'status' | 'source' | 'evidence'> {
  const evidence = [...result.evidence];
  if (result.outcome === 'pass') return { status: 'Complete', source: 'evidence', evidence };
  if (result.outcome === 'na') return { status: 'NotApplicable', source: 'evidence', evidence };
  if (notApplicable) return { status: 'NotApplicable', source: 'make.toml', evidence: [...evidence, 'declared not applicable in make.toml [readiness] not_applicable'] };
  if (attestation) {
    const who = `attested ${attestation.status} by ${attestation.by ?? 'unknown'}${attestation.at ? ` at ${attestation.at}` : ''}`;
    // An attestation cannot outvote evidence of a problem; it sends the requirement to review instead.
    if (result.outcome === 'fail' && attestation.status === 'Complete') return { status: 'NeedsReview', source: 'attestation', evidence: [...evidence, `${who}, but the evidence contradicts it`] };
    if (result.outcome === 'fail' && attestation.status !== 'NotApplicable') return { status: 'Missing', source: 'evidence', evidence };
    return { status: attestation.status, source: 'attestation', evidence: [...evidence, who] };
  }
  return { status: 'Missing', source: result.outcome === 'fail' ? 'evidence' : 'none', evidence };
}

function categoryReport(category: RequirementCategory, reqs: RequirementReport[]): CategoryReport {
  const inCat = reqs.filter((r) => r.category === category);
  const applicable = inCat.filter((r) => r.status !== 'NotApplicable');
  const complete = applicable.filter((r) => r.status === 'Complete').length;
  const placeholder = applicable.filter((r) => r.status === 'Placeholder').length;
  // A category with nothing applicable asks nothing of the project, so it is fully met.
  const score = applicable.length === 0 ? 100 : ((complete + 0.5 * placeholder) / applicable.length) * 100;
  return { category, score: round1(score), total: inCat.length, applicable: applicable.length, complete, placeholder, missing: applicable.length - complete - placeholder };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface AssessOptions {
  root: string;
  make?: MakeToml;
}

export async function assessReadiness(opts: AssessOptions): Promise<ReadinessReport> {
  const make = opts.make;
  const ev = new ProjectEvidence(opts.root, make);
  const attestations = loadAttestations(opts.root);
  const notApplicable = new Set(make?.readiness.notApplicable ?? []);
  const specs = requirementSpecs(make);
  for (const id of notApplicable) {
    if (!specs.some((s) => s.id === id)) throw new GgenError('E_CONFIG', `[readiness] not_applicable names unknown requirement "${id}"`, { at: { file: make!.file }, hint: didYouMean(id, specs.map((s) => s.id)) });
  }
  const requirements: RequirementReport[] = [];
  for (const spec of specs) {
    const validator = VALIDATORS[spec.id];
    const result = validator ? validator(ev) : await runUserRequirement(make!, spec.id, ev);
    const att = attestations.get(spec.id);
    const decided = decide(result, att, notApplicable.has(spec.id));
    requirements.push({ id: spec.id, name: spec.name, category: spec.category, ...decided, ...(decided.source === 'attestation' ? { attested_by: att?.by, attested_at: att?.at } : {}) });
  }
  const categories = CATEGORY_ORDER.map((c) => categoryReport(c, requirements));
  const score = round1(categories.reduce((sum, c) => sum + CATEGORY_WEIGHTS[c.category] * c.score, 0));
  const blockers = requirements.filter((r) => r.category === 'Critical' && r.status !== 'Complete' && r.status !== 'NotApplicable').map((r) => r.id);
  const threshold = make?.readiness.threshold ?? DEFAULT_THRESHOLD;
  return { project: make?.project.name ?? '', score, threshold, deployment_ready: score >= threshold && blockers.length === 0, blockers, categories, requirements };
}

/** A gate for "deploy": throws unless the project is deployment-ready. Evaluated once per invocation. */
export function createDeployGate(make: MakeToml): (phase: string) => Promise<void> {
  let verdict: Promise<void> | undefined;
  return (phase) => {
    verdict ??= assessReadiness({ root: make.root, make }).then((report) => {
      if (report.deployment_ready) return;
      const reasons = [report.score < report.threshold ? `score ${report.score} < ${report.threshold}` : undefined, report.blockers.length ? `blockers: ${report.blockers.join(', ')}` : undefined].filter(Boolean).join('; ');
      throw new GgenError('E_LIFECYCLE', `refusing to run "${phase}": the project is not deployment-ready (${reasons})`, { hint: 'see `ggen lifecycle readiness --detailed`; pass --force to deploy anyway' });
    });
    return verdict;
  };
}
