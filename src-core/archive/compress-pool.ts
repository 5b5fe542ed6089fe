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
 * (when they load) ISA-L and libdeflate through koffi, so it runs unchanged from
 * TypeScript under the test runner, from the bundled CLI and from inside
 * Electron's asar archive, where no worker file exists.
 */
import { SnapDeskError } from '../errors';
import { planDeflateRuns } from './deflate-strategy';
import { writeMemberFrame } from './gzip-member';
import { ISAL_NAMES, openIsal } from './isal';
import { LIBDEFLATE_NAMES, openLibdeflate } from './libdeflate';
import { WorkerJobError, WorkerPool } from './worker-pool';

/**
 * 'auto': ISA-L for level-1 runs and libdeflate for the rest, each where it
 * loads, else zlib; 'libdeflate': the same without ISA-L; 'zlib': always
 * zlib (tests hold every engine to one format).
 */
export type DeflateEngineChoice = 'auto' | 'libdeflate' | 'zlib';

// Each planned run becomes one member, written straight into the worker's
// scratch buffer (framed by gzip-member.ts's writeMemberFrame): stored,
// Huffman only (zlib only), or deflated at the level (ISA-L at level 1).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync, crc32, constants } = require('node:zlib');
const planDeflateRuns = ${planDeflateRuns.toString()};
const openLibdeflate = ${openLibdeflate.toString()};
const openIsal = ${openIsal.toString()};
const writeMemberFrame = ${writeMemberFrame.toString()};
const fast = workerData.koffi ? openLibdeflate(require, workerData.koffi, workerData.libraries) : null;
const isal = workerData.koffi && workerData.isalLibraries.length > 0 ? openIsal(require, workerData.koffi, workerData.isalLibraries) : null;
parentPort.postMessage({ engine: [isal, fast].filter(Boolean).map((e) => e.name).join(', ') || 'zlib' });
let scratch = Buffer.allocUnsafeSlow(workerData.chunkSize + 65536);
function room(need) {
  if (scratch.length >= need) return;
  const grown = Buffer.allocUnsafeSlow(Math.max(need, scratch.length * 2));
  scratch.copy(grown);
  scratch = grown;
}
function member(data, mode, level, at) {
  let n = 0;
  const engine = mode !== 0 && level === 1 && isal ? isal : fast;
  if (engine) {
    const lib = mode === 0 ? 0 : level;
    for (;;) {
      n = engine.deflateRaw(data, lib, scratch.subarray(at + 20, scratch.length - 8));
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
  for (const [start, end, mode] of planDeflateRuns(data, !fast && !(isal && level === 1))) at = member(data.subarray(start, end), mode, level, at);
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
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err), code: err && err.code });
  }
});
`;

/** A finished job: the input chunk back, and the members in output[0, length). */
export interface CompressResult {
  input: Buffer;
  output: Buffer;
  length: number;
  /** An output buffer handed in that was too small, handed back. */
  spare: Buffer | null;
}

/** Where koffi's entry point is, for workers to load it; null if it is not installed. */
export function koffiPath(): string | null {
  try {
    return require.resolve('koffi');
  } catch {
    return null;
  }
}

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The compression workers: chunks in, gzip members out. */
export class CompressPool {
  private readonly pool: WorkerPool;
  /** The deflaters the workers use ('zlib', or 'ISA-L (…) at level 1, libdeflate (…)' and its parts), once the first worker has said. */
  engine: string | null = null;

  constructor(
    size: number,
    private readonly level: number,
    readonly chunkSize: number,
    choice: DeflateEngineChoice = 'auto',
  ) {
    const workerData = {
      koffi: choice === 'zlib' ? null : koffiPath(),
      libraries: LIBDEFLATE_NAMES[process.platform] ?? [],
      isalLibraries: choice === 'auto' ? (ISAL_NAMES[process.platform] ?? []) : [],
      chunkSize,
    };
    this.pool = new WorkerPool(WORKER_SOURCE, size, workerData, 'compression', (notice) => {
      if (typeof notice.engine === 'string') this.engine ??= notice.engine;
    });
  }

  /**
   * Compresses input[0, length) into members. `input` (and `output`, when
   * given) must own their whole ArrayBuffer: they move to the worker and
   * come back in the result.
   */
  async compress(input: Buffer, length: number, output: Buffer | null = null): Promise<CompressResult> {
    const moved = [input.buffer as ArrayBuffer, ...(output ? [output.buffer as ArrayBuffer] : [])];
    let reply;
    try {
      reply = await this.pool.run({ input, length, output, level: this.level }, moved);
    } catch (err) {
      if (err instanceof WorkerJobError) throw new SnapDeskError('internal', `compression failed: ${err.message}`);
      throw err;
    }
    const spare = reply.spare as Uint8Array | null;
    return { input: asBuffer(reply.input as Uint8Array), output: asBuffer(reply.output as Uint8Array), length: reply.length as number, spare: spare ? asBuffer(spare) : null };
  }

  /** Stops every worker (each finishes the job in hand); resolves once they have exited. */
  terminate(): Promise<void> {
    return this.pool.terminate();
  }
}
