/**
 * flock(2) through koffi, the same advisory lock cocoon takes on
 * snapshots.lock, so this app and a running `cocoon` never interleave index
 * writes.
 *
 * Why koffi rather than a native addon: koffi ships prebuilt binaries that
 * use Node-API, so the one binary loads in plain Node (the CLI) and in every
 * Electron version without a rebuild per Electron ABI. Why flock and not
 * fcntl: cocoon locks with flock(2), and on Linux flock locks and POSIX/OFD
 * fcntl locks do not interlock, so only flock excludes cocoon.
 *
 * flock blocks in C. We first try LOCK_NB synchronously (the usual,
 * uncontended case costs no thread hop); when the lock is busy we make the
 * blocking call with koffi's `.async`, which runs it on a worker thread, so
 * the event loop (and the app's UI traffic) keeps running while we wait and
 * the kernel wakes us in order, without polling.
 */
import koffi from 'koffi';
import { SnapDeskError } from './errors';

export const LOCK_SH = 1;
export const LOCK_EX = 2;
const LOCK_NB = 4;
export const LOCK_UN = 8;

const EINTR = 4;
// EWOULDBLOCK is 11 on Linux, 35 on macOS and the BSDs.
const WOULD_BLOCK = new Set([11, 35]);

type FlockFn = ((fd: number, op: number) => number) & {
  async: (fd: number, op: number, cb: (err: unknown, result: number) => void) => void;
};

const LIBC_CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['libc.so.6', 'libc.so'],
  darwin: ['libc.dylib', '/usr/lib/libSystem.B.dylib'],
  freebsd: ['libc.so.7'],
};

let cached: FlockFn | null | undefined;

/** The flock function of this platform's libc, or null where there is none (Windows). */
export function loadFlock(): FlockFn | null {
  if (cached !== undefined) return cached;
  const names = LIBC_CANDIDATES[process.platform];
  cached = null;
  if (!names) return cached;
  let lastError: unknown;
  for (const name of names) {
    try {
      cached = koffi.load(name).func('int flock(int fd, int op)') as unknown as FlockFn;
      return cached;
    } catch (err) {
      lastError = err;
    }
  }
  throw new SnapDeskError('internal', `cannot load the C library to lock the snapshot index: ${String(lastError)}`);
}

function lockError(errno: number, file: string): SnapDeskError {
  return new SnapDeskError('locked', `cannot lock ${file} (errno ${errno}); check that the store is on a local filesystem you can write`, { path: file, errno });
}

/** True where flock exists (everywhere but Windows). */
export const flockSupported = (): boolean => loadFlock() !== null;

/** One non-blocking attempt: true when the lock was taken, false when someone else holds it. */
export function tryFlockFd(fd: number, op: typeof LOCK_SH | typeof LOCK_EX, file: string): boolean {
  const flock = loadFlock();
  if (!flock) return true;
  for (;;) {
    if (flock(fd, op | LOCK_NB) === 0) return true;
    const errno = koffi.errno();
    if (errno === EINTR) continue;
    if (WOULD_BLOCK.has(errno)) return false;
    throw lockError(errno, file);
  }
}

/** Takes a flock on an open fd, waiting without blocking the event loop. */
export async function flockFd(fd: number, op: typeof LOCK_SH | typeof LOCK_EX, file: string): Promise<void> {
  const flock = loadFlock();
  if (!flock) return;
  for (;;) {
    if (tryFlockFd(fd, op, file)) return;
    const result = await new Promise<number>((resolve, reject) => {
      flock.async(fd, op, (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
    });
    if (result === 0) return;
    // errno of a call made on another thread is not readable here; a signal
    // (EINTR) is the only expected failure, so retry, starting again with a
    // non-blocking attempt that reports any real error.
  }
}

/** Releases a flock (closing the fd would too; this makes the release explicit). */
export function funlockFd(fd: number): void {
  const flock = loadFlock();
  if (flock) flock(fd, LOCK_UN);
}
