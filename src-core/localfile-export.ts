/** Reading a snapshot's data out (restore, export) under a shared lease. */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { exportArchive, exportArchiveToFile } from './archive/export';
import { packDataDir } from './archive/tar-pack';
import { notFound } from './errors';
import { holdLease, type Lease } from './lease';
import type { StoreContext } from './localfile-context';
import { isCommitted, lookupSnapshot } from './localfile-read';
import type { ExportOptions, OperationOptions, SnapshotConfig } from './types';

/**
 * The data directory under a shared lease, so our own delete (and trash)
 * never removes it while it is read: resolve, take the lease (never while
 * holding the index lock), then check the snapshot is still there.
 */
async function leasedDataDir(ctx: StoreContext, ref: string): Promise<{ dir: string; config: SnapshotConfig; lease: Lease }> {
  const { id, dir, config } = await lookupSnapshot(ctx, ref);
  const lease = (await holdLease(ctx.paths, path.basename(dir), 'shared', { wait: true }))!;
  if (!(await isCommitted(ctx, id))) {
    await lease.release();
    throw notFound(ref);
  }
  return { dir, config, lease };
}

/** Releases the lease when the stream is done, however it ends. */
function leased(stream: Readable, lease: Lease): Readable {
  stream.once('close', () => void lease.release());
  return stream;
}

export async function restoreStream(ctx: StoreContext, ref: string, opts?: OperationOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
  const { dir, config, lease } = await leasedDataDir(ctx, ref);
  return { config, stream: leased(packDataDir(dir, opts), lease) };
}

export async function exportStream(ctx: StoreContext, ref: string, opts?: ExportOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
  const { dir, config, lease } = await leasedDataDir(ctx, ref);
  return { config, stream: leased(exportArchive({ dir, config }, opts), lease) };
}

export async function exportToFile(ctx: StoreContext, ref: string, file: string, opts?: ExportOptions): Promise<{ bytes: number }> {
  const { dir, config, lease } = await leasedDataDir(ctx, ref);
  try {
    return await exportArchiveToFile({ dir, config }, path.resolve(file), opts);
  } finally {
    await lease.release();
  }
}
