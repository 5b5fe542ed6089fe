/** What a snapshot's data files cost: apparent size and really allocated blocks. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataFileInfo, DiskUsage } from './types';

/** st_blocks counts 512-byte units on every POSIX system; where it is missing (Windows) the apparent size stands in. */
const allocatedOf = (st: { blocks?: number; size: number }): number => (typeof st.blocks === 'number' && Number.isFinite(st.blocks) ? st.blocks * 512 : st.size);

export function sumUsage(files: readonly DataFileInfo[]): DiskUsage {
  let size = 0;
  let allocated = 0;
  for (const f of files) {
    size += f.size;
    allocated += f.allocated;
  }
  return { size, allocated };
}

/** The regular files directly in dir (data dirs are flat), by name; symlinks and subdirectories are not data. */
export async function dataFiles(dir: string): Promise<DataFileInfo[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: DataFileInfo[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const st = await fs.lstat(path.join(dir, e.name));
    if (!st.isFile()) continue;
    files.push({ name: e.name, size: st.size, allocated: allocatedOf(st) });
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function dirUsage(dir: string): Promise<{ files: DataFileInfo[]; usage: DiskUsage }> {
  const files = await dataFiles(dir);
  return { files, usage: sumUsage(files) };
}

/** Maps with at most `limit` calls in flight, keeping order: statting thousands of snapshots must not open thousands of dirs at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
