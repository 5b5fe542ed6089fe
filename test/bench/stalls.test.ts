import { covered, lateSpans, longestDelay, ownShare, type Turn } from '../../bench/stalls.mjs';

const ms = (n: number): number => n * 1e6;
/** A 5 ms timer turn that started at `startMs` and came `lateMs` late. */
const turn = (startMs: number, lateMs: number, heldMs?: number, queuedMs?: number, stealMs?: number): Turn => [ms(startMs), ms(startMs + 5 + lateMs), heldMs, queuedMs, stealMs];

describe('bench stall accounting (the part of a loop delay an idle witness process did not share)', () => {
  it('takes the late part of each turn, after its due time, and merges overlapping ones', () => {
    expect(lateSpans([turn(100, 20), turn(110, 30), turn(300, 4)], 5)).toEqual([
      [ms(105), ms(145)],
      [ms(305), ms(309)],
    ]);
  });

  it('measures how much of an interval the spans cover', () => {
    const spans: [number, number][] = [
      [ms(10), ms(20)],
      [ms(30), ms(40)],
    ];
    expect(covered(spans, ms(0), ms(100)) / 1e6).toBe(20);
    expect(covered(spans, ms(15), ms(35)) / 1e6).toBe(10);
    expect(covered(spans, ms(41), ms(50))).toBe(0);
  });

  it('does not count against the process a stall the idle witness suffered at the same time', () => {
    // The process's turn was 200 ms late; the witness was late from 1005 to 1190 ms.
    const own = ownShare([turn(1000, 200, 190)], [turn(1000, 185)], 5);
    expect(own.delayMs).toBeCloseTo(15, 6);
    expect(own.heldMs).toBeCloseTo(5, 6);
  });

  it('counts in full a delay the witness did not share', () => {
    const own = ownShare([turn(1000, 80, 78), turn(2000, 10, 9)], [turn(5000, 300)], 5);
    expect(own.delayMs).toBeCloseTo(80, 6);
    expect(own.heldMs).toBeCloseTo(78, 6);
  });

  it('reports no hold where the probe could not read the thread CPU time', () => {
    expect(ownShare([turn(0, 12)], [], 5)).toMatchObject({ delayMs: 12, heldMs: null });
  });

  it('takes out the steal on the thread’s own CPU, which a witness on the other CPU cannot see, but never more than the delay', () => {
    // 70 ms late, the witness never late, the thread's CPU stolen for 60 ms of it.
    expect(ownShare([turn(1000, 70, 4, 2, 60)], [], 5)).toMatchObject({ delayMs: expect.closeTo(10, 6), witnessOnlyDelayMs: expect.closeTo(70, 6) });
    // Witness overlap and steal are the same stall seen twice: the larger counts, not their sum.
    expect(ownShare([turn(1000, 70, 4, 2, 30)], [turn(1000, 50)], 5).delayMs).toBeCloseTo(20, 6);
    expect(ownShare([turn(1000, 20, 4, 2, 90)], [], 5).delayMs).toBe(0);
  });

  it('breaks down the turn with the longest own delay: running, waiting for a CPU, and the machine’s share', () => {
    const own = ownShare([turn(0, 30, 5, 20, 0), turn(100, 54, 23, 20, 10), turn(300, 40, 2, 1, 0)], [], 5);
    expect(own.delayMs).toBeCloseTo(44, 6);
    expect(own.worst).toEqual({ lateMs: 54, periodMs: 5, heldMs: 23, queuedMs: 20, machineMs: 10 });
    expect(ownShare([], [], 5).worst).toBeNull();
  });

  it('finds the longest delay of a set of turns', () => {
    expect(longestDelay([turn(0, 3), turn(10, 42), turn(100, 7)], 5)).toBeCloseTo(42, 6);
    expect(longestDelay([], 5)).toBe(0);
  });
});
