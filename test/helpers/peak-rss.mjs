// Preloaded (`node --import`) into a ggen process under test: writes its peak RSS (KB, getrusage) to
// $GGEN_TEST_PEAK_RSS_FILE when it exits, so memory targets are asserted on the real CLI.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.GGEN_TEST_PEAK_RSS_FILE) writeFileSync(process.env.GGEN_TEST_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS));
});
