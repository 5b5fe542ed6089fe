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

/**
 * The data directory of a record, as <dataRoot>/<name>. `forRead` also
 * refuses a symlink in place of the directory (removing one only removes the
 * link, which is safe; reading through it is not).
 */
export async function safeDataDir(paths: StorePaths, id: string, rec: SnapshotRecord, forRead: boolean): Promise<string> {
  const raw = rec.data_dir || path.join(paths.dataRoot, id);
  if (!path.isAbsolute(raw)) throw outside(id, raw, paths, 'it is not an absolute path');
  const resolved = path.resolve(raw);
  const parent = path.dirname(resolved);
  const base = path.basename(resolved);
  if (base === '' || resolved === parent) throw outside(id, raw, paths, 'it is not a snapshot directory');
  if (parent !== paths.dataRoot) {
    // The same directory may be reached by another spelling (a symlinked root): compare real paths.
    const [realParent, realRoot] = await Promise.all([realpathOrNull(parent), realpathOrNull(paths.dataRoot)]);
    if (realParent === null || realRoot === null || realParent !== realRoot) throw outside(id, raw, paths, 'it is outside the store');
  }
  const dir = path.join(paths.dataRoot, base);
  if (forRead) {
    const st = await fs.lstat(dir).catch(() => null);
    if (st && !st.isDirectory()) throw outside(id, raw, paths, 'it is not a plain directory');
  }
  return dir;
}

/** Removes a data directory without following symlinks (fs.rm unlinks a link instead of descending into it). */
export async function removeDataDir(paths: StorePaths, dir: string): Promise<void> {
  if (path.dirname(dir) !== paths.dataRoot) throw new SnapDeskError('internal', `refusing to remove ${dir}: not inside ${paths.dataRoot}`);
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
