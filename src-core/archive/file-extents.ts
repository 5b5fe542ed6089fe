/**
 * Where a sparse file's data is, as the kernel knows it: lseek's
 * SEEK_DATA/SEEK_HOLE, through koffi because Node exposes no lseek. Each
 * call is synchronous on the calling thread, so a walk over many extents
 * yields to the event loop every few milliseconds. Extents may include
 * allocated blocks that read as zeros: the zero-block scan that follows
 * removes them.
 */
import type * as Koffi from 'koffi';
import type { Segment } from './sparse-map';

type Lseek = (fd: number, offset: number, whence: number) => number | bigint;

interface KernelApi {
  lseek: Lseek;
  errno: () => number;
  seekData: number;
  seekHole: number;
  enxio: number;
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
      return { lseek, errno: () => koffi.errno(), seekData: darwin ? 4 : 3, seekHole: darwin ? 3 : 4, enxio: koffi.os.errno.ENXIO ?? 6 };
    } catch {
      return null;
    }
  })();
  return api;
}

/** How long the walk runs before it lets the event loop turn. */
const SLICE_MS = 10;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Data extents from SEEK_DATA/SEEK_HOLE; null when the file system does not answer. */
async function seekExtents(k: KernelApi, fd: number, size: number): Promise<Segment[] | null> {
  const segments: Segment[] = [];
  let at = 0;
  let slice = performance.now();
  while (at < size) {
    const data = Number(k.lseek(fd, at, k.seekData));
    if (data < 0) {
      if (k.errno() === k.enxio) break; // no data after `at`
      return null;
    }
    if (data >= size) break;
    const hole = Number(k.lseek(fd, data, k.seekHole));
    if (hole < 0) return null;
    const end = Math.min(hole, size);
    segments.push({ offset: data, length: end - data });
    at = end;
    if (performance.now() - slice > SLICE_MS) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
  return segments;
}

/** The file's data extents as the kernel reports them, or null when it cannot say. */
export async function kernelExtents(fd: number, size: number): Promise<Segment[] | null> {
  const k = await loadKernelApi();
  return k ? seekExtents(k, fd, size) : null;
}
