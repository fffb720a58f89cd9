// Unified diffs of what applying a plan would change (LCS-based, via jsdiff).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { GenerationPlan } from './plan.js';

/** One unified diff per changed target, in path order; empty when nothing would change. */
export function planDiff(plan: GenerationPlan, existing: (path: string) => string | undefined, context = 3): string {
  const parts: string[] = [];
  for (const op of plan.operations) {
    const deleting = op.kind === 'delete';
    if (!deleting && (op.content === undefined || op.kind === 'unchanged' || op.kind === 'skip' || op.kind === 'orphan')) continue;
    const before = existing(op.path);
    if (deleting && before === undefined) continue;
    const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${op.path}`, deleting ? '/dev/null' : `b/${op.path}`, before ?? '', op.content ?? '', undefined, undefined, { context });
    // jsdiff starts with an "Index/===" header; keep only the ---/+++ form git and patch understand.
    parts.push(patch.replace(/^=+\n/, ''));
  }
  return parts.join('');
}

/** Reads a target's current text under the output root (undefined when it does not exist), for planDiff. */
export function existingFileReader(root: string): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(join(root, ...path.split('/')), 'utf8');
    } catch {
      return undefined;
    }
  };
}
