/**
 * Positioned writes into a fresh data file in 1 MiB batches, skipping zero
 * blocks (they stay holes) and keeping one write in flight while the next
 * batch fills, so decompression and disk writes overlap.
 */
import type { FileHandle } from 'node:fs/promises';
import { dataRuns } from './sparse';

const BATCH = 1024 * 1024;

export class HoleSkippingWriter {
  private current = Buffer.allocUnsafe(BATCH);
  private spare = Buffer.allocUnsafe(BATCH);
  private length = 0;
  private position = 0;
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly fh: FileHandle) {}

  /** Queues `data` for file offset `at`. Resolves once the bytes are copied (not yet written). */
  async write(data: Buffer, at: number): Promise<void> {
    if (this.length > 0 && at !== this.position + this.length) {
      const gap = at - (this.position + this.length);
      // A small hole between sparse segments is zero-filled in the batch (zero blocks are
      // skipped when written anyway) rather than costing a write per segment.
      if (gap > 0 && this.length + gap < BATCH) {
        this.current.fill(0, this.length, this.length + gap);
        this.length += gap;
      } else {
        await this.flush();
      }
    }
    let from = 0;
    while (from < data.length) {
      if (this.length === 0) this.position = at + from;
      const n = Math.min(data.length - from, BATCH - this.length);
      data.copy(this.current, this.length, from, from + n);
      this.length += n;
      from += n;
      if (this.length === BATCH) await this.flush();
    }
  }

  /** Starts writing the current batch once the previous one is done; the finished buffer becomes the next batch. */
  private async flush(): Promise<void> {
    if (this.length === 0) return;
    await this.inflight;
    const buf = this.current;
    const len = this.length;
    const pos = this.position;
    this.current = this.spare;
    this.spare = buf;
    this.length = 0;
    this.inflight = this.writeRuns(buf, len, pos);
    // Awaited by the next flush or by close; this only keeps an early failure from being "unhandled".
    this.inflight.catch(() => undefined);
  }

  private async writeRuns(buf: Buffer, len: number, pos: number): Promise<void> {
    const view = buf.subarray(0, len);
    const runs = dataRuns(view, pos);
    for (let i = 0; i < runs.length; i += 2) {
      let start = runs[i] ?? 0;
      const end = runs[i + 1] ?? 0;
      while (start < end) {
        const { bytesWritten } = await this.fh.write(view, start, end - start, pos + start);
        start += bytesWritten;
      }
    }
  }

  /** Writes what is left and waits for every write. */
  async close(): Promise<void> {
    await this.flush();
    await this.inflight;
  }

  /** Waits for the write in flight without writing more (after a failure elsewhere). */
  async settle(): Promise<void> {
    await this.inflight.catch(() => undefined);
  }
}
