/**
 * Atomic file replacement: a temp file in the same directory, fsync, rename,
 * fsync of the directory. A crash leaves the old or the new file, never a
 * torn one. Used by the snapshot index and the trash index.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Prefix of our temp files; the same shape cocoon's atomic writer uses. */
export const TEMP_PREFIX = '.tmp-';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EBADF' && code !== 'EPERM') throw err;
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `text` atomically, mode 0644 whatever the umask. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
      await handle.chmod(0o644);
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  // The rename is durable only once the directory entry is on disk.
  await fsyncDir(dir);
}
