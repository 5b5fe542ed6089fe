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
//
// For the longest hold it also notes what the kernel did meanwhile that
// counts as the thread's time: its page faults (/proc/thread-self/stat; a
// first touch of fresh memory can be slow on a VM) and the machine's
// interrupt and softirq time (/proc/stat, in clock ticks; a kernel without
// IRQ time accounting bills interrupts to whatever thread they interrupt).
//
// It also keeps every turn of the timer that came at least 1 ms late or in
// which the main thread ran for at least 1 ms, as [startNs, endNs, heldMs,
// queuedMs, stealMs] on the machine's monotonic clock: its CPU time in the
// turn, its time ready to run but waiting for a CPU (schedstat's second
// field), and the time the hypervisor took from the CPU it was on at either
// end of the turn (that CPU's steal in /proc/stat, the larger of the two).
// The bench takes out the time an idle witness process was held up too, or
// the thread's CPU was stolen (stalls.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuTicks, TICK_MS } from './proc-stat.mjs';

const out = process.env.BENCH_RSS_FILE;
if (out) {
  const RESOLUTION_MS = 5;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  /** Nanoseconds the calling thread (here the main thread) has run and has waited to run so far; null where unknown. */
  const threadRunNs = () => {
    try {
      const [run, queued] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
      return { run: Number(run), queued: Number(queued) };
    } catch {
      return null;
    }
  };
  /** The calling thread's minor page faults so far and the CPU it is on, the machine's irq + softirq ticks and each CPU's steal; null where unknown. */
  const kernelCounts = () => {
    const cpu = cpuTicks();
    try {
      const stat = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
      // proc(5): minflt is field 10, processor field 39; the split starts at field 3.
      return cpu ? { faults: Number(stat[7]), onCpu: Number(stat[36]), irqTicks: cpu.irq, stealByCpu: cpu.stealByCpu } : null;
    } catch {
      return null;
    }
  };
  /** Steal (ms) between two readings on the CPUs the thread was on at either end. */
  const stealOn = (from, to) => {
    if (!from || !to) return null;
    const on = (n) => ((to.stealByCpu[n] ?? 0) - (from.stealByCpu[n] ?? 0)) * TICK_MS;
    return Math.max(on(from.onCpu), on(to.onCpu));
  };
  let lastRun = null;
  let lastAt = null;
  let lastCounts = null;
  const turns = [];
  let maxBusyMs = null;
  let busyKernel = null;
  const turn = () => {
    const at = Number(process.hrtime.bigint());
    const run = threadRunNs();
    const counts = kernelCounts();
    const held = run !== null && lastRun !== null ? (run.run - lastRun.run) / 1e6 : null;
    const queued = run !== null && lastRun !== null ? (run.queued - lastRun.queued) / 1e6 : null;
    if (lastAt !== null && ((at - lastAt) / 1e6 - RESOLUTION_MS >= 1 || (held ?? 0) >= 1)) turns.push([lastAt, at, held, queued, stealOn(lastCounts, counts)]);
    lastAt = at;
    if (held !== null && (maxBusyMs === null || held > maxBusyMs)) {
      maxBusyMs = held;
      busyKernel = counts && lastCounts ? { pageFaults: counts.faults - lastCounts.faults, irqMs: (counts.irqTicks - lastCounts.irqTicks) * TICK_MS } : null;
    }
    lastRun = run;
    lastCounts = counts;
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
    writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxDelayMs, maxBusyMs, busyKernel, periodMs: RESOLUTION_MS, turns }));
  });
}
