// Which part of a process's event-loop delays was its own. A virtual machine
// can stop every thread at once (the host takes a virtual CPU away, or
// stalls it on memory it took back); a 5 ms timer in any process then fires
// late, however idle that process is. So beside each measured snapdesk
// process the bench runs an idle witness process with the same timer
// (witness.mjs). Time during which the witness was late too is the
// machine's. A stall of only the CPU the measured thread was on does not
// reach a witness on the other CPU; the kernel counts it as that CPU's
// steal, which the probe records per turn (rss-probe.mjs), and that is the
// machine's time too. What is left of a measured turn's delay is the
// process's own.

/**
 * The late parts of timer turns: each turn [startNs, endNs] of a timer with
 * period `periodMs` was due at startNs + periodMs, so [due, endNs] is the
 * time the loop could not turn. Merged and sorted.
 */
export function lateSpans(turns, periodMs) {
  const period = periodMs * 1e6;
  const spans = turns
    .map(([start, end]) => [start + period, end])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [from, to] of spans) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Nanoseconds of [from, to] covered by `spans` (merged and sorted, as lateSpans returns them). */
export function covered(spans, from, to) {
  let sum = 0;
  for (const [a, b] of spans) {
    if (a >= to) break;
    if (b > from) sum += Math.min(b, to) - Math.max(a, from);
  }
  return sum;
}

/**
 * The measured process's longest delay and longest hold (ms) once the
 * machine's time is taken out of each turn: the time the witness was late
 * as well, or the steal on the measured thread's CPU, whichever is more.
 * `turns` are the measured process's [startNs, endNs, heldMs, queuedMs,
 * stealMs] (rss-probe.mjs; the last three where known), `witness` the
 * witness's [startNs, endNs] turns; both timers have period `periodMs`, both
 * clocks are the machine's monotonic clock. `worst` breaks down the turn
 * with the longest own delay: its raw delay, the main thread's time running
 * and ready but waiting for a CPU in it, and the machine's time taken out.
 * `witnessOnlyDelayMs` is the longest delay with only the witness's time
 * taken out, for comparison.
 */
export function ownShare(turns, witness, periodMs) {
  const machine = lateSpans(witness, periodMs);
  const period = periodMs * 1e6;
  let delayMs = 0;
  let witnessOnlyDelayMs = 0;
  let heldMs = null;
  let worst = null;
  for (const [start, end, held, queued, steal] of turns) {
    const lateMs = (end - start - period) / 1e6;
    const witnessMs = covered(machine, start, end) / 1e6;
    witnessOnlyDelayMs = Math.max(witnessOnlyDelayMs, lateMs - witnessMs);
    const machineMs = Math.min(Math.max(0, lateMs), Math.max(witnessMs, steal ?? 0));
    const own = lateMs - machineMs;
    if (own > delayMs) {
      delayMs = own;
      worst = { lateMs, periodMs, heldMs: held ?? null, queuedMs: queued ?? null, machineMs };
    }
    if (typeof held === 'number') heldMs = Math.max(heldMs ?? 0, held - machineMs);
  }
  return { delayMs, heldMs, worst, witnessOnlyDelayMs };
}

/** The longest delay in `turns` ([startNs, endNs, …], period `periodMs`), in ms. */
export function longestDelay(turns, periodMs) {
  return turns.reduce((max, [start, end]) => Math.max(max, (end - start) / 1e6 - periodMs), 0);
}
