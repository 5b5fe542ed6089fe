import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src-core/archive/byte-reader';
import { LoopTurns } from '../../src-core/archive/loop-turns';
import { fitMap } from '../../src-core/archive/map-fitting';
import type { Segment } from '../../src-core/archive/sparse-map';
import { TarReader } from '../../src-core/archive/tar-reader';
import { endOfArchive, gnuPax10SparseEntry, sparseEntry, tarOf } from '../helpers/tar-craft';

/** Counts the turns of the event loop (setImmediate callbacks) while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const value = await work();
    return { value, turns };
  } finally {
    running = false;
  }
}

/** A reader over an archive held in memory: every read resolves without the event loop turning. */
const readerOf = (tar: Buffer, turns: LoopTurns): TarReader =>
  new TarReader(
    new ByteReader(
      (async function* () {
        yield tar;
      })(),
    ),
    turns,
  );

const SEGMENTS = 20_000;
const STRIDE = 8192;
/** One byte of data every 8 KiB: a map of 20,000 segments, in a file that ends with the last one. */
const manySegments = Array.from({ length: SEGMENTS }, (_, i) => ({ o: i * STRIDE, l: 1 }));
const REAL_SIZE = (SEGMENTS - 1) * STRIDE + 1;

describe('long synchronous work gives the event loop turns', () => {
  it('a step-wise computation pauses between steps once its slice is used up, and not before', async () => {
    function* steps(): Generator<void, string> {
      for (let i = 0; i < 10; i++) yield;
      return 'done';
    }
    const eager = await turnsDuring(() => new LoopTurns(0).run(steps()));
    expect(eager.value).toBe('done');
    expect(eager.turns).toBeGreaterThanOrEqual(10);
    const patient = await turnsDuring(() => new LoopTurns(60_000).run(steps()));
    expect(patient.turns).toBe(0);
  });

  it('a COCOON.sparse.map of 20,000 segments is parsed and checked in slices, with the loop turning between them', async () => {
    const tar = tarOf([sparseEntry('memory-ranges', manySegments, REAL_SIZE), endOfArchive()]);
    const { value: entry, turns } = await turnsDuring(() => readerOf(tar, new LoopTurns(0)).next());
    expect(entry?.segments).toHaveLength(SEGMENTS);
    expect(entry?.segments?.[SEGMENTS - 1]).toEqual({ offset: (SEGMENTS - 1) * STRIDE, length: 1 });
    // Parsing and checking each stop every 512 segments.
    expect(turns).toBeGreaterThanOrEqual((2 * SEGMENTS) / 512 - 2);
  });

  it('a GNU PAX 1.0 sparse map of hundreds of blocks is read with the loop turning between blocks', async () => {
    const tar = tarOf([gnuPax10SparseEntry('memory-ranges', manySegments, REAL_SIZE), endOfArchive()]);
    const { value: entry, turns } = await turnsDuring(() => readerOf(tar, new LoopTurns(0)).next());
    expect(entry?.segments).toHaveLength(SEGMENTS);
    const mapBlocks = Math.ceil(manySegments.reduce((n, s) => n + `${s.o}\n${s.l}\n`.length, 6) / 512);
    expect(turns).toBeGreaterThanOrEqual(mapBlocks);
  });

  it("export's fitting of a map of 300,000 segments to the PAX budget runs in slices, with the loop turning between them", async () => {
    const segments: Segment[] = Array.from({ length: 300_000 }, (_, i) => ({ offset: i * 3 * STRIDE, length: STRIDE }));
    const { value: fitted, turns } = await turnsDuring(() => fitMap(segments, undefined, new LoopTurns(0)));
    expect(fitted.length).toBeLessThan(segments.length);
    // Several passes over the segments, each stopping every 16,384 of them.
    expect(turns).toBeGreaterThanOrEqual((3 * segments.length) / 16_384);
  });
});
