import { execFileSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { livePoolWorkers } from '../../src-core/archive/worker-pool';
import { GzipParallel } from '../../src-core/archive/gzip-parallel';
import { noise } from './dir-target';

const KiB = 1024;

async function gzipAll(chunks: Buffer[], opts: ConstructorParameters<typeof GzipParallel>[0]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new GzipParallel(opts),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 100));

describe.each(['auto', 'libdeflate', 'zlib'] as const)('parallel gzip (engine %s)', (engine) => {
  it('compresses into independent members, in input order, that any gunzip reads back', async () => {
    // Odd-sized pieces and a small chunk size: many members, finishing out of order.
    const data = Buffer.concat(Array.from({ length: 40 }, (_, i) => (i % 2 ? noise(37 * KiB + i, i) : Buffer.alloc(50 * KiB + i, i))));
    const pieces: Buffer[] = [];
    for (let at = 0; at < data.length; at += 9973) pieces.push(data.subarray(at, at + 9973));
    const gz = await gzipAll(pieces, { chunkSize: 64 * KiB, threads: 3, engine });
    expect(gunzipSync(gz).equals(data)).toBe(true);
    // GNU gzip agrees, trailer checks included.
    expect(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 * 1024 * 1024 }).equals(data)).toBe(true);
    expect(execFileSync('pigz', ['-dc'], { input: gz, maxBuffer: 64 * 1024 * 1024 }).equals(data)).toBe(true);
  });

  it('an empty input is still a valid gzip file', async () => {
    const gz = await gzipAll([], { engine });
    expect(gunzipSync(gz).length).toBe(0);
  });

  it('level 9 compresses better than level 1 on compressible data', async () => {
    const text = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i} of a log with some repetition ${i % 97}\n`).join(''));
    const fast = await gzipAll([text], { level: 1, engine });
    const small = await gzipAll([text], { level: 9, engine });
    expect(small.length).toBeLessThan(fast.length);
    expect(gunzipSync(small).equals(text)).toBe(true);
  });

  it('refuses a level outside 1..9 with invalid_input', () => {
    expect(() => new GzipParallel({ level: 0 })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => new GzipParallel({ level: 10 })).toThrow(/1 to 9/);
  });

  it('ends its worker threads when it finishes and when it is destroyed', async () => {
    const before = livePoolWorkers();
    await gzipAll([noise(300 * KiB, 9)], { chunkSize: 64 * KiB, threads: 2 });
    // Finishing waits for the workers to exit.
    expect(livePoolWorkers()).toBe(before);
    const gz = new GzipParallel({ threads: 2 });
    expect(livePoolWorkers()).toBe(before + 2);
    gz.write(noise(100 * KiB, 1));
    gz.destroy();
    await new Promise((r) => gz.once('close', r));
    expect(livePoolWorkers()).toBe(before);
  });

  it('respects backpressure: with a stalled reader it stops taking input after a bounded amount', async () => {
    const gz = new GzipParallel({ chunkSize: 64 * KiB, threads: 2 });
    let accepted = 0;
    const chunk = noise(64 * KiB, 5);
    // Write until the stream asks to wait, with nobody reading its output.
    for (let i = 0; i < 200; i++) {
      accepted += chunk.length;
      if (!gz.write(chunk)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await settle();
    expect(accepted).toBeLessThan(200 * chunk.length);
    gz.destroy();
  });
});
