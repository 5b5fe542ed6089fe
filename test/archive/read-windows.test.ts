import { describe, expect, it } from 'vitest';
import { readWindows } from '../../src-core/archive/read-windows';

const KiB = 1024;
const seg = (offset: number, length: number): { offset: number; length: number } => ({ offset, length });

describe('reading many segments in few calls', () => {
  it('segments close together share one read, gaps included, each kept in order', () => {
    const segments = [seg(0, 8 * KiB), seg(12 * KiB, 4 * KiB), seg(20 * KiB, 8 * KiB)];
    expect([...readWindows(segments, 1024 * KiB)]).toEqual([{ offset: 0, length: 28 * KiB, segments }]);
  });

  it('a gap wider than the read-along limit starts a new read', () => {
    const segments = [seg(0, 4 * KiB), seg(4 * KiB + 300 * KiB, 4 * KiB)];
    expect([...readWindows(segments, 1024 * KiB)].map((w) => w.segments)).toEqual([[segments[0]], [segments[1]]]);
    expect([...readWindows(segments, 1024 * KiB, 512 * KiB)].map((w) => w.segments)).toEqual([segments]);
  });

  it('no read is longer than the span: a long segment is cut into pieces, and the last piece can share with what follows', () => {
    const windows = [...readWindows([seg(0, 2500 * KiB), seg(2504 * KiB, 4 * KiB)], 1024 * KiB)];
    expect(windows.map((w) => [w.offset, w.length])).toEqual([
      [0, 1024 * KiB],
      [1024 * KiB, 1024 * KiB],
      [2048 * KiB, 460 * KiB],
    ]);
    expect(windows[2]?.segments).toEqual([seg(2048 * KiB, 452 * KiB), seg(2504 * KiB, 4 * KiB)]);
    for (const w of windows) expect(w.length).toBeLessThanOrEqual(1024 * KiB);
  });

  it('every byte of every segment is in exactly one read, and nothing else is asked for', () => {
    const segments = Array.from({ length: 500 }, (_, i) => seg(i * 40 * KiB + (i % 7) * KiB, (1 + (i % 13)) * KiB));
    const pieces = [...readWindows(segments, 256 * KiB)].flatMap((w) => {
      for (const s of w.segments) expect(s.offset >= w.offset && s.offset + s.length <= w.offset + w.length).toBe(true);
      return w.segments;
    });
    expect(pieces).toEqual(segments);
    expect([...readWindows([], 1024)]).toEqual([]);
  });
});
