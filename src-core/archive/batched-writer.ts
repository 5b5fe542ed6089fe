/**
 * Positioned writes into a fresh data file in large batches. Incoming data
 * (views of decompressed chunks, never copied) is gathered into batches of
 * up to 8 MiB and written with one vectored write each, a few batches in
 * flight while decompression goes on. Zero runs of at least 64 KiB (whole
 * aligned blocks) are left out and stay holes, and so are gaps between the
 * segments written (holes in the archive's sparse map) of that size.
 *
 * A shorter gap is written as zeros, because one more system call and
 * thread-pool round trip per short run costs more than writing it (a memory
 * file whose zero pages were exported as holes has tens of thousands), but
 * only while the zeros written so stay no more than the data in the same
 * batch: a fragmented disk image (a 4 KiB block every 16 KiB) keeps its
 * holes instead of coming back several times larger on disk, and no file
 * takes more than twice its data's space.
 */
import type { FileHandle } from 'node:fs/promises';
import { HOLE_BLOCK, isZeroBlock } from './sparse';

const ZEROS = Buffer.alloc(64 * 1024);

export interface BatchedWriterOptions {
  /** Bytes gathered before a write; default 8 MiB. */
  batchBytes?: number;
  /** Shortest zero run inside the data left as a hole; default 64 KiB. */
  holeMin?: number;
  /** Batches being written at once; default 4. */
  inFlight?: number;
  /** Called after each batch reached the file (for example to start its write-back). */
  onWritten?: (position: number, length: number) => void;
}

export class BatchedFileWriter {
  private views: Buffer[] = [];
  private start = 0;
  private length = 0;
  /** Zero bytes at the end of the current batch, counted in whole blocks (and gap fills). */
  private zeroTail = 0;
  /** Bytes of the current batch that fill gaps between segments. */
  private filled = 0;
  /** The start of a block the last write ended inside (a copy), waiting for the rest of the block. */
  private carry: Buffer | null = null;
  private carryAt = 0;
  private readonly writing = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  private readonly batchBytes: number;
  private readonly holeMin: number;
  private readonly inFlight: number;

  constructor(
    private readonly fh: FileHandle,
    private readonly opts: BatchedWriterOptions = {},
  ) {
    this.batchBytes = opts.batchBytes ?? 8 * 1024 * 1024;
    this.holeMin = Math.max(HOLE_BLOCK, opts.holeMin ?? 64 * 1024);
    this.inFlight = Math.max(1, opts.inFlight ?? 4);
  }

  /**
   * Queues `data` for file offset `at` (offsets only grow). `data` is kept,
   * not copied, until written: the caller must not change it afterwards.
   */
  async write(data: Buffer, at: number): Promise<void> {
    let rest = data;
    let restAt = at;
    if (this.carry) {
      const carry = this.carry;
      const carryAt = this.carryAt;
      this.carry = null;
      if (restAt === carryAt + carry.length) {
        // Complete the block the previous piece ended in, so its zeros count like any other block's.
        const need = Math.min(HOLE_BLOCK - (restAt % HOLE_BLOCK), rest.length);
        await this.place(Buffer.concat([carry, rest.subarray(0, need)]), carryAt);
        rest = rest.subarray(need);
        restAt += need;
      } else {
        await this.place(carry, carryAt, true);
      }
    }
    if (rest.length > 0) await this.place(rest, restAt);
  }

  /**
   * Adds `data` at `at` to the batch, block by block (blocks aligned in the
   * file). A last block that the data ends inside is copied aside and
   * completed by the next write, unless `final`.
   */
  private async place(data: Buffer, at: number, final = false): Promise<void> {
    if (this.length > 0 && at !== this.start + this.length) {
      const gap = at - (this.start + this.length);
      const fill = gap > 0 && gap < this.holeMin && this.length + gap <= this.batchBytes && this.filled + gap <= this.length - this.filled;
      if (fill) this.appendZeros(gap);
      else await this.flush();
    }
    if (this.length === 0) this.start = at;
    let end = data.length;
    const tail = (at + end) % HOLE_BLOCK;
    if (!final && tail !== 0) {
      const keep = Math.min(tail, end);
      this.carry = Buffer.from(data.subarray(end - keep, end));
      this.carryAt = at + end - keep;
      end -= keep;
    }
    let from = 0;
    for (let i = 0; i < end; ) {
      const blockEnd = Math.min(end, i + HOLE_BLOCK - ((at + i) % HOLE_BLOCK));
      if (blockEnd - i === HOLE_BLOCK && isZeroBlock(data, i)) {
        this.zeroTail += HOLE_BLOCK;
      } else {
        if (this.zeroTail >= this.holeMin) {
          // A long zero run ends here: everything before it is written, the run stays a hole.
          this.append(data.subarray(from, i));
          from = i;
          await this.flush();
          this.start = at + i;
        }
        this.zeroTail = 0;
      }
      i = blockEnd;
      if (this.length + (i - from) >= this.batchBytes) {
        this.append(data.subarray(from, i));
        from = i;
        await this.flush();
        this.start = at + i;
      }
    }
    this.append(data.subarray(from, end));
  }

  private append(view: Buffer): void {
    if (view.length === 0) return;
    this.views.push(view);
    this.length += view.length;
  }

  private appendZeros(n: number): void {
    for (let left = n; left > 0; ) {
      const k = Math.min(left, ZEROS.length);
      this.append(ZEROS.subarray(0, k));
      left -= k;
    }
    this.zeroTail += n;
    this.filled += n;
  }

  /** Drops the last `n` bytes of the batch. */
  private trim(n: number): void {
    let left = n;
    while (left > 0) {
      const last = this.views[this.views.length - 1] as Buffer;
      if (last.length <= left) {
        this.views.pop();
        left -= last.length;
        this.length -= last.length;
      } else {
        this.views[this.views.length - 1] = last.subarray(0, last.length - left);
        this.length -= left;
        left = 0;
      }
    }
  }

  /** Starts writing the current batch (waiting while too many are in flight). */
  private async flush(): Promise<void> {
    if (this.zeroTail >= this.holeMin) this.trim(Math.min(this.zeroTail, this.length));
    const views = this.views;
    const position = this.start;
    const length = this.length;
    this.views = [];
    this.length = 0;
    this.zeroTail = 0;
    this.filled = 0;
    this.start = position + length;
    this.throwFailure();
    if (length === 0) return;
    while (this.writing.size >= this.inFlight) await Promise.race(this.writing);
    this.throwFailure();
    const job: Promise<void> = this.writeAll(views, position, length).then(
      () => {
        this.writing.delete(job);
        this.opts.onWritten?.(position, length);
      },
      (error: unknown) => {
        this.writing.delete(job);
        this.failure ??= { error };
      },
    );
    this.writing.add(job);
  }

  private async writeAll(views: Buffer[], position: number, length: number): Promise<void> {
    let done = 0;
    let rest = views;
    while (done < length) {
      const { bytesWritten } = await this.fh.writev(rest, position + done);
      done += bytesWritten;
      if (done < length) rest = dropFront(rest, bytesWritten);
    }
  }

  /** Writes what is left and waits for every write; throws the first write error. */
  async close(): Promise<void> {
    if (this.carry) {
      const carry = this.carry;
      this.carry = null;
      await this.place(carry, this.carryAt, true);
    }
    await this.flush();
    await this.settle();
    this.throwFailure();
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the writes in flight without starting more (after a failure elsewhere). */
  async settle(): Promise<void> {
    while (this.writing.size > 0) await Promise.race(this.writing);
  }
}

/** `views` without their first `n` bytes (after a short write). */
function dropFront(views: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = n;
  for (const v of views) {
    if (skip >= v.length) {
      skip -= v.length;
      continue;
    }
    out.push(skip > 0 ? v.subarray(skip) : v);
    skip = 0;
  }
  return out;
}
