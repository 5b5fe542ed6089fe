import { useCallback, useSyncExternalStore } from 'react';

/** While the newest time shown is younger than this, relative times change every second. */
const SECONDS_RESOLUTION_MS = 60_000;
const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;

/**
 * One clock for the whole window, so every relative time (the list, the
 * details panel) is computed from the same "now" and they never disagree.
 * It runs one timer, at the finest interval any mounted reader asks for, and
 * none when nobody reads it.
 */
class SharedClock {
  private now = Date.now();
  private readonly readers = new Map<() => void, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private interval = 0;

  /** The shared now; while nobody reads the clock it is brought up to date here, so a first render is never stale. */
  read = (): number => {
    if (this.readers.size === 0 && Math.abs(Date.now() - this.now) >= SECOND_MS) this.now = Date.now();
    return this.now;
  };

  subscribe(reader: () => void, everyMs: number): () => void {
    this.readers.set(reader, everyMs);
    this.schedule();
    // A reader arriving after a quiet spell brings every reader up to date, not just itself.
    if (Math.abs(Date.now() - this.now) >= SECOND_MS) this.tick();
    return () => {
      this.readers.delete(reader);
      this.schedule();
    };
  }

  private tick = (): void => {
    this.now = Date.now();
    for (const reader of [...this.readers.keys()]) reader();
  };

  private schedule(): void {
    const wanted = this.readers.size === 0 ? 0 : Math.min(...this.readers.values());
    if (wanted === this.interval) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = wanted > 0 ? setInterval(this.tick, wanted) : null;
    this.interval = wanted;
  }
}

const clock = new SharedClock();

/** How often relative times of things created at `newest` (epoch ms) change: every second in their first minute, then every minute. */
export function tickFor(newest: number | null, now: number): number {
  return newest !== null && now - newest < SECONDS_RESOLUTION_MS ? SECOND_MS : MINUTE_MS;
}

/**
 * The window's shared "now" (epoch ms) for relative times. `newest` is the
 * most recent time the caller shows (epoch ms; null for none): while it is
 * under a minute old the clock ticks every second, otherwise every minute.
 */
export function useClock(newest: number | null): number {
  // Computed from the shared now at each render: when the newest item leaves its first minute,
  // the next tick re-renders with minute ticks, and the clock slows down.
  const every = tickFor(newest, clock.read());
  const subscribe = useCallback((reader: () => void) => clock.subscribe(reader, every), [every]);
  return useSyncExternalStore(subscribe, clock.read);
}
