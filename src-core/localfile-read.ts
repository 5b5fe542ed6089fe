/** Reading the localfile store: list, summaries with disk usage, inspect, and ref lookup. */
import { SnapDeskError, toSnapDeskError } from './errors';
import type { StoreContext } from './localfile-context';
import { toConfig, toSnapshot, type StoredRecord } from './record';
import { safeDataDir } from './safe-dir';
import type { Snapshot, SnapshotConfig, SnapshotDetails, SnapshotSummary } from './types';
import { dirUsage, mapLimit } from './usage';
import type { UsageCache } from './usage-cache';

/** How many data directories listSummaries stats at once. */
const USAGE_CONCURRENCY = 8;

/**
 * Oldest first; RFC 3339 times with different offsets compare by instant,
 * ties by ID. Each time is parsed once, not in every comparison.
 */
export function sortByCreation<T>(items: T[], snapshotOf: (item: T) => Snapshot): T[] {
  const keyed = items.map((item) => {
    const snapshot = snapshotOf(item);
    return { item, at: Date.parse(snapshot.created_at), id: snapshot.id };
  });
  keyed.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((k) => k.item);
}

export function listSnapshots(ctx: StoreContext): Promise<Snapshot[]> {
  return ctx.index.read((tx) =>
    sortByCreation(
      tx.committed().map(([id, rec]) => toSnapshot(rec.data, id)),
      (s) => s,
    ),
  );
}

export async function listSummaries(ctx: StoreContext, usageCache: UsageCache): Promise<SnapshotSummary[]> {
  const rows = await ctx.index.read((tx) =>
    sortByCreation(
      tx.committed().map(([id, rec]): { snapshot: Snapshot; rec: StoredRecord } => ({ snapshot: toSnapshot(rec.data, id), rec })),
      (r) => r.snapshot,
    ),
  );
  usageCache.retainOnly(new Set(rows.map((r) => r.snapshot.id)));
  // Usage is measured outside the lock: it is advisory, and statting many directories must not hold up writers.
  return mapLimit(rows, USAGE_CONCURRENCY, async ({ snapshot, rec }) => {
    try {
      const dir = await safeDataDir(ctx.paths, snapshot.id, rec.data, false);
      return { ...snapshot, usage: await usageCache.usage(snapshot.id, dir) };
    } catch {
      return { ...snapshot, usage: null };
    }
  });
}

export function inspectSnapshot(ctx: StoreContext, ref: string): Promise<SnapshotDetails> {
  return ctx.index.read(async (tx) => {
    const id = tx.resolve(ref);
    const rec = tx.require(id);
    const dir = await safeDataDir(ctx.paths, id, rec.data, true);
    const { files, usage } = await dirUsage(dir).catch((err: unknown) => {
      throw new SnapDeskError('io', `cannot read the data directory ${dir} of snapshot ${id}: ${toSnapDeskError(err).message}`, { id, path: dir }, { cause: err });
    });
    return { ...toSnapshot(rec.data, id), data_dir: dir, files, usage };
  });
}

/** A committed snapshot's ID, safe data directory and config. */
export function lookupSnapshot(ctx: StoreContext, ref: string): Promise<{ id: string; dir: string; config: SnapshotConfig }> {
  return ctx.index.read(async (tx) => {
    const id = tx.resolve(ref);
    const rec = tx.require(id);
    return { id, dir: await safeDataDir(ctx.paths, id, rec.data, true), config: toConfig(rec.data) };
  });
}

/** Whether the snapshot is still in the index and committed (a check after taking its lease). */
export function isCommitted(ctx: StoreContext, id: string): Promise<boolean> {
  return ctx.index.read((tx) => {
    const rec = tx.get(id);
    return rec !== undefined && !rec.data.pending;
  });
}
