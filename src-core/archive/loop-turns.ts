/**
 * Lets the event loop turn at least every `sliceMs` of work. Work that runs
 * in promise callbacks (ready output flowing through an import) or in one
 * synchronous loop (parsing a sparse map of tens of thousands of segments)
 * otherwise keeps timers, I/O callbacks and IPC waiting until it is done:
 * a run of ready jobs held the loop for 30–50 ms on a quiet machine, and a
 * 1 MiB map took ~65 ms to parse and check.
 */
export class LoopTurns {
  static readonly SLICE_MS = 8;
  private since = performance.now();

  constructor(private readonly sliceMs = LoopTurns.SLICE_MS) {}

  /** Yields to the event loop if this slice of work has taken its time. */
  async pause(): Promise<void> {
    if (performance.now() - this.since >= this.sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      this.since = performance.now();
    }
  }

  /** `value`, awaited, then a pause. */
  async next<T>(value: Promise<T>): Promise<T> {
    const out = await value;
    await this.pause();
    return out;
  }

  /** Runs a step-wise computation (each `next()` one step) to its end, pausing between steps. */
  async run<T>(steps: Iterator<unknown, T>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await this.pause();
    }
  }
}
