/**
 * Coarsening a sparse map: merging segments across their smallest holes,
 * as few as it takes, to fit the map export writes into its PAX budget or
 * to keep a scan of a very fragmented file to a bounded number of
 * segments. The zeros read from merged holes become holes again on import.
 * Every step is pausable (LoopTurns): a memory file of many GiB with
 * scattered zero pages has millions of segments.
 */
import { LoopTurns } from './loop-turns';
import { EXPORT_MAP_BUDGET, type Segment } from './sparse-map';

/** Segments (or hole sizes) handled between two chances for the event loop to turn. */
const MERGE_STEP = 16_384;

/** Decimal digits of a non-negative safe integer. */
function digits(n: number): number {
  if (n >= 1e8) return 8 + digits(Math.floor(n / 1e8));
  if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
  return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
}

/**
 * Which holes a fitting merges, as (cut, ties): every hole smaller than
 * `cut` and the first `ties` holes of exactly `cut` from the left, which
 * makes the `count` smallest. `sorted` holds every hole's size, ascending.
 */
function smallestHoles(sorted: Float64Array, count: number): { cut: number; ties: number } {
  if (count === 0) return { cut: -1, ties: 0 };
  const cut = sorted[count - 1] as number;
  // Where the holes of size `cut` start in `sorted` (a million may be the same size).
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < cut) lo = mid + 1;
    else hi = mid;
  }
  return { cut, ties: count - lo };
}

/**
 * One pass over `segments` merging across the holes (cut, ties) picks
 * (see smallestHoles): the merged map's text length, and with `out` the
 * merged segments.
 */
function* mergePass(segments: readonly Segment[], cut: number, ties: number, out: Segment[] | null): Generator<void, number> {
  const first = segments[0] as Segment;
  let start = first.offset;
  let end = first.offset + first.length;
  // The brackets, and per entry {"o":…,"l":…} and a comma (one too many, for the last).
  let text = 1;
  for (let i = 1; i < segments.length; i++) {
    if (i % MERGE_STEP === 0) yield;
    const s = segments[i] as Segment;
    const hole = s.offset - end;
    if (hole > cut || (hole === cut && ties-- <= 0)) {
      text += 12 + digits(start) + digits(end - start);
      out?.push({ offset: start, length: end - start });
      start = s.offset;
    }
    end = s.offset + s.length;
  }
  text += 12 + digits(start) + digits(end - start);
  out?.push({ offset: start, length: end - start });
  return text;
}

/**
 * `values` in ascending order, sorted in slices: runs of MERGE_STEP sorted
 * natively, then merged pairwise a step at a time (one native sort of a
 * million values holds the event loop for 70–160 ms). May reuse `values`.
 */
function* sortInSlices(values: Float64Array): Generator<void, Float64Array> {
  const n = values.length;
  for (let at = 0; at < n; at += MERGE_STEP) {
    values.subarray(at, Math.min(n, at + MERGE_STEP)).sort();
    yield;
  }
  let from: Float64Array = values;
  let to: Float64Array = new Float64Array(n);
  for (let width = MERGE_STEP; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        if (k % MERGE_STEP === 0) yield;
        to[k] = j >= hi || (i < mid && (from[i] as number) <= (from[j] as number)) ? (from[i++] as number) : (from[j++] as number);
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * A map of `segments` whose text fits `budget` bytes, as fine as it can
 * be within 1/64 of the budget: the smallest holes are merged away first
 * (ties from the left), as few as that allows; the zeros read from them
 * become holes again on import. How many to merge is searched for by
 * interpolation (the text shrinks almost linearly with it), a pass over
 * the segments a probe, with turns of the event loop in between: a
 * fragmented memory file of many GiB has millions of segments.
 */
export async function fitMap(segments: Segment[], budget = EXPORT_MAP_BUDGET, turns = new LoopTurns()): Promise<Segment[]> {
  return turns.run(fitMapSteps(segments, budget));
}

function* fitMapSteps(segments: Segment[], budget: number): Generator<void, Segment[]> {
  if (segments.length < 2) return segments;
  const full = yield* mergePass(segments, -1, 0, null);
  if (full <= budget) return segments;
  const sorted = yield* sortedHoles(segments);
  const textWith = function* (count: number): Generator<void, number> {
    const { cut, ties } = smallestHoles(sorted, count);
    return yield* mergePass(segments, cut, ties, null);
  };
  // lo merges too few (its text is over the budget), hi enough.
  let lo = 0;
  let loText = full;
  let hi = sorted.length;
  let hiText = yield* textWith(hi);
  let lastSide = 0;
  let sameSide = 0;
  while (hi - lo > 1 && hiText < budget - budget / 64) {
    // Interpolate; bisect instead once the same end has moved twice running (a curved stretch).
    const guess = sameSide >= 2 ? (lo + hi) / 2 : lo + ((loText - budget) / (loText - hiText)) * (hi - lo);
    const mid = Math.min(hi - 1, Math.max(lo + 1, Math.round(guess)));
    const text = yield* textWith(mid);
    const side = text <= budget ? 1 : -1;
    sameSide = side === lastSide ? sameSide + 1 : 1;
    lastSide = side;
    if (side > 0) {
      hi = mid;
      hiText = text;
    } else {
      lo = mid;
      loText = text;
    }
  }
  return yield* mergeSmallest(segments, sorted, hi);
}

/** The sizes of the holes between `segments`, ascending. */
function* sortedHoles(segments: readonly Segment[]): Generator<void, Float64Array> {
  const holes = new Float64Array(segments.length - 1);
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1] as Segment;
    holes[i - 1] = (segments[i] as Segment).offset - prev.offset - prev.length;
  }
  return yield* sortInSlices(holes);
}

/** `segments` with the `count` smallest of their holes (sizes in `sorted`) merged away. */
function* mergeSmallest(segments: readonly Segment[], sorted: Float64Array, count: number): Generator<void, Segment[]> {
  const merged: Segment[] = [];
  const { cut, ties } = smallestHoles(sorted, count);
  yield* mergePass(segments, cut, ties, merged);
  return merged;
}

/**
 * `segments` with their `count` smallest holes merged away (ties from the
 * left), in slices between turns of the event loop; used to keep a scan of
 * a very fragmented file to a bounded number of segments.
 */
export async function mergeSmallestHoles(segments: Segment[], count: number, turns = new LoopTurns()): Promise<Segment[]> {
  if (segments.length < 2 || count <= 0) return segments;
  return turns.run(
    (function* () {
      return yield* mergeSmallest(segments, yield* sortedHoles(segments), Math.min(count, segments.length - 1));
    })(),
  );
}
