// `.ggen/production.toml`: 1.x `[[requirements]]` entries, whose non-Missing statuses are manual attestations.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import { parseTomlText } from '../../util/toml/index.js';
import { GgenError } from '../../errors.js';
import { didYouMean } from '../../util/closest.js';
import { readTextFileSync, writeFileAtomicSync } from '../../util/fs.js';
import type { RequirementSpec } from './requirements.js';

export type RequirementStatus = 'Complete' | 'Placeholder' | 'Missing' | 'NeedsReview' | 'NotApplicable';

export const STATUS_ALIASES: Record<string, RequirementStatus> = {
  complete: 'Complete', done: 'Complete', finished: 'Complete',
  placeholder: 'Placeholder', todo: 'Placeholder', stub: 'Placeholder',
  missing: 'Missing', 'not-implemented': 'Missing',
  'needs-review': 'NeedsReview', review: 'NeedsReview',
  'not-applicable': 'NotApplicable', 'n/a': 'NotApplicable', na: 'NotApplicable',
};

const STATUS_NAMES: RequirementStatus[] = ['Complete', 'Placeholder', 'Missing', 'NeedsReview', 'NotApplicable'];

/** Parses a user-typed status (`complete`, `done`, `needs-review`, `n/a`, …). */
export function parseStatus(text: string): RequirementStatus {
  const key = text.trim().toLowerCase().replace(/_/g, '-');
  const hit = STATUS_ALIASES[key] ?? STATUS_NAMES.find((s) => s.toLowerCase() === key.replace(/-/g, ''));
  if (hit) return hit;
  throw new GgenError('E_USAGE', `invalid status "${text}"`, { hint: didYouMean(text, Object.keys(STATUS_ALIASES)) ?? 'valid: complete, placeholder, missing, needs-review, not-applicable' });
}

export interface Attestation {
  status: RequirementStatus;
  by?: string;
  at?: string;
  notes?: string;
}

export interface StoredRequirement {
  id: string;
  name?: string;
  description?: string;
  category?: string;
  status?: string;
  components?: string[];
  dependencies?: string[];
  effort_hours?: number;
  priority?: number;
  last_assessed?: string;
  notes?: string;
  attested_by?: string;
  attested_at?: string;
  [key: string]: unknown;
}

export function productionFilePath(root: string): string {
  return join(root, '.ggen', 'production.toml');
}

export function loadStoredRequirements(root: string): StoredRequirement[] {
  const file = productionFilePath(root);
  if (!existsSync(file)) return [];
  const text = readTextFileSync(file, { what: 'production.toml', allowEmpty: true });
  const doc = parseTomlText(text, file, { message: 'invalid TOML in production.toml', hint: 'fix or delete the file (it holds readiness attestations)' }).value;
  const list = doc.requirements;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new GgenError('E_CONFIG', 'production.toml: "requirements" must be an array of [[requirements]] tables', { at: { file } });
  return list.filter((r): r is StoredRequirement => typeof r === 'object' && r !== null && typeof (r as StoredRequirement).id === 'string');
}

/** Attestations by id: every stored entry whose status is not Missing, or that names who attested it. */
export function loadAttestations(root: string): Map<string, Attestation> {
  const out = new Map<string, Attestation>();
  for (const r of loadStoredRequirements(root)) {
    const status = STATUS_NAMES.find((s) => s === r.status);
    if (!status || (status === 'Missing' && r.attested_by === undefined)) continue;
    out.set(r.id, { status, by: r.attested_by, at: r.attested_at ?? r.last_assessed, notes: r.notes });
  }
  return out;
}

export interface SaveAttestationOptions {
  root: string;
  id: string;
  status: RequirementStatus;
  by: string;
  at: string;
  notes?: string;
  specs: readonly RequirementSpec[];
}

/** Writes the attestation into production.toml (1.x layout), keeping every other entry as it was. */
export function saveAttestation(opts: SaveAttestationOptions): void {
  const stored = loadStoredRequirements(opts.root);
  const byId = new Map(stored.map((r) => [r.id, r]));
  for (const spec of opts.specs) {
    if (byId.has(spec.id)) continue;
    const entry: StoredRequirement = { id: spec.id, name: spec.name, description: spec.description, category: spec.category, status: 'Missing', components: [], dependencies: spec.dependencies, effort_hours: spec.effortHours, priority: spec.priority };
    stored.push(entry);
    byId.set(spec.id, entry);
  }
  const target = byId.get(opts.id)!;
  target.status = opts.status;
  target.last_assessed = opts.at;
  target.attested_by = opts.by;
  target.attested_at = opts.at;
  if (opts.notes !== undefined) target.notes = opts.notes;
  const clean = stored.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
  writeFileAtomicSync(productionFilePath(opts.root), `${stringify({ requirements: clean })}\n`);
}
