/**
 * gzip on every core: the stream is cut into ~1 MiB chunks, each compressed
 * into an independent gzip member by a worker thread, and the members are
 * emitted in order. Concatenated members are one valid gzip file (RFC 1952
 * §2.2) that gzip, pigz, Go's compress/gzip and Node's gunzip all read. Each
 * member records its own length (see gzip-member.ts), so import can inflate
 * several members at once.
 *
 * Runs of random-looking pages (already compressed or encrypted data) are
 * stored rather than deflated, which costs a sixth of the time and no size,
 * and runs in which deflate would find no repeats are Huffman-coded only,
 * which costs a third of the time and a few percent of size on those runs
 * (see deflate-strategy.ts).
 *
 * The worker is built from a source string (eval), using only node:zlib, so
 * it runs unchanged from TypeScript under the test runner, from the bundled
 * CLI and from inside Electron's asar archive, where no worker file exists.
 */
import os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { SnapDeskError } from '../errors';
import { planDeflateRuns } from './deflate-strategy';
import { frameMember } from './gzip-member';

export const GZIP_CHUNK = 1024 * 1024;

// Each planned run becomes one member: stored (level 0), Huffman only, or deflated at the chosen level.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateRawSync, crc32, constants } = require('node:zlib');
const planDeflateRuns = ${planDeflateRuns.toString()};
const frameMember = ${frameMember.toString()};
function member(data, mode, level) {
  const opts = mode === 0 ? { level: 0 } : mode === 1 ? { level: 1, strategy: constants.Z_HUFFMAN_ONLY } : { level };
  return frameMember(deflateRawSync(data, opts), crc32(data), data.length);
}
function compress(data, level) {
  const runs = planDeflateRuns(data);
  if (runs.length === 1) return member(data, runs[0][2], level);
  return Buffer.concat(runs.map(([start, end, mode]) => member(data.subarray(start, end), mode, level)));
}
parentPort.on('message', (job) => {
  try {
    const out = compress(job.data, job.level);
    // A fresh, exactly sized buffer can be transferred instead of copied.
    const data = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
    parentPort.postMessage({ id: job.id, data }, [data.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

let liveWorkers = 0;
/** Compression worker threads currently running (all of them end when their stream ends or is destroyed). */
export const liveGzipWorkers = (): number => liveWorkers;

interface Job {
  id: number;
  data: Buffer;
  resolve: (out: Buffer) => void;
  reject: (err: Error) => void;
}

interface Reply {
  id: number;
  data?: Uint8Array;
  error?: string;
}

/** A fixed set of compression workers with a queue; jobs finish in any order, callers keep theirs. */
class GzipPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];
  private nextId = 0;
  private dead: Error | null = null;

  constructor(
    size: number,
    private readonly level: number,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      liveWorkers++;
      worker.on('message', (reply: Reply) => this.onReply(worker, reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        liveWorkers--;
        if (!this.dead) this.fail(new Error(`a compression worker stopped unexpectedly (exit code ${code})`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  compress(data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.queue.push({ id: this.nextId++, data, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      const { data } = job;
      // Chunks own their whole ArrayBuffer (see GzipParallel), so it can move to the worker.
      worker.postMessage({ id: job.id, data, level: this.level }, [data.buffer as ArrayBuffer]);
    }
  }

  private onReply(worker: Worker, reply: Reply): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job) {
      if (reply.data) job.resolve(Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength));
      else job.reject(new SnapDeskError('internal', `compression failed: ${reply.error ?? 'unknown error'}`));
    }
    this.dispatch();
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const job of [...this.busy.values(), ...this.queue.splice(0)]) job.reject(err);
    this.busy.clear();
    void this.terminate();
  }

  /** Stops every worker; resolves once they have exited. */
  async terminate(): Promise<void> {
    this.dead ??= new Error('compression stopped');
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

export interface GzipParallelOptions {
  /** 1 (fast, the default) to 9 (small). */
  level?: number;
  /** Worker threads; default: the available cores. */
  threads?: number;
  chunkSize?: number;
}

/** A Transform from bytes to multi-member gzip, compressing chunks in parallel and emitting them in order. */
export class GzipParallel extends Transform {
  private readonly pool: GzipPool;
  private readonly chunkSize: number;
  private readonly maxInFlight: number;
  private current: Buffer;
  private length = 0;
  private dispatched = 0;
  private readonly inFlight: { result: Promise<Buffer>; out?: Buffer }[] = [];

  constructor(opts: GzipParallelOptions = {}) {
    super();
    const level = opts.level ?? 1;
    if (!Number.isInteger(level) || level < 1 || level > 9) throw new SnapDeskError('invalid_input', `gzip level must be an integer from 1 to 9, not ${level}`);
    const threads = Math.max(1, opts.threads ?? os.availableParallelism());
    this.chunkSize = opts.chunkSize ?? GZIP_CHUNK;
    this.maxInFlight = threads * 2;
    this.pool = new GzipPool(threads, level);
    this.current = this.newChunk();
  }

  /** Its own ArrayBuffer (never the shared pool), so it can be transferred to a worker. */
  private newChunk(): Buffer {
    return Buffer.allocUnsafeSlow(this.chunkSize);
  }

  private dispatch(): void {
    const data = this.length === this.chunkSize ? this.current : copyOwned(this.current.subarray(0, this.length));
    const slot: { result: Promise<Buffer>; out?: Buffer } = { result: this.pool.compress(data) };
    slot.result.then((out) => (slot.out = out), () => undefined);
    this.inFlight.push(slot);
    this.dispatched++;
    this.current = this.newChunk();
    this.length = 0;
  }

  /** Pushes finished members in order; waits for the oldest while too many are in flight. */
  private async drainReady(limit: number): Promise<void> {
    while (this.inFlight.length > 0) {
      const head = this.inFlight[0] as { result: Promise<Buffer>; out?: Buffer };
      if (head.out === undefined && this.inFlight.length <= limit) return;
      const out = head.out ?? (await head.result);
      this.inFlight.shift();
      this.push(out);
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

/** A copy of `data` that owns a whole ArrayBuffer of its exact size. */
function copyOwned(data: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(data.length);
  data.copy(out);
  return out;
}
