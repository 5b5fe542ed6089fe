import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingWritebacks, startWriteback, WritebackHints } from '../../src-core/archive/writeback';
import { tempDir } from './dir-target';

describe('early write-back hints', () => {
  it('never pile up: with two requests in flight further hints are skipped, and every call settles', async () => {
    const dir = await tempDir('snapdesk-writeback-');
    const fh = await fs.open(path.join(dir, 'data'), 'w');
    try {
      await fh.write(Buffer.alloc(8 * 1024 * 1024, 7), 0, 8 * 1024 * 1024, 0);
      let most = 0;
      const calls = Array.from({ length: 20 }, (_, i) => {
        const call = startWriteback(fh.fd, i * 256 * 1024, 256 * 1024);
        most = Math.max(most, pendingWritebacks());
        return call;
      });
      expect(most).toBeLessThanOrEqual(2);
      await Promise.all(calls);
      expect(pendingWritebacks()).toBe(0);
      // Only a hint: the data is the same whether or not a request was made.
      expect((await fh.stat()).size).toBe(8 * 1024 * 1024);
    } finally {
      await fh.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('are gathered: one request per span of file written, covering every batch in it, none for a part span', async () => {
    const made: [number, number][] = [];
    const hints = new WritebackHints(7, 16, async (_fd, offset, length) => {
      made.push([offset, length]);
    });
    // Batches of 4 bytes, one finishing out of order, and a hole (20..24) left unwritten.
    for (const [at, n] of [[0, 4], [8, 4], [4, 4], [12, 4], [16, 4], [24, 4], [28, 4], [32, 4]] as const) hints.written(at, n);
    await hints.settled();
    expect(made).toEqual([
      [0, 16],
      [16, 16],
    ]);
  });
});
