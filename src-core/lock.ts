/**
 * The store lock: an in-process readers–writer lock (so the app's concurrent
 * calls never interleave a read-modify-write of the index) around a
 * cross-process flock(2) on snapshots.lock (so other processes, this CLI or
 * cocoon itself, are excluded too). Writers take LOCK_EX, readers LOCK_SH so
 * they see a consistent index.
 *
 * Note: POSIX/OFD fcntl locks would not interlock with cocoon's flock; see
 * flock.ts.
 */
import { close, constants, open, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { flockFd, funlockFd, LOCK_EX, LOCK_SH } from './flock';
import type { StorePaths } from './paths';
import { AsyncRWLock, type LockMode } from './rwlock';

// Raw fds, not FileHandles: the garbage collector closes an unreferenced
// FileHandle, and with it the flock, behind our back.
const openFd = promisify(open);
const closeFd = promisify(close);

// One in-process lock per lock file: two store objects on one root in one
// process must queue behind each other, since flock treats their two fds as
// rivals and would otherwise park a worker thread per waiter.
const inProcess = new Map<string, AsyncRWLock>();

function processLock(file: string): AsyncRWLock {
  let lock = inProcess.get(file);
  if (!lock) {
    lock = new AsyncRWLock();
    inProcess.set(file, lock);
  }
  return lock;
}

async function openLockFile(paths: StorePaths, mode: LockMode): Promise<number | null> {
  if (mode === 'exclusive') {
    await fs.mkdir(paths.dbDir, { recursive: true, mode: 0o755 });
    return openFd(paths.lockFile, constants.O_RDWR | constants.O_CREAT, 0o644);
  }
  try {
    // flock works on a read-only fd, so a user who may only read the store can still lock it shared.
    return await openFd(paths.lockFile, constants.O_RDONLY | constants.O_CREAT, 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No db directory: no index to read and nobody to exclude.
    if (code === 'ENOENT') return null;
    if (code === 'EACCES' || code === 'EROFS') {
      // Cannot create the lock file here; nobody with our access can be writing then.
      return openFd(paths.lockFile, constants.O_RDONLY).catch(() => null);
    }
    throw err;
  }
}

export class StoreLock {
  private readonly local: AsyncRWLock;

  constructor(private readonly paths: StorePaths) {
    this.local = processLock(paths.lockFile);
  }

  /** Runs fn holding the lock shared (readers). */
  withShared<T>(fn: () => Promise<T>): Promise<T> {
    return this.run('shared', fn);
  }

  /** Runs fn holding the lock exclusively (every index write). */
  withExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.run('exclusive', fn);
  }

  private async run<T>(mode: LockMode, fn: () => Promise<T>): Promise<T> {
    const releaseLocal = await this.local.acquire(mode);
    let fd: number | null = null;
    try {
      fd = await openLockFile(this.paths, mode);
      if (fd !== null) await flockFd(fd, mode === 'exclusive' ? LOCK_EX : LOCK_SH, this.paths.lockFile);
      return await fn();
    } finally {
      if (fd !== null) {
        funlockFd(fd);
        await closeFd(fd);
      }
      releaseLocal();
    }
  }
}
