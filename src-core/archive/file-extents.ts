/**
 * Where a sparse file's data is, as the kernel knows it: lseek's
 * SEEK_DATA/SEEK_HOLE, through koffi because Node exposes no lseek. The
 * calls run on koffi's worker threads, one at a time, never on the event
 * loop's: lseek is quick on a quiet disk (0.4 ms for the 128 extents of a
 * 4 GiB image here), but it waits for the file system like any file
 * operation, and a slow one must not stop the event loop. Extents may
 * include allocated blocks that read as zeros: the zero-block scan that
 * follows removes them.
 */
import type * as Koffi from 'koffi';
import { koffiPath } from './compress-pool';
import type { Segment } from './sparse-map';
import { WorkerPool } from './worker-pool';

type Lseek = ((fd: number, offset: number, whence: number) => number | bigint) & {
  async: (fd: number, offset: number, whence: number, cb: (err: unknown, result: number | bigint) => void) => void;
};

interface KernelApi {
  lseek: Lseek;
  /** The C library it came from, for a worker to load the same. */
  lib: string;
  seekData: number;
  seekHole: number;
}

let api: Promise<KernelApi | null> | undefined;

/** The C library's calls, or null where they cannot be loaded (Windows, koffi missing). */
function loadKernelApi(): Promise<KernelApi | null> {
  api ??= (async () => {
    const lib = process.platform === 'linux' ? 'libc.so.6' : process.platform === 'darwin' ? '/usr/lib/libSystem.B.dylib' : null;
    if (!lib) return null;
    try {
      const ns = (await import('koffi')) as typeof Koffi & { default?: typeof Koffi };
      const koffi = ns.default ?? ns;
      const libc = koffi.load(lib);
      const lseek = libc.func('int64_t lseek(int fd, int64_t offset, int whence)') as Lseek;
      // macOS numbers them the other way round from Linux and the BSDs.
      const darwin = process.platform === 'darwin';
      return { lseek, lib, seekData: darwin ? 4 : 3, seekHole: darwin ? 3 : 4 };
    } catch {
      return null;
    }
  })();
  return api;
}

/** One lseek on a koffi worker thread: the new offset, or -1. */
function seek(k: KernelApi, fd: number, offset: number, whence: number): Promise<number> {
  return new Promise((resolve, reject) => k.lseek.async(fd, offset, whence, (err, result) => (err ? reject(err) : resolve(Number(result)))));
}

/**
 * Extents walked one call at a time before the rest of the walk moves to a
 * worker thread. Each call here is a round trip to koffi's thread (about
 * 20 µs); a memory file whose zero pages were imported as holes has tens of
 * thousands of extents, and its walk took 0.6 s that way. The worker makes
 * the same calls synchronously, a microsecond each, off the event loop.
 */
export const ASYNC_EXTENTS = 256;

/**
 * The SEEK_DATA/SEEK_HOLE walk of [from, size), at most `limit` extents:
 * flat [offset, length] pairs, where it stopped (`size` when done), or null
 * when the file system does not answer. `seek` may be asynchronous (koffi's
 * thread, on the event loop) or synchronous (in the worker); the worker
 * embeds this function with `toString()`, so it is self-contained.
 */
async function walkExtents(
  seek: (offset: number, whence: number) => number | Promise<number>,
  whence: { data: number; hole: number },
  from: number,
  size: number,
  limit: number,
): Promise<{ pairs: number[]; next: number } | null> {
  const pairs: number[] = [];
  let at = from;
  while (at < size && pairs.length < 2 * limit) {
    const data = await seek(at, whence.data);
    if (data < 0) {
      // errno is not at hand; SEEK_HOLE tells "no data after `at`" (it answers) from "cannot say".
      if ((await seek(at, whence.hole)) >= 0) return { pairs, next: size };
      return null;
    }
    if (data >= size) return { pairs, next: size };
    const hole = await seek(data, whence.hole);
    if (hole < 0) return null;
    const end = Math.min(hole, size);
    pairs.push(data, end - data);
    at = end;
  }
  return { pairs, next: at };
}

/** The walk on a worker thread: the same function, with synchronous calls. */
const WALKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const mod = require(workerData.koffi);
const koffi = mod.default || mod;
const lseek = koffi.load(workerData.lib).func('int64_t lseek(int fd, int64_t offset, int whence)');
const walkExtents = ${walkExtents.toString()};
parentPort.on('message', async (job) => {
  if (job.stop) return parentPort.close();
  try {
    const walk = await walkExtents((offset, whence) => Number(lseek(job.fd, offset, whence)), workerData.whence, job.from, job.size, Infinity);
    const segments = walk ? Float64Array.from(walk.pairs) : null;
    parentPort.postMessage({ id: job.id, segments }, segments ? [segments.buffer] : []);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

const toSegments = (pairs: ArrayLike<number>): Segment[] => {
  const segments: Segment[] = [];
  for (let i = 0; i < pairs.length; i += 2) segments.push({ offset: pairs[i] as number, length: pairs[i + 1] as number });
  return segments;
};

/** The rest of a walk from `from`, on a worker thread; undefined when the worker cannot do it (the caller walks on). */
async function walkInWorker(k: KernelApi, fd: number, from: number, size: number): Promise<Segment[] | null | undefined> {
  const koffi = koffiPath();
  if (!koffi) return undefined;
  const pool = new WorkerPool(WALKER_SOURCE, 1, { koffi, lib: k.lib, whence: { data: k.seekData, hole: k.seekHole } }, 'extent walk');
  try {
    const reply = await pool.run({ fd, from, size });
    const flat = reply.segments as Float64Array | null;
    return flat === null ? null : toSegments(flat);
  } catch {
    return undefined;
  } finally {
    await pool.terminate();
  }
}

/** Data extents from SEEK_DATA/SEEK_HOLE; null when the file system does not answer. */
async function seekExtents(k: KernelApi, fd: number, size: number, asyncExtents = ASYNC_EXTENTS): Promise<Segment[] | null> {
  const whence = { data: k.seekData, hole: k.seekHole };
  const first = await walkExtents((offset, w) => seek(k, fd, offset, w), whence, 0, size, asyncExtents);
  if (first === null) return null;
  const segments = toSegments(first.pairs);
  if (first.next >= size) return segments;
  const rest = await walkInWorker(k, fd, first.next, size);
  if (rest === null) return null;
  if (rest !== undefined) return segments.concat(rest);
  // No worker: the rest of the walk on koffi's thread, as the start went.
  const tail = await walkExtents((offset, w) => seek(k, fd, offset, w), whence, first.next, size, Number.POSITIVE_INFINITY);
  return tail === null ? null : segments.concat(toSegments(tail.pairs));
}

/** The file's data extents as the kernel reports them, or null when it cannot say. */
export async function kernelExtents(fd: number, size: number, asyncExtents = ASYNC_EXTENTS): Promise<Segment[] | null> {
  const k = await loadKernelApi();
  return k ? seekExtents(k, fd, size, asyncExtents) : null;
}
