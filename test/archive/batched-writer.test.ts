/**
 * The import writer: data lands byte-exact at its offsets whatever the
 * pieces look like, zero runs and gaps of 64 KiB or more stay holes, a
 * shorter gap is written only while its zeros stay no more than the data
 * around it (a fragmented disk keeps its holes), shorter zero runs are written, writes come in large vectored batches, and a
 * failed write surfaces from close().
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchedFileWriter } from '../../src-core/archive/batched-writer';
import { allocated, noise, tempDir } from './dir-target';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('batched file writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Writes `parts` ([offset, bytes]) in pieces of `piece` bytes; returns the file and the number of writev calls. */
  async function writeParts(parts: [number, Buffer][], size: number, piece: number): Promise<{ file: string; writes: number }> {
    const file = path.join(dir, 'f');
    const fh = await fs.open(file, 'wx', 0o600);
    let writes = 0;
    const counting = new Proxy(fh, {
      get(target, prop, receiver) {
        if (prop === 'writev') {
          return (buffers: Buffer[], position: number) => {
            writes++;
            return target.writev(buffers, position);
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    try {
      const writer = new BatchedFileWriter(counting);
      for (const [offset, bytes] of parts) {
        for (let at = 0; at < bytes.length; at += piece) await writer.write(bytes.subarray(at, at + piece), offset + at);
      }
      await writer.close();
      await fh.truncate(size);
    } finally {
      await fh.close();
    }
    return { file, writes };
  }

  it('a zero run of 64 KiB inside the data stays a hole; a run of 60 KiB is written; the bytes are exact', async () => {
    const data = Buffer.concat([noise(100 * KiB, 1), Buffer.alloc(1 * MiB), noise(4 * KiB, 2), Buffer.alloc(60 * KiB), noise(8 * KiB, 3)]);
    for (const piece of [1000, 4096, 3 * MiB]) {
      const { file } = await writeParts([[0, data]], data.length, piece);
      expect((await fs.readFile(file)).equals(data)).toBe(true);
      // 1 MiB hole (give or take the blocks at its edges); the 60 KiB run is allocated.
      expect(await allocated(file)).toBeLessThan(data.length - 900 * KiB);
      expect(await allocated(file)).toBeGreaterThanOrEqual(100 * KiB + 4 * KiB + 60 * KiB + 8 * KiB);
      await fs.rm(file);
    }
  });

  it('a short gap after at least as much data is written as zeros; a 64 KiB one stays a hole', async () => {
    const a = noise(32 * KiB, 4);
    const b = noise(32 * KiB, 5);
    const c = noise(32 * KiB, 6);
    const size = 4 * MiB;
    const { file, writes } = await writeParts(
      [
        [0, a],
        [48 * KiB, b],
        [3 * MiB, c],
      ],
      size,
      8 * KiB,
    );
    const want = Buffer.alloc(size);
    a.copy(want, 0);
    b.copy(want, 48 * KiB);
    c.copy(want, 3 * MiB);
    expect((await fs.readFile(file)).equals(want)).toBe(true);
    // a, the 16 KiB gap and b in one write; c far away in another.
    expect(writes).toBe(2);
    expect(await allocated(file)).toBeGreaterThanOrEqual(112 * KiB);
    expect(await allocated(file)).toBeLessThan(256 * KiB);
  });

  it('gaps of a fragmented disk image (more hole than data) stay holes, a 12 KiB one as much as a large one', async () => {
    // A fragmented disk image: one 4 KiB block of data every 16 KiB, and one far away.
    const parts: [number, Buffer][] = [];
    for (let i = 0; i < 64; i++) parts.push([i * 16 * KiB, noise(4 * KiB, 100 + i)]);
    parts.push([3 * MiB, noise(32 * KiB, 6)]);
    const size = 4 * MiB;
    for (const piece of [1000, 4096, 64 * KiB]) {
      const { file } = await writeParts(parts, size, piece);
      const want = Buffer.alloc(size);
      for (const [at, bytes] of parts) bytes.copy(want, at);
      expect((await fs.readFile(file)).equals(want)).toBe(true);
      // 64 blocks of 4 KiB and 32 KiB: nothing of the 12 KiB gaps is allocated.
      expect(await allocated(file)).toBe(64 * 4 * KiB + 32 * KiB);
      await fs.rm(file);
    }
  });

  it('32 MiB of data arriving in 64 KiB pieces takes a handful of vectored writes, not one per piece', async () => {
    const data = noise(32 * MiB, 7);
    const { file, writes } = await writeParts([[0, data]], data.length, 64 * KiB);
    expect(writes).toBeLessThanOrEqual(5);
    expect((await fs.readFile(file)).equals(data)).toBe(true);
  });

  it('a failed write surfaces from close()', async () => {
    const file = path.join(dir, 'ro');
    await fs.writeFile(file, '');
    const fh = await fs.open(file, 'r');
    try {
      const writer = new BatchedFileWriter(fh);
      await writer.write(noise(16 * KiB, 8), 0);
      await expect(writer.close()).rejects.toMatchObject({ code: 'EBADF' });
    } finally {
      await fh.close();
    }
  });
});
