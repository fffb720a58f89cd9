// The vitest fixture (`ggen/cleanroom/vitest`): `test('…', async ({ cleanroom }) => …)` gets a fresh env,
// disposed after the test (kept on failure with keepOnFailure or GGEN_KEEP=1). Only this entry imports vitest.
import { test as base } from 'vitest';
import type { CleanroomConfig } from './config.js';
import { CleanroomEnv } from './env.js';

export interface CleanroomFixtures {
  cleanroom: CleanroomEnv;
}

/**
 * A `test` whose context has a `cleanroom` created with `config`, prepared by `setup` (e.g. copying a
 * fixture folder in) before each test.
 */
export function createCleanroomTest(config: Partial<CleanroomConfig> = {}, setup?: (env: CleanroomEnv) => Promise<void>) {
  return base.extend<CleanroomFixtures>({
    cleanroom: async ({ task }, use) => {
      const env = await CleanroomEnv.create(config);
      try {
        if (setup) await setup(env);
        await use(env);
      } finally {
        // The test's outcome is known once use() returns; a failed test's env may be kept for inspection.
        const failure = task.result?.errors?.[0];
        if (task.result?.state === 'fail' || failure !== undefined) env.markFailed(failure?.message ?? 'test failed');
        await env.dispose();
      }
    },
  });
}

/** `test` with a default `cleanroom` fixture. */
export const test = createCleanroomTest();
export const it = test;
export { assertFileMatchesGolden, assertTreeMatchesGolden } from './snapshot.js';
export { CleanroomEnv };
