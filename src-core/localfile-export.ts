/**
 * Reading a snapshot's data out (restore, export). Two guards: a shared
 * lease, so no Snapshot Desk process deletes or trashes the snapshot while it
 * is read; and, because cocoon ignores our leases, every data file is opened
 * before the first byte is written, so a `cocoon snapshot rm` that starts
 * afterwards cannot shorten the archive (open files stay readable in full).
 */
import type { FileHandle } from 'node:fs/promises';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { exportArchive, exportArchiveToFile } from './archive/export';
import { openDataFile, packDataDir, type OpenedDataFiles } from './archive/tar-pack';
import { notFound, SnapDeskError } from './errors';
import { holdLease, type Lease } from './lease';
import type { StoreContext } from './localfile-context';
import { isCommitted, lookupSnapshot } from './localfile-read';
import type { ExportOptions, OperationOptions, SnapshotConfig } from './types';

interface OpenSnapshot {
  dir: string;
  config: SnapshotConfig;
  opened: OpenedDataFiles;
  /** Closes the files and releases the lease; safe to call more than once. */
  close(): Promise<void>;
}

async function closeAll(handles: Iterable<FileHandle>): Promise<void> {
  await Promise.all([...handles].map((fh) => fh.close().catch(() => undefined)));
}

/** Opens every entry of a data directory (all or none). */
async function openDataFiles(dir: string): Promise<Map<string, FileHandle>> {
  const opened = new Map<string, FileHandle>();
  try {
    for (const name of await fs.readdir(dir)) opened.set(name, await openDataFile(path.join(dir, name)));
  } catch (err) {
    await closeAll(opened.values());
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SnapDeskError('not_found', `the data of this snapshot was removed by another program (${dir}) just as it was about to be read; nothing was written`, { path: dir });
    }
    throw err;
  }
  return opened;
}

/**
 * Resolve, take the shared lease (never while holding the index lock), open
 * every data file, then check the snapshot is still there: from then on the
 * data is ours to read in full, whoever removes it.
 */
async function openSnapshot(ctx: StoreContext, ref: string): Promise<OpenSnapshot> {
  const { id, dir, config } = await lookupSnapshot(ctx, ref);
  const lease: Lease = (await holdLease(ctx.paths, path.basename(dir), 'shared', { wait: true }))!;
  let opened: Map<string, FileHandle> | null = null;
  try {
    opened = await openDataFiles(dir);
    if (!(await isCommitted(ctx, id))) throw notFound(ref);
  } catch (err) {
    if (opened) await closeAll(opened.values());
    await lease.release();
    throw err;
  }
  const files = opened;
  let closed: Promise<void> | null = null;
  return {
    dir,
    config,
    opened: files,
    close: () => (closed ??= closeAll(files.values()).then(() => lease.release())),
  };
}

/** Closes files and lease when the stream is done, however it ends. */
function closingWith(stream: Readable, snapshot: OpenSnapshot): Readable {
  stream.once('close', () => void snapshot.close());
  return stream;
}

export async function restoreStream(ctx: StoreContext, ref: string, opts: OperationOptions = {}): Promise<{ config: SnapshotConfig; stream: Readable }> {
  const snapshot = await openSnapshot(ctx, ref);
  return { config: snapshot.config, stream: closingWith(packDataDir(snapshot.dir, { ...opts, opened: snapshot.opened }), snapshot) };
}

export async function exportStream(ctx: StoreContext, ref: string, opts?: ExportOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
  const snapshot = await openSnapshot(ctx, ref);
  try {
    return { config: snapshot.config, stream: closingWith(exportArchive({ dir: snapshot.dir, config: snapshot.config, opened: snapshot.opened }, opts), snapshot) };
  } catch (err) {
    await snapshot.close();
    throw err;
  }
}

export async function exportToFile(ctx: StoreContext, ref: string, file: string, opts?: ExportOptions): Promise<{ bytes: number }> {
  const snapshot = await openSnapshot(ctx, ref);
  try {
    return await exportArchiveToFile({ dir: snapshot.dir, config: snapshot.config, opened: snapshot.opened }, path.resolve(file), opts);
  } finally {
    await snapshot.close();
  }
}
