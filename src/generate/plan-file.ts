// Plan files (`ggen project plan -o plan.json`): every operation with its content, read back by `project apply`.
import { GgenError } from '../errors.js';
import { readTextFile, writeFileAtomic } from '../util/fs.js';
import type { GenerationPlan } from './plan.js';

export async function savePlan(plan: GenerationPlan, file: string): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ ggenPlan: 1, ...plan }, null, 2)}\n`);
}

export async function loadPlan(file: string): Promise<GenerationPlan> {
  const text = await readTextFile(file, { what: 'plan file' });
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new GgenError('E_CONFIG', `plan file is not valid JSON: ${(err as Error).message}`, { at: { file } });
  }
  if (value.ggenPlan !== 1 || !Array.isArray(value.operations) || typeof value.root !== 'string' || typeof value.receipt !== 'object') {
    throw new GgenError('E_CONFIG', 'not a ggen plan file (made by `ggen project plan -o FILE`)', { at: { file } });
  }
  const { ggenPlan: _version, ...plan } = value;
  return plan as unknown as GenerationPlan;
}
