/** Durability barrier before a commit: data files, then the directory, then its parent. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

async function fsyncPath(p: string, flags: string): Promise<void> {
  const handle = await fs.open(p, flags);
  try {
    await handle.sync();
  } catch (err) {
    // Directories cannot be fsynced everywhere; their entries are then as durable as the platform makes them.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EBADF' && code !== 'EPERM' && code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}

/** fsyncs every regular file directly in dir (data dirs are flat), then dir and its parent. */
export async function syncDataDir(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) if (e.isFile()) await fsyncPath(path.join(dir, e.name), 'r');
  await fsyncPath(dir, 'r');
  await fsyncPath(path.dirname(dir), 'r');
}
