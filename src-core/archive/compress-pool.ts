/**
 * The compression workers: a fixed set of threads that turn a chunk of tar
 * stream into gzip members (see gzip-member.ts and deflate-strategy.ts).
 * Buffers travel both ways by transfer, never by copy: a job hands the
 * worker its input chunk and, optionally, an output buffer to fill; the
 * reply hands both back. Callers that recycle them (export-engine.ts) run a
 * whole export on a handful of buffers, so memory stays flat and no garbage
 * piles up between collections in any thread.
 *
 * The worker is built from a source string (eval), using only node:zlib and
 * (when it loads) libdeflate through koffi, so it runs unchanged from
 * TypeScript under the test runner, from the bundled CLI and from inside
 * Electron's asar archive, where no worker file exists.
 */
import { Worker } from 'node:worker_threads';
import { SnapDeskError } from '../errors';
import { planDeflateRuns } from './deflate-strategy';
import { writeMemberFrame } from './gzip-member';
import { LIBDEFLATE_NAMES, openLibdeflate } from './libdeflate';

/** 'auto': libdeflate where it loads, else zlib; 'zlib': always zlib (tests hold both to one format). */
export type DeflateEngineChoice = 'auto' | 'zlib';

// Each planned run becomes one member, written straight into the worker's
// scratch buffer (framed by gzip-member.ts's writeMemberFrame): stored,
// Huffman only (zlib only), or deflated at the level.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync, crc32, constants } = require('node:zlib');
const planDeflateRuns = ${planDeflateRuns.toString()};
const openLibdeflate = ${openLibdeflate.toString()};
const writeMemberFrame = ${writeMemberFrame.toString()};
const fast = workerData.koffi ? openLibdeflate(require, workerData.koffi, workerData.libraries) : null;
parentPort.postMessage({ engine: fast ? fast.name : 'zlib' });
let scratch = Buffer.allocUnsafeSlow(workerData.chunkSize + 65536);
function room(need) {
  if (scratch.length >= need) return;
  const grown = Buffer.allocUnsafeSlow(Math.max(need, scratch.length * 2));
  scratch.copy(grown);
  scratch = grown;
}
function member(data, mode, level, at) {
  let n = 0;
  if (fast) {
    const lib = mode === 0 ? 0 : level;
    for (;;) {
      n = fast.deflateRaw(data, lib, scratch.subarray(at + 20, scratch.length - 8));
      if (n > 0) break;
      room(scratch.length * 2);
    }
  } else {
    const out = deflateRawSync(data, mode === 0 ? { level: 0 } : mode === 1 ? { level: 1, strategy: constants.Z_HUFFMAN_ONLY } : { level });
    room(at + 28 + out.length);
    out.copy(scratch, at + 20);
    n = out.length;
  }
  return writeMemberFrame(scratch, at, n, crc32(data), data.length);
}
function compress(data, level) {
  let at = 0;
  for (const [start, end, mode] of planDeflateRuns(data, !fast)) at = member(data.subarray(start, end), mode, level, at);
  return at;
}
parentPort.on('message', (job) => {
  // Asked to stop: leave once idle (this message waits behind any job), never mid-call.
  if (job.stop) return parentPort.close();
  try {
    const input = Buffer.from(job.input.buffer, 0, job.length);
    const n = compress(input, job.level);
    const give = job.output && job.output.byteLength >= n ? job.output : new Uint8Array(n);
    give.set(scratch.subarray(0, n));
    const moved = [job.input.buffer, give.buffer];
    if (job.output && job.output !== give) moved.push(job.output.buffer);
    parentPort.postMessage({ id: job.id, input: job.input, output: give, length: n, spare: job.output && job.output !== give ? job.output : null }, moved);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

/** How long a worker asked to stop may take to finish its job before it is terminated. */
const STOP_GRACE_MS = 10_000;

let liveWorkers = 0;
/** Compression worker threads currently running (all of them end when their pool is terminated). */
export const liveGzipWorkers = (): number => liveWorkers;

/** A finished job: the input chunk back, and the members in output[0, length). */
export interface CompressResult {
  input: Buffer;
  output: Buffer;
  length: number;
  /** An output buffer handed in that was too small, handed back. */
  spare: Buffer | null;
}

interface Job {
  id: number;
  input: Buffer;
  length: number;
  output: Buffer | null;
  resolve: (r: CompressResult) => void;
  reject: (err: Error) => void;
}

interface Reply {
  id?: number;
  engine?: string;
  input?: Uint8Array;
  output?: Uint8Array;
  spare?: Uint8Array | null;
  length?: number;
  error?: string;
}

/** Where koffi's entry point is, for the workers to load it; null if it is not installed. */
function koffiPath(): string | null {
  try {
    return require.resolve('koffi');
  } catch {
    return null;
  }
}

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** A fixed set of compression workers with a queue; jobs finish in any order, callers keep theirs. */
export class CompressPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];
  /** Workers that have not exited yet. */
  private readonly running = new Set<Worker>();
  private nextId = 0;
  private dead: Error | null = null;
  /** The deflater the workers use ('zlib' or 'libdeflate (…)'), once the first worker has said. */
  engine: string | null = null;

  constructor(
    size: number,
    private readonly level: number,
    readonly chunkSize: number,
    choice: DeflateEngineChoice = 'auto',
  ) {
    const workerData = { koffi: choice === 'auto' ? koffiPath() : null, libraries: LIBDEFLATE_NAMES[process.platform] ?? [], chunkSize };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      liveWorkers++;
      worker.on('message', (reply: Reply) => this.onReply(worker, reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        liveWorkers--;
        this.running.delete(worker);
        if (!this.dead) this.fail(new Error(`a compression worker stopped unexpectedly (exit code ${code})`));
      });
      this.workers.push(worker);
      this.running.add(worker);
      this.idle.push(worker);
    }
  }

  /**
   * Compresses input[0, length) into members. `input` (and `output`, when
   * given) must own their whole ArrayBuffer: they move to the worker and
   * come back in the result.
   */
  compress(input: Buffer, length: number, output: Buffer | null = null): Promise<CompressResult> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.queue.push({ id: this.nextId++, input, length, output, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      const moved = [job.input.buffer as ArrayBuffer, ...(job.output ? [job.output.buffer as ArrayBuffer] : [])];
      worker.postMessage({ id: job.id, input: job.input, length: job.length, output: job.output, level: this.level }, moved);
    }
  }

  private onReply(worker: Worker, reply: Reply): void {
    if (reply.engine !== undefined) {
      this.engine ??= reply.engine;
      return;
    }
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job) {
      if (reply.input && reply.output && reply.length !== undefined) {
        job.resolve({ input: asBuffer(reply.input), output: asBuffer(reply.output), length: reply.length, spare: reply.spare ? asBuffer(reply.spare) : null });
      } else {
        job.reject(new SnapDeskError('internal', `compression failed: ${reply.error ?? 'unknown error'}`));
      }
    }
    this.dispatch();
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const job of [...this.busy.values(), ...this.queue.splice(0)]) job.reject(err);
    this.busy.clear();
    void this.terminate();
  }

  /**
   * Stops every worker; resolves once they have exited. A worker is asked to
   * leave and finishes the job in hand first (a few milliseconds): one torn
   * down in the middle of a libdeflate call takes the whole process with it
   * (koffi cannot raise its error in a dying thread). One that has not left
   * after STOP_GRACE_MS is terminated.
   */
  async terminate(): Promise<void> {
    this.dead ??= new Error('compression stopped');
    const leaving = this.workers.splice(0).filter((w) => this.running.has(w));
    await Promise.all(
      leaving.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ stop: true });
          }),
      ),
    );
  }
}
