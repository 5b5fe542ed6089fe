/**
 * gzip on every core: the stream is cut into ~1 MiB chunks, each compressed
 * into an independent gzip member by a worker thread (compress-pool.ts), and
 * the members are emitted in order. Concatenated members are one valid gzip
 * file (RFC 1952 §2.2) that gzip, pigz, Go's compress/gzip and Node's gunzip
 * all read. Each member records its own length (see gzip-member.ts), so
 * import can inflate several members at once. How each run of pages is
 * compressed (stored, Huffman only, deflated) is deflate-strategy.ts's call.
 *
 * This Transform serves any byte stream; export's own path to a file or a
 * download is export-engine.ts, which packs the tar straight into the chunks.
 */
import os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { SnapDeskError } from '../errors';
import { CompressPool, type CompressResult, type DeflateEngineChoice } from './compress-pool';

export const GZIP_CHUNK = 1024 * 1024;

export interface GzipParallelOptions {
  /** 1 (fast, the default) to 9 (small). */
  level?: number;
  /** Default 'auto'. */
  engine?: DeflateEngineChoice;
  /** Worker threads; default: the available cores. */
  threads?: number;
  chunkSize?: number;
}

/** The options every gzip writer checks the same way: a level from 1 to 9 and a thread count. */
export function checkedGzipOptions(opts: GzipParallelOptions): { level: number; threads: number; chunkSize: number; engine: DeflateEngineChoice } {
  const level = opts.level ?? 1;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new SnapDeskError('invalid_input', `gzip level must be an integer from 1 to 9, not ${level}`);
  return { level, threads: Math.max(1, opts.threads ?? os.availableParallelism()), chunkSize: opts.chunkSize ?? GZIP_CHUNK, engine: opts.engine ?? 'auto' };
}

/**
 * A Transform from bytes to multi-member gzip, compressing chunks in
 * parallel and emitting them in order. Input chunks are recycled; the
 * members pushed downstream are fresh buffers the consumer may keep.
 */
export class GzipParallel extends Transform {
  private readonly pool: CompressPool;
  private readonly chunkSize: number;
  private readonly maxInFlight: number;
  private readonly spare: Buffer[] = [];
  private current: Buffer;
  private length = 0;
  private dispatched = 0;
  private readonly inFlight: { result: Promise<CompressResult>; done?: CompressResult }[] = [];

  constructor(opts: GzipParallelOptions = {}) {
    super();
    const { level, threads, chunkSize, engine } = checkedGzipOptions(opts);
    this.chunkSize = chunkSize;
    this.maxInFlight = threads * 2;
    this.pool = new CompressPool(threads, level, chunkSize, engine);
    this.current = this.newChunk();
  }

  /** A recycled chunk, or one with its own ArrayBuffer (never the shared pool), so it can move to a worker. */
  private newChunk(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkSize);
  }

  private dispatch(): void {
    const slot: { result: Promise<CompressResult>; done?: CompressResult } = { result: this.pool.compress(this.current, this.length) };
    slot.result.then((r) => (slot.done = r), () => undefined);
    this.inFlight.push(slot);
    this.dispatched++;
    this.current = this.newChunk();
    this.length = 0;
  }

  /** Pushes finished members in order; waits for the oldest while too many are in flight. */
  private async drainReady(limit: number): Promise<void> {
    while (this.inFlight.length > 0) {
      const head = this.inFlight[0] as { result: Promise<CompressResult>; done?: CompressResult };
      if (head.done === undefined && this.inFlight.length <= limit) return;
      const r = head.done ?? (await head.result);
      this.inFlight.shift();
      if (r.input.length === this.chunkSize) this.spare.push(r.input);
      // The worker was given no output buffer, so this one is exactly the members' size and ours to hand on.
      this.push(r.output.subarray(0, r.length));
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, this.chunkSize - this.length);
      chunk.copy(this.current, this.length, from, from + n);
      this.length += n;
      from += n;
      if (this.length === this.chunkSize) this.dispatch();
    }
    this.drainReady(this.maxInFlight - 1).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    // An empty input still becomes one (empty) gzip member: a valid .gz file.
    if (this.length > 0 || this.dispatched === 0) this.dispatch();
    this.drainReady(0)
      .then(() => this.pool.terminate())
      .then(
        () => cb(),
        (err: Error) => cb(err),
      );
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.pool.terminate().then(
      () => cb(err),
      () => cb(err),
    );
  }
}
