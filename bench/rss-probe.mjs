// Preloaded into the measured snapdesk process (node --import): on exit it
// writes the process's peak resident set size (getrusage ru_maxrss, KiB,
// worker threads included) and CPU time to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
  });
}
