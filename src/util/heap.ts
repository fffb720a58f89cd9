// Keeping V8's heap near its live size for runs that hold a very large plan.
import { setFlagsFromString } from 'node:v8';

/** From this many outputs on, a run's heap is kept near its live size (below it, speed matters more). */
export const LARGE_RUN_OUTPUTS = 20_000;

let tightened = false;

/**
 * On a machine with a lot of memory V8 lets the old space grow to about four times what is live before it collects,
 * and the young space to 16 MB per semi-space: a plan of 100k outputs (about 100 MB live) then peaks at 400 MB.
 * From here on the old space grows by half of what is live and the young space stays at its current size, which
 * costs a few percent of CPU in more frequent collections. Both flags are read at each collection, so setting
 * them mid-run takes effect (a heap limit set at start-up would not be). Once per process; idempotent.
 */
export function keepHeapNearLive(): void {
  if (tightened) return;
  tightened = true;
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--semi-space-growth-factor=1');
}
