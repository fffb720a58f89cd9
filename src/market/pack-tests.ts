// What `ggen market test PACK_ID` needs: the pack's scenario directory and a lockfile that installs just it (and its dependencies).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GgenError } from '../errors.js';
import { readGgenLock, stringifyGgenLock } from './lockfile.js';
import { installedPackDir } from './reference.js';

export interface PackTestPlan {
  packId: string;
  /** `<pack>/tests`, holding cleanroom scenarios (*.toml). */
  testsDir: string;
  /** ggen.lock text with the pack and its locked dependencies, for `ggen market install` in a cleanroom. */
  lockText: string;
}

export async function planPackTests(packId: string, opts: { projectRoot: string; cacheRoot?: string }): Promise<PackTestPlan> {
  const dir = await installedPackDir(packId, opts);
  const testsDir = join(dir, 'tests');
  if (!existsSync(testsDir) || !statSync(testsDir).isDirectory()) {
    throw new GgenError('E_PACK', `gpack "${packId}" has no tests/ directory`, { hint: 'a pack tests itself with cleanroom scenarios in tests/*.toml (see docs/cleanroom.md)' });
  }
  const lock = await readGgenLock(opts.projectRoot);
  const byId = new Map(lock.packs.map((p) => [p.id, p]));
  const keep = new Set<string>();
  const stack = [packId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id) || !byId.has(id)) continue;
    keep.add(id);
    for (const dep of byId.get(id)!.dependencies) stack.push(dep.slice(0, dep.lastIndexOf('@')));
  }
  return { packId, testsDir, lockText: stringifyGgenLock({ version: lock.version, packs: lock.packs.filter((p) => keep.has(p.id)) }) };
}
