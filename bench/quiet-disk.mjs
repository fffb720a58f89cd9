// Shared by the benchmarks that write many files: start each measured run on a quiet disk.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Waits for the disk to finish what earlier runs left: dirty pages, and this VM's ext4 discards freed blocks on
 * commit, which for ~20 s after a large delete made file creates several times slower. A run starts once the
 * block devices have been idle (their busy-time counter unchanged) for a second.
 */
export function settle() {
  spawnSync('sync');
  const busyTicks = () => {
    let ticks = 0;
    for (const dev of readdirSync('/sys/block')) {
      try { ticks += Number(readFileSync(`/sys/block/${dev}/stat`, 'utf8').trim().split(/\s+/)[9]); } catch { /* no stats */ }
    }
    return ticks;
  };
  const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const deadline = Date.now() + 60_000;
  let last = busyTicks();
  let quiet = 0;
  while (quiet < 4 && Date.now() < deadline) {
    pause(250);
    const now = busyTicks();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}
