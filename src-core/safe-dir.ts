/**
 * Guards between the index and the filesystem. A record's data_dir is data
 * read from a file, so a damaged or hostile index could point it anywhere;
 * every use goes through here and only a directory directly inside
 * <root>/snapshot/localfile/ is ever read or removed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
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
