import { gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMemberHead } from '../../src-core/archive/gzip-member';
import { GzipParallel } from '../../src-core/archive/gzip-parallel';
import { planStoredRuns } from '../../src-core/archive/deflate-stored-runs';
import { noise } from './dir-target';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const KiB = 1024;
const text = (n: number): Buffer => Buffer.from('fn main() { let snapshot = restore("web-golden"); println!("{}", snapshot.id); }\n'.repeat(Math.ceil(n / 80))).subarray(0, n);

describe('which pages are stored instead of deflated', () => {
  it('random data is stored, zeros and text are deflated', () => {
    expect(planStoredRuns(noise(1024 * KiB, 7))).toEqual([[0, 1024 * KiB, true]]);
    expect(planStoredRuns(Buffer.alloc(1024 * KiB))).toEqual([[0, 1024 * KiB, false]]);
    expect(planStoredRuns(text(1024 * KiB))).toEqual([[0, 1024 * KiB, false]]);
  });

  it('data that is already compressed is stored', () => {
    const gz = gzipSync(Buffer.concat([text(2048 * KiB), noise(256 * KiB, 3)]), { level: 6 });
    const stored = planStoredRuns(gz)
      .filter((r) => r[2])
      .reduce((sum, [start, end]) => sum + end - start, 0);
    expect(stored / gz.length).toBeGreaterThan(0.9);
  });

  it('a mixed chunk splits at the page boundaries where the kind changes', () => {
    const data = Buffer.concat([text(256 * KiB), noise(512 * KiB, 5), Buffer.alloc(256 * KiB)]);
    expect(planStoredRuns(data)).toEqual([
      [0, 256 * KiB, false],
      [256 * KiB, 768 * KiB, true],
      [768 * KiB, 1024 * KiB, false],
    ]);
  });

  it('a random run shorter than eight pages is not worth its own member', () => {
    const data = Buffer.concat([text(64 * KiB), noise(16 * KiB, 9), text(64 * KiB)]);
    expect(planStoredRuns(data)).toEqual([[0, 144 * KiB, false]]);
  });

  it('a tail shorter than a page is deflated, and an empty chunk is one empty run', () => {
    expect(planStoredRuns(noise(64 * KiB + 100, 11))).toEqual([
      [0, 64 * KiB, true],
      [64 * KiB, 64 * KiB + 100, false],
    ]);
    expect(planStoredRuns(Buffer.alloc(0))).toEqual([[0, 0, false]]);
  });
});

/** Each gzip member of `gz`: its deflate block type (0 stored, 1 fixed, 2 dynamic) and what it inflates to. */
function members(gz: Buffer): { blockType: number; data: Buffer }[] {
  const out: { blockType: number; data: Buffer }[] = [];
  let at = 0;
  while (at < gz.length) {
    const head = readMemberHead(gz.subarray(at));
    if (head.kind !== 'tagged') throw new Error(`member at ${at} does not record its length`);
    const body = gz.subarray(at + head.headerLength, at + head.memberLength - 8);
    const { buffer, engine } = inflateRawSync(body, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    expect(engine.bytesWritten).toBe(body.length);
    out.push({ blockType: ((body[0] as number) >> 1) & 3, data: buffer });
    at += head.memberLength;
  }
  return out;
}

describe('the compression worker follows the plan', () => {
  it('a chunk of text, random data and text becomes three members: deflated, stored, deflated', async () => {
    const data = Buffer.concat([text(300 * KiB), noise(400 * KiB, 13), text(324 * KiB)]);
    const chunks: Buffer[] = [];
    await pipeline(
      Readable.from([data]),
      new GzipParallel({ threads: 1 }),
      new Writable({
        write(c: Buffer, _e, cb) {
          chunks.push(c);
          cb();
        },
      }),
    );
    const parts = members(Buffer.concat(chunks));
    expect(parts.map((m) => [m.blockType === 0 ? 'stored' : 'deflated', m.data.length])).toEqual([
      ['deflated', 300 * KiB],
      ['stored', 400 * KiB],
      ['deflated', 324 * KiB],
    ]);
    expect(Buffer.concat(parts.map((m) => m.data)).equals(data)).toBe(true);
  });
});
