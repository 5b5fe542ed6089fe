// Preloaded into the measured snapdesk process (node --import): on exit it
// writes the process's peak resident set size (getrusage ru_maxrss, KiB,
// worker threads included), its CPU time, and the longest event-loop delay
// seen once the CLI's modules were loaded (so the figure is the work, not
// start-up) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const out = process.env.BENCH_RSS_FILE;
if (out) {
  const RESOLUTION_MS = 5;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  // The first turn of the loop comes after the main module has run synchronously.
  setImmediate(() => delay.enable());
  process.on('exit', () => {
    delay.disable();
    const usage = process.resourceUsage();
    // The histogram records the whole interval between timer turns; the delay is what exceeds it.
    const maxDelayMs = delay.count > 0 ? Math.max(0, delay.max / 1e6 - RESOLUTION_MS) : 0;
    writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxDelayMs }));
  });
}
