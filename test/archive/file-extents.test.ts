/**
 * The kernel's view of a sparse file: SEEK_DATA/SEEK_HOLE extents, walked
 * call by call at first and, past a bound, on a worker thread. Both ways
 * must give the same extents.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kernelExtents } from '../../src-core/archive/file-extents';
import { livePoolWorkers } from '../../src-core/archive/worker-pool';
import { noise, sparseFile, tempDir } from './dir-target';

describe('kernel extents of a sparse file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a fragmented file (a 4 KiB block every 16 KiB) gives the same extents walked here and, past the bound, on a worker that then leaves', async () => {
    const file = path.join(dir, 'frag');
    const blocks = Array.from({ length: 300 }, (_, i) => ({ offset: i * 16 * 1024, bytes: noise(4096, i + 1) }));
    await sparseFile(file, 300 * 16 * 1024, blocks);
    const fh = await fs.open(file, 'r');
    try {
      const direct = await kernelExtents(fh.fd, 300 * 16 * 1024, Number.POSITIVE_INFINITY);
      // This machine's file system answers SEEK_DATA (ext4, xfs, btrfs, tmpfs all do).
      expect(direct).toEqual(blocks.map((b) => ({ offset: b.offset, length: 4096 })));
      for (const bound of [0, 1, 17, 299, 300]) expect(await kernelExtents(fh.fd, 300 * 16 * 1024, bound)).toEqual(direct);
    } finally {
      await fh.close();
    }
    expect(livePoolWorkers()).toBe(0);
  });
});
