/**
 * Writes one archive entry into a fresh file of a data directory: plain
 * entries and sparse ones alike end up with holes where the map says so or
 * the data has long zero runs, the file gets its real size by truncation at
 * the end, and the entry's permission bits (never setuid, setgid or sticky).
 */
import type { FileHandle } from 'node:fs/promises';
import { SnapDeskError } from '../errors';
import type { SafeDir } from '../safe-dir';
import { invalidArchive, quoteArchiveText } from './archive-errors';
import { writeFileBody } from './file-body';
import type { TarEntry, TarReader } from './tar-reader';

/** The permission bits kept from an archive entry: rwx for owner, group and others, nothing else. */
export const PERMISSION_BITS = 0o777;

export async function writeEntryFile(tar: TarReader, entry: TarEntry, dir: SafeDir): Promise<void> {
  let fh: FileHandle;
  try {
    // O_EXCL: never follows a symlink or reuses a file; a second entry with the same name (also
    // case-folded on macOS) lands here.
    fh = await dir.createFile(entry.name, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw invalidArchive(`the archive holds the file ${quoteArchiveText(entry.name)} twice`, { entry: entry.name });
    }
    throw err;
  }
  try {
    await writeFileBody((max) => tar.readData(max), fh, entry.segments ?? [{ offset: 0, length: entry.dataSize }], entry.realSize);
    // Set at the end, exactly (umask does not apply to chmod): a read-only entry is still written.
    await fh.chmod(entry.mode & PERMISSION_BITS);
  } catch (err) {
    throw explainWriteError(err, entry);
  } finally {
    await fh.close();
  }
}

/** Disk errors name the file being written, which is what a person needs to act on. */
function explainWriteError(err: unknown, entry: TarEntry): unknown {
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  const name = quoteArchiveText(entry.name);
  if (errno === 'EFBIG') {
    return new SnapDeskError(
      'no_space',
      `${name} is ${entry.realSize} bytes, larger than the store's file system allows for one file; import onto a file system that takes files this large`,
      { entry: entry.name, errno },
      { cause: err },
    );
  }
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new SnapDeskError('no_space', `not enough disk space to write ${name} (${errno}); free some space and import again`, { entry: entry.name, errno }, { cause: err });
  }
  return err;
}
