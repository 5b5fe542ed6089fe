/**
 * Early write-back of imported data. An import ends with fdatasync, so data
 * is on disk before the snapshot is committed; left alone, the kernel writes
 * most of a large file back only then, and the import waits for the whole
 * file at its end. Asking it to start writing each batch back as soon as the
 * batch is written (sync_file_range with SYNC_FILE_RANGE_WRITE, Linux only,
 * through koffi because Node has no binding) lets the disk work while
 * decompression goes on, so the final fdatasync has little left to do. It is
 * only a hint: the fdatasync stays, and where the call is missing nothing
 * changes. The call can wait for a busy disk queue, so it runs on koffi's
 * worker thread, never on the event loop.
 */
import type * as Koffi from 'koffi';

type SyncFileRange = ((fd: number, offset: number, nbytes: number, flags: number) => number) & {
  async: (fd: number, offset: number, nbytes: number, flags: number, cb: (err: unknown, result: number) => void) => void;
};

const SYNC_FILE_RANGE_WRITE = 2;
/** Requests in flight at most, process-wide (koffi keeps 8 call contexts ready; more are allocated per call). */
const MAX_PENDING = 2;
let pending = 0;
/** Requests in flight now (tests watch the bound). */
export const pendingWritebacks = (): number => pending;
let loaded: Promise<SyncFileRange | null> | undefined;

function load(): Promise<SyncFileRange | null> {
  loaded ??= (async () => {
    if (process.platform !== 'linux') return null;
    try {
      const ns = (await import('koffi')) as typeof Koffi & { default?: typeof Koffi };
      const koffi = ns.default ?? ns;
      return koffi.load('libc.so.6').func('int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags)') as SyncFileRange;
    } catch {
      return null;
    }
  })();
  return loaded;
}

/**
 * Asks the kernel to start writing [offset, offset + length) of `fd` back to
 * disk; resolves once the request is made (not when the data is on disk),
 * never rejects. Await it before closing `fd`.
 */
export async function startWriteback(fd: number, offset: number, length: number): Promise<void> {
  // A congested disk holds requests in the kernel; rather than queue more (each one koffi
  // must set up on the event loop's thread), skip the hint: the kernel writes back anyway.
  if (pending >= MAX_PENDING) return;
  pending++;
  try {
    const fn = await load();
    if (!fn) return;
    // The result does not matter: fdatasync at the end is what makes the data durable.
    await new Promise<void>((resolve) => fn.async(fd, offset, length, SYNC_FILE_RANGE_WRITE, () => resolve()));
  } finally {
    pending--;
  }
}
