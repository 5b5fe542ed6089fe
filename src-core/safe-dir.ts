/**
 * Guards between the index and the filesystem. A record's data_dir is data
 * read from a file, so a damaged or hostile index could point it anywhere;
 * every use goes through here and only a directory directly inside
 * <root>/snapshot/localfile/ is ever read or removed.
 */
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { assertPlainName } from './archive/entry-name';
import { SnapDeskError } from './errors';
import type { StorePaths } from './paths';
import type { SnapshotRecord } from './record';

function outside(id: string, dir: string, paths: StorePaths, why: string): SnapDeskError {
  return new SnapDeskError(
    'io',
    `refusing to use the data directory "${dir}" of snapshot ${id}: ${why} (expected a directory inside ${paths.dataRoot}); the snapshot index may be damaged`,
    { id, path: dir },
  );
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.realpath(p);
  } catch {
    return null;
  }
}

/** An index key usable as a directory name: never a path of its own. */
const isPlainName = (id: string): boolean => id !== '' && id !== '.' && id !== '..' && !/[/\\\0]/.test(id);

/** Where a recorded data_dir really is, when it names a directory directly inside dataRoot; else null. */
async function insideDataRoot(paths: StorePaths, raw: string): Promise<string | null> {
  if (!path.isAbsolute(raw)) return null;
  const resolved = path.resolve(raw);
  const parent = path.dirname(resolved);
  const base = path.basename(resolved);
  if (base === '' || resolved === parent) return null;
  if (parent !== paths.dataRoot) {
    // The same directory may be reached by another spelling (a symlinked root): compare real paths.
    const [realParent, realRoot] = await Promise.all([realpathOrNull(parent), realpathOrNull(paths.dataRoot)]);
    if (realParent === null || realRoot === null || realParent !== realRoot) return null;
  }
  return path.join(paths.dataRoot, base);
}

/**
 * The data directory of a record, always a directory directly inside
 * <dataRoot>. A data_dir that points elsewhere (a root copied or moved to
 * another place, or a damaged/hostile index) is never used: the snapshot's
 * canonical place <dataRoot>/<id> is, so such snapshots stay usable and
 * deletable while nothing outside the store is ever read or removed.
 * `forRead` also refuses a symlink in place of the directory (removing one
 * only removes the link, which is safe; reading through it is not).
 */
export async function safeDataDir(paths: StorePaths, id: string, rec: SnapshotRecord, forRead: boolean): Promise<string> {
  const recorded = rec.data_dir ? await insideDataRoot(paths, rec.data_dir) : null;
  if (!recorded && !isPlainName(id)) throw outside(id, rec.data_dir || id, paths, 'its ID is not a plain directory name');
  const dir = recorded ?? path.join(paths.dataRoot, id);
  if (forRead) {
    const st = await fs.lstat(dir).catch(() => null);
    if (st && !st.isDirectory()) throw outside(id, dir, paths, 'it is not a plain directory');
  }
  return dir;
}

/** Removes a data directory without following symlinks (fs.rm unlinks a link instead of descending into it). */
export async function removeDataDir(paths: StorePaths, dir: string): Promise<void> {
  if (path.dirname(dir) !== paths.dataRoot) throw new SnapDeskError('internal', `refusing to remove ${dir}: not inside ${paths.dataRoot}`);
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Linux's per-process fd directory: a path through /proc/self/fd/N starts at the file N is, not at a path. */
const PROC_FD = '/proc/self/fd';
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function replaced(dir: string): SnapDeskError {
  return new SnapDeskError(
    'io',
    `the data directory ${dir} was replaced by another program while files were being written into it (it is now a symbolic link or another directory); nothing was written outside the store; check what else is changing the store, then try again`,
    { path: dir },
  );
}

function removed(dir: string): SnapDeskError {
  return new SnapDeskError(
    'io',
    `the data directory ${dir} was removed by another program while files were being written into it (a "cocoon snapshot rm", or a clean-up); nothing was kept; try again`,
    { path: dir },
  );
}

/**
 * A data directory that files are created in by name, never through a path
 * someone could swap. It is opened once without following symlinks; where
 * /proc is mounted, each file is created relative to that open directory
 * (through /proc/self/fd/N, the same anchoring openat gives), so a
 * directory replaced by a symlink mid-write cannot redirect a file. Its
 * device and inode are also checked against the path before each file and
 * on `verify` (before commit), so a swap ends the write with a typed error
 * instead of going unnoticed.
 */
export class SafeDir {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly dev: number,
    private readonly ino: number,
    private readonly anchored: boolean,
  ) {}

  /** Opens `dir` (a directory, not a symlink to one). `anchored: false` forces the path-and-check fallback (tests). */
  static async open(dir: string, opts: { anchored?: boolean } = {}): Promise<SafeDir> {
    let handle: FileHandle;
    try {
      handle = await fs.open(dir, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOTDIR') throw replaced(dir);
      if (code === 'ENOENT') throw removed(dir);
      throw err;
    }
    const st = await handle.stat();
    const anchored =
      (opts.anchored ?? true) &&
      (await fs.access(path.join(PROC_FD, String(handle.fd))).then(
        () => true,
        () => false,
      ));
    return new SafeDir(dir, handle, st.dev, st.ino, anchored);
  }

  /** Throws unless the path still names the directory opened (not removed, not a symlink, not another directory). */
  async verify(): Promise<void> {
    const st = await fs.lstat(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw removed(this.path);
      throw err;
    });
    if (!st.isDirectory() || st.dev !== this.dev || st.ino !== this.ino) throw replaced(this.path);
  }

  /** Creates a new file `name` (a plain name; never an existing file or a symlink) for reading and writing. */
  async createFile(name: string, mode: number): Promise<FileHandle> {
    assertPlainName(name);
    await this.verify();
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
    const where = this.anchored ? path.join(PROC_FD, String(this.handle.fd), name) : path.join(this.path, name);
    const fh = await fs.open(where, flags, mode);
    if (!this.anchored) {
      // The fallback opened by path: make sure the file landed in this directory.
      const [made, seen] = await Promise.all([fh.stat(), fs.lstat(path.join(this.path, name)).catch(() => null)]);
      if (!seen || made.dev !== this.dev || seen.ino !== made.ino) {
        await fh.close();
        throw replaced(this.path);
      }
    }
    return fh;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
