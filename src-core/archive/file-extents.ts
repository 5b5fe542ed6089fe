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
import type { Segment } from './sparse-map';

type Lseek = ((fd: number, offset: number, whence: number) => number | bigint) & {
  async: (fd: number, offset: number, whence: number, cb: (err: unknown, result: number | bigint) => void) => void;
};

interface KernelApi {
  lseek: Lseek;
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
      return { lseek, seekData: darwin ? 4 : 3, seekHole: darwin ? 3 : 4 };
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

/** Data extents from SEEK_DATA/SEEK_HOLE; null when the file system does not answer. */
async function seekExtents(k: KernelApi, fd: number, size: number): Promise<Segment[] | null> {
  const segments: Segment[] = [];
  let at = 0;
  while (at < size) {
    const data = await seek(k, fd, at, k.seekData);
    if (data < 0) {
      // errno stays on koffi's thread; SEEK_HOLE tells "no data after `at`" (it answers) from "cannot say".
      if ((await seek(k, fd, at, k.seekHole)) >= 0) break;
      return null;
    }
    if (data >= size) break;
    const hole = await seek(k, fd, data, k.seekHole);
    if (hole < 0) return null;
    const end = Math.min(hole, size);
    segments.push({ offset: data, length: end - data });
    at = end;
  }
  return segments;
}

/** The file's data extents as the kernel reports them, or null when it cannot say. */
export async function kernelExtents(fd: number, size: number): Promise<Segment[] | null> {
  const k = await loadKernelApi();
  return k ? seekExtents(k, fd, size) : null;
}
