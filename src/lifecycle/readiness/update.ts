// `readiness-update ID STATUS`: record a manual attestation (who, when) in .ggen/production.toml.
import { userInfo } from 'node:os';
import { GgenError } from '../../errors.js';
import { didYouMean } from '../../util/closest.js';
import type { MakeToml } from '../model.js';
import { parseStatus, type RequirementStatus, saveAttestation } from './production-file.js';
import { requirementSpecs } from './report.js';

export interface UpdateReadinessOptions {
  root: string;
  make?: MakeToml;
  id: string;
  status: string;
  /** Who attests (default: $GGEN_USER, then the OS user name). */
  by?: string;
  notes?: string;
  /** The clock, for tests. */
  now?: () => Date;
}

function defaultAttester(): string {
  if (process.env.GGEN_USER) return process.env.GGEN_USER;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export function updateReadiness(opts: UpdateReadinessOptions): { id: string; status: RequirementStatus; by: string; at: string } {
  const status = parseStatus(opts.status);
  const specs = requirementSpecs(opts.make);
  if (!specs.some((s) => s.id === opts.id)) {
    throw new GgenError('E_USAGE', `unknown readiness requirement "${opts.id}"`, { hint: didYouMean(opts.id, specs.map((s) => s.id)) ?? 'see `ggen lifecycle readiness --detailed` for the ids' });
  }
  const by = opts.by ?? defaultAttester();
  const at = (opts.now ?? (() => new Date()))().toISOString();
  saveAttestation({ root: opts.root, id: opts.id, status, by, at, notes: opts.notes, specs });
  return { id: opts.id, status, by, at };
}
