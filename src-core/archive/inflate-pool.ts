/**
 * Decompression workers for import: runs of this app's length-tagged gzip
 * members inflated on worker threads, with libdeflate where it loads
 * (libdeflate.ts) and zlib otherwise or for any run libdeflate
 * does not inflate cleanly (the same checks of each member's header, CRC32
 * and length as anywhere, and zlib's errors for a broken one). Before, each run went
 * to libuv's thread pool through zlib's asynchronous API, which builds a
 * zlib stream object per run on the main thread and hands back its output
 * through callbacks there: at a few hundred runs a second that work came in
 * stretches of 30–45 ms in which the event loop could not turn.
 */
import { koffiPath } from './compress-pool';
import { LIBDEFLATE_NAMES, openLibdeflate } from './libdeflate';
import { WorkerPool } from './worker-pool';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gunzipSync } = require('node:zlib');
const openLibdeflate = ${openLibdeflate.toString()};
const fast = workerData.koffi ? openLibdeflate(require, workerData.koffi, workerData.libraries) : null;
parentPort.postMessage({ engine: fast ? fast.name : 'zlib' });
function gunzip(input, size) {
  // One pass into an output of the announced size (plus one byte, so a longer member fails).
  const done = fast ? fast.gunzip(input, size + 1) : null;
  if (done) return { out: done.output, consumed: done.consumed };
  const r = gunzipSync(input, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size + 1), info: true });
  return { out: r.buffer, consumed: r.engine.bytesWritten };
}
parentPort.on('message', (job) => {
  // Asked to stop: leave once idle (this message waits behind any job).
  if (job.stop) return parentPort.close();
  try {
    const input = Buffer.from(job.input.buffer, 0, job.length);
    const { out, consumed } = gunzip(input, job.size);
    // The output moves when it has its buffer to itself (the usual case); small ones are copied.
    const own = out.byteLength >= 65536 && out.byteOffset === 0 && out.buffer.byteLength <= out.byteLength + 1 ? out : new Uint8Array(out);
    // The input goes back to be reused: nothing of a job is left here for the collector.
    parentPort.postMessage({ id: job.id, input: job.input, output: own, consumed }, [own.buffer, job.input.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err), code: err && err.code });
  }
});
`;

/** Input buffers kept for reuse, and the size they are made (a job's input is about 1 MiB). */
const SPARE_INPUTS = 8;
const INPUT_SIZE = 1024 * 1024 + 64 * 1024;

/** Inflates runs of gzip members on worker threads. */
export class InflatePool {
  private readonly pool: WorkerPool;
  private readonly spare: Buffer[] = [];

  /** The inflater the workers use ('zlib' or 'libdeflate (…)'), once the first worker has said. */
  engine: string | null = null;

  /** `engine` 'zlib' keeps libdeflate out (tests hold both to the same results). */
  constructor(threads: number, engine: 'auto' | 'zlib' = 'auto') {
    const workerData = { koffi: engine === 'auto' ? koffiPath() : null, libraries: LIBDEFLATE_NAMES[process.platform] ?? [] };
    this.pool = new WorkerPool(WORKER_SOURCE, threads, workerData, 'decompression', (notice) => {
      if (typeof notice.engine === 'string') this.engine ??= notice.engine;
    });
  }

  /** A buffer of at least `size` bytes that owns its whole ArrayBuffer, to fill and hand to `gunzip`. */
  inputBuffer(size: number): Buffer {
    const at = this.spare.findIndex((b) => b.length >= size);
    if (at >= 0) return this.spare.splice(at, 1)[0] as Buffer;
    return Buffer.allocUnsafeSlow(Math.max(size, INPUT_SIZE));
  }

  /**
   * The members in input[0, length) inflated (at most `size + 1` bytes) and
   * how many input bytes they took. `input` comes from `inputBuffer`: it
   * moves to the worker and back, to be reused. Errors carry zlib's message
   * and code.
   */
  async gunzip(input: Buffer, length: number, size: number): Promise<{ buffer: Buffer; consumed: number }> {
    const reply = await this.pool.run({ input, length, size }, [input.buffer as ArrayBuffer]);
    const back = reply.input as Uint8Array | undefined;
    if (back && this.spare.length < SPARE_INPUTS) this.spare.push(Buffer.from(back.buffer, back.byteOffset, back.byteLength));
    const out = reply.output as Uint8Array;
    return { buffer: Buffer.from(out.buffer, out.byteOffset, out.byteLength), consumed: reply.consumed as number };
  }

  /** Stops every worker (each finishes the job in hand); resolves once they have exited. */
  terminate(): Promise<void> {
    return this.pool.terminate();
  }
}
