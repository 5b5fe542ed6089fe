// Preloaded into the measured snapdesk process (node --import): on exit it
// writes to the file named by BENCH_RSS_FILE the process's peak resident set
// size (getrusage ru_maxrss, KiB, worker threads included), its CPU time,
// and, once the CLI's modules were loaded (so the figures are the work, not
// start-up), the longest event-loop delay seen and the longest the main
// thread itself kept the loop from turning (its CPU time between two turns
// of a 5 ms timer).
//
// The two differ when the thread is ready to run but not running: other
// threads have the CPUs, or (on a virtual machine) the hypervisor has taken
// the virtual CPU away. The first is what a user waits; the second is what
// the code holds the loop for. Linux gives the thread's own CPU time in
// /proc/thread-self/schedstat; elsewhere only the first is reported.
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const out = process.env.BENCH_RSS_FILE;
if (out) {
  const RESOLUTION_MS = 5;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  /** Nanoseconds the calling thread (here the main thread) has run so far; null where unknown. */
  const threadRunNs = () => {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    } catch {
      return null;
    }
  };
  let lastRun = null;
  let maxBusyMs = null;
  const turn = () => {
    const run = threadRunNs();
    if (run !== null && lastRun !== null) maxBusyMs = Math.max(maxBusyMs ?? 0, (run - lastRun) / 1e6);
    lastRun = run;
  };
  // The first turn of the loop comes after the main module has run synchronously.
  setImmediate(() => {
    delay.enable();
    // Like the histogram, from the timer's first turn on.
    setInterval(turn, RESOLUTION_MS).unref();
  });
  process.on('exit', () => {
    delay.disable();
    const usage = process.resourceUsage();
    // The histogram records the whole interval between timer turns; the delay is what exceeds it.
    const maxDelayMs = delay.count > 0 ? Math.max(0, delay.max / 1e6 - RESOLUTION_MS) : 0;
    writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxDelayMs, maxBusyMs }));
  });
}
