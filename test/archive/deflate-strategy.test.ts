import { constants, deflateRawSync, gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMemberHead } from '../../src-core/archive/gzip-member';
import { GzipParallel } from '../../src-core/archive/gzip-parallel';
import { DEFLATE, HUFFMAN, STORE, planDeflateRuns } from '../../src-core/archive/deflate-strategy';
import { readFileSync, realpathSync } from 'node:fs';
import { noise } from './dir-target';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const KiB = 1024;
const text = (n: number): Buffer => Buffer.from('fn main() { let snapshot = restore("web-golden"); println!("{}", snapshot.id); }\n'.repeat(Math.ceil(n / 80))).subarray(0, n);

/** Operand-heavy binary data: a few opcodes with random operands (middling entropy, almost no repeats). */
function operandData(n: number, seed: number): Buffer {
  const ops = [[0x48, 0x89], [0x48, 0x8b], [0xe8], [0x0f, 0x84], [0x55], [0xc3], [0x31, 0xc0], [0x74]];
  const rnd = noise(n, seed);
  const out = Buffer.alloc(n);
  let at = 0;
  let r = 0;
  while (at < n - 8) {
    for (const b of ops[(rnd[r++ % n] ?? 0) % ops.length] ?? []) out[at++] = b;
    for (let k = (rnd[r++ % n] ?? 0) % 5; k > 0; k--) out[at++] = (rnd[r++ % n] ?? 0) < 128 ? (rnd[r++ % n] ?? 0) : (rnd[r++ % n] ?? 0) % 16;
  }
  return out;
}

describe('how each part of a chunk is compressed', () => {
  it('random data is stored, zeros and text are deflated', () => {
    expect(planDeflateRuns(noise(1024 * KiB, 7))).toEqual([[0, 1024 * KiB, STORE]]);
    expect(planDeflateRuns(Buffer.alloc(1024 * KiB))).toEqual([[0, 1024 * KiB, DEFLATE]]);
    expect(planDeflateRuns(text(1024 * KiB))).toEqual([[0, 1024 * KiB, DEFLATE]]);
  });

  it('data that is already compressed is stored', () => {
    const gz = gzipSync(Buffer.concat([text(2048 * KiB), noise(256 * KiB, 3)]), { level: 6 });
    const stored = planDeflateRuns(gz)
      .filter((r) => r[2] === STORE)
      .reduce((sum, [start, end]) => sum + end - start, 0);
    expect(stored / gz.length).toBeGreaterThan(0.9);
  });

  it('a mixed chunk splits at the page boundaries where the kind changes', () => {
    const data = Buffer.concat([text(256 * KiB), noise(512 * KiB, 5), Buffer.alloc(256 * KiB)]);
    expect(planDeflateRuns(data)).toEqual([
      [0, 256 * KiB, DEFLATE],
      [256 * KiB, 768 * KiB, STORE],
      [768 * KiB, 1024 * KiB, DEFLATE],
    ]);
  });

  it('operand-heavy data without repeats is Huffman-coded only, and loses little size by it', () => {
    const data = operandData(1024 * KiB, 21);
    expect(planDeflateRuns(data)).toEqual([[0, 1024 * KiB, HUFFMAN]]);
    const huffman = deflateRawSync(data, { level: 1, strategy: constants.Z_HUFFMAN_ONLY }).length;
    const level1 = deflateRawSync(data, { level: 1 }).length;
    expect(huffman / level1).toBeLessThan(1.1);
  });

  it('real machine code (this Node binary) repeats itself and keeps full deflate', () => {
    const code = readFileSync(realpathSync(process.execPath)).subarray(20 * 1024 * KiB, 21 * 1024 * KiB);
    const huffman = planDeflateRuns(code)
      .filter((r) => r[2] === HUFFMAN)
      .reduce((sum, [start, end]) => sum + end - start, 0);
    expect(huffman / code.length).toBeLessThan(0.2);
  });

  it('a single random page is not worth its own member (it is deflated with its neighbours); two pages are stored', () => {
    expect(planDeflateRuns(Buffer.concat([text(64 * KiB), noise(4 * KiB, 9), text(64 * KiB)]))).toEqual([[0, 132 * KiB, DEFLATE]]);
    expect(planDeflateRuns(Buffer.concat([text(64 * KiB), noise(8 * KiB, 9), text(64 * KiB)]))).toEqual([
      [0, 64 * KiB, DEFLATE],
      [64 * KiB, 72 * KiB, STORE],
      [72 * KiB, 136 * KiB, DEFLATE],
    ]);
  });

  it('a Huffman-only run shorter than eight pages is deflated with its neighbours', () => {
    const data = Buffer.concat([text(64 * KiB), operandData(16 * KiB, 21), text(64 * KiB)]);
    expect(planDeflateRuns(data)).toEqual([[0, 144 * KiB, DEFLATE]]);
  });

  it('without the Huffman-only class (libdeflate), repeat-poor data is deflated and random data still stored', () => {
    expect(planDeflateRuns(operandData(1024 * KiB, 21), false)).toEqual([[0, 1024 * KiB, DEFLATE]]);
    expect(planDeflateRuns(noise(1024 * KiB, 7), false)).toEqual([[0, 1024 * KiB, STORE]]);
  });

  it('a tail shorter than a page is deflated, and an empty chunk is one empty run', () => {
    expect(planDeflateRuns(noise(64 * KiB + 100, 11))).toEqual([
      [0, 64 * KiB, STORE],
      [64 * KiB, 64 * KiB + 100, DEFLATE],
    ]);
    expect(planDeflateRuns(Buffer.alloc(0))).toEqual([[0, 0, DEFLATE]]);
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

describe.each(['auto', 'libdeflate', 'zlib'] as const)('the compression worker follows the plan (engine %s)', (engine) => {
  it('a chunk of text, random data and text becomes three members: deflated, stored, deflated', async () => {
    const data = Buffer.concat([text(300 * KiB), noise(400 * KiB, 13), text(324 * KiB)]);
    const chunks: Buffer[] = [];
    await pipeline(
      Readable.from([data]),
      new GzipParallel({ threads: 1, engine }),
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
