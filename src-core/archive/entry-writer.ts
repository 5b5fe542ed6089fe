/**
 * Writes one archive entry into a fresh file of a data directory: plain
 * entries and sparse ones alike end up with holes where the data is zero,
 * and the file gets its real size by truncation at the end.
 */
import type { FileHandle } from 'node:fs/promises';
import { SnapDeskError } from '../errors';
import type { SafeDir } from '../safe-dir';
import { invalidArchive, quoteArchiveText } from './archive-errors';
import { HoleSkippingWriter } from './buffered-writer';
import type { TarEntry, TarReader } from './tar-reader';

const READ_MAX = 4 * 1024 * 1024;

export async function writeEntryFile(tar: TarReader, entry: TarEntry, dir: SafeDir): Promise<void> {
  let fh: FileHandle;
  try {
    // O_EXCL: never follows a symlink or reuses a file; a second entry with the same name (also
    // case-folded on macOS) lands here.
    fh = await dir.createFile(entry.name, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw invalidArchive(`the archive holds the file ${quoteArchiveText(entry.name)} twice`, { entry: entry.name });
    }
    throw err;
  }
  const writer = new HoleSkippingWriter(fh);
  try {
    await fillFile(tar, entry, fh, writer);
  } catch (err) {
    throw explainWriteError(err, entry);
  } finally {
    await writer.settle();
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

async function fillFile(tar: TarReader, entry: TarEntry, fh: FileHandle, writer: HoleSkippingWriter): Promise<void> {
  const segments = entry.segments ?? [{ offset: 0, length: entry.dataSize }];
  for (const seg of segments) {
    let at = seg.offset;
    const end = seg.offset + seg.length;
    while (at < end) {
      const data = await tar.readData(Math.min(READ_MAX, end - at));
      await writer.write(data, at);
      at += data.length;
    }
  }
  await writer.close();
  await fh.truncate(entry.realSize);
  // Data reaches the disk before the record that makes it visible is committed.
  await fh.datasync();
}
