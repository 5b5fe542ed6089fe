/**
 * Per-snapshot leases: `<root>/snapshot/localfile/<id>.lease`, a flock(2)
 * file of this app's own. cocoon's source knows nothing of them (its
 * snapshot/localfile package takes only the index lock, snapshots.lock), so
 * they coordinate Snapshot Desk processes (the app, the CLI) with each
 * other, never with cocoon. A reader (export, restore) holds it shared, a
 * reservation building its directory holds it exclusive, and delete, trash
 * and GC must get it exclusive without waiting before removing the data; a
 * pending record whose lease nobody holds any more belongs to a process that
 * died, so GC need not wait 24 h for it.
 *
 * Against cocoon, which ignores the leases, other guards hold: an export
 * opens every data file before writing a byte (localfile-export.ts), and an
 * import whose record or directory another program removed fails in words
 * and leaves nothing (localfile-import.ts).
 *
 * Lease files are kept after use: unlinking a lock file would let two
 * processes hold "the" lock on two different inodes. Only once a snapshot is
 * gone does its lease file go (discard, and GC for leftovers).
 */
import { close, constants, open, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { flockFd, LOCK_EX, LOCK_SH, tryFlockFd, flockSupported } from './flock';
import type { StorePaths } from './paths';

// Raw fds, not FileHandles: a FileHandle nobody references is closed by the
// garbage collector, which would silently drop a lease a reservation holds.
const openFd = promisify(open);
const closeFd = promisify(close);

export const LEASE_SUFFIX = '.lease';
export const leasePath = (paths: StorePaths, dirName: string): string => path.join(paths.dataRoot, `${dirName}${LEASE_SUFFIX}`);

export interface Lease {
  release(): Promise<void>;
  /**
   * Unlinks the lease file, then releases. Only for a snapshot that no
   * longer exists, while holding the lease exclusively: nobody can be
   * waiting on it then, so no one is left locking a different inode.
   */
  discard(): Promise<void>;
}

export const noLease = (): Lease => ({ release: async () => undefined, discard: async () => undefined });

function leaseOf(fd: number, file: string): Lease {
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    // Closing the fd drops the flock.
    await closeFd(fd);
  };
  return {
    release,
    async discard() {
      if (!released) await fs.rm(file, { force: true });
      await release();
    },
  };
}

/**
 * Holds a lease for as long as the caller needs: shared for readers,
 * exclusive while a reservation builds its directory. Creates the lease file.
 * With `wait: false` it returns null instead of waiting when someone holds
 * it; callers that hold the index lock must not wait (a reader takes the lease
 * first and the index lock second, so waiting here could deadlock with it).
 * Where the store cannot be written (a read-only view) or flock does not
 * exist, there is nobody a lease could exclude and a no-op lease is returned.
 */
export async function holdLease(paths: StorePaths, dirName: string, mode: 'shared' | 'exclusive', { wait }: { wait: boolean }): Promise<Lease | null> {
  if (!flockSupported()) return noLease();
  const file = leasePath(paths, dirName);
  let fd: number;
  try {
    fd = await openFd(file, constants.O_RDONLY | constants.O_CREAT, 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOENT') return noLease();
    throw err;
  }
  const op = mode === 'exclusive' ? LOCK_EX : LOCK_SH;
  try {
    if (wait) await flockFd(fd, op, file);
    else if (!tryFlockFd(fd, op, file)) {
      await closeFd(fd);
      return null;
    }
  } catch (err) {
    await closeFd(fd);
    throw err;
  }
  return leaseOf(fd, file);
}

export type LeaseProbe =
  /** We hold it exclusively now: nobody else uses the snapshot. */
  | { state: 'held'; lease: Lease }
  /** Someone holds it. */
  | { state: 'busy' }
  /** No lease file: nobody who speaks the lease protocol ever used this snapshot. */
  | { state: 'absent' }
  /** flock does not exist here; nothing can be known. */
  | { state: 'unknown' };

/** Tries, without waiting, to take a lease exclusively (delete and GC). Never creates the file. */
export async function probeLease(paths: StorePaths, dirName: string): Promise<LeaseProbe> {
  if (!flockSupported()) return { state: 'unknown' };
  const file = leasePath(paths, dirName);
  let fd: number;
  try {
    fd = await openFd(file, constants.O_RDONLY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw err;
  }
  if (tryFlockFd(fd, LOCK_EX, file)) return { state: 'held', lease: leaseOf(fd, file) };
  await closeFd(fd);
  return { state: 'busy' };
}

/** A lease for removal: held, or none needed because no lease file exists. Null when in use. */
export async function leaseForRemoval(paths: StorePaths, dirName: string): Promise<Lease | null> {
  const probe = await probeLease(paths, dirName);
  if (probe.state === 'busy') return null;
  return probe.state === 'held' ? probe.lease : noLease();
}
