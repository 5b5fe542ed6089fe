/**
 * Garbage collection, under the exclusive lock: the trash is recovered and
 * purged (retention, free space, directories no entry owns); then data directories with no
 * record (orphans) and pending records that are crash remnants (older than
 * 24 h, or whose owner's build lease is free: see lease.ts) go, with their
 * data. An operation in progress is never touched: reserve writes its
 * pending record before it creates the directory, so a directory without a
 * record is never one being filled; a fresh pending record protects its
 * directory; and a held lease protects a directory from removal.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TEMP_PREFIX } from './index-file';
import { LEASE_SUFFIX, leaseForRemoval, noLease, probeLease, type Lease } from './lease';
import type { StoreContext } from './localfile-context';
import type { StorePaths } from './paths';
import { removeDataDir, safeDataDir } from './safe-dir';
import { purgeDueIn, removeTrashOrphans } from './trash/trash-purge';
import { openTrashTx } from './trash/trash-tx';
import type { GcReport } from './types';

/** A pending record this old is a crash remnant, not a create in progress (cocoon's rule). */
export const STALE_PENDING_MS = 24 * 60 * 60 * 1000;
/** Index temp files (snapshots.json's, trash.json's) older than this are left over from a crash mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;

async function removeStaleTempFiles(dir: string, now: number): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const file = path.join(dir, name);
    const st = await fs.lstat(file).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
  }
}

/**
 * Whether a pending record is a crash remnant: older than 24 h (cocoon's
 * rule, the only one for records of creators without leases), or its build
 * lease exists and nobody holds it, which means the process that reserved it
 * has died. Returns the lease to hold while removing it, or null to keep it.
 */
async function staleLease(ctx: StoreContext, dirName: string, createdAt: string, now: number): Promise<Lease | null> {
  const probe = await probeLease(ctx.paths, dirName);
  if (probe.state === 'busy') return null;
  if (probe.state === 'held') return probe.lease;
  return now - Date.parse(createdAt) > STALE_PENDING_MS ? noLease() : null;
}

/** Lease files of snapshots that are gone (deleted, or rolled back by a crash), when nobody holds them. */
async function removeOrphanLeases(paths: StorePaths, referenced: ReadonlySet<string>): Promise<void> {
  const entries = await fs.readdir(paths.dataRoot, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(LEASE_SUFFIX)) continue;
    const dirName = e.name.slice(0, -LEASE_SUFFIX.length);
    if (referenced.has(dirName) || (await fs.lstat(path.join(paths.dataRoot, dirName)).catch(() => null))) continue;
    const lease = await leaseForRemoval(paths, dirName);
    await lease?.discard();
  }
}

export function collectGarbage(ctx: StoreContext): Promise<GcReport> {
  const { paths } = ctx;
  return ctx.index.write(async (tx) => {
    const now = ctx.now();
    const report: GcReport = { removedOrphanDirs: [], removedStalePending: [] };
    // The trash first: recovery finishes interrupted moves (which may remove records) before anything is judged.
    const trash = await openTrashTx(ctx, tx);
    const purged = await purgeDueIn(trash);
    await removeTrashOrphans(trash);
    if (purged.length > 0) report.purgedFromTrash = purged.sort();

    for (const [id, rec] of tx.pending()) {
      // An unsafe data_dir is not ours to remove (nor to probe); only its age counts, and the record still goes.
      const dir = await safeDataDir(paths, id, rec.data, false).catch(() => null);
      const lease = dir ? await staleLease(ctx, path.basename(dir), rec.data.created_at, now) : now - Date.parse(rec.data.created_at) > STALE_PENDING_MS ? noLease() : null;
      if (!lease) continue;
      try {
        if (dir) await removeDataDir(paths, dir);
      } catch (err) {
        await lease.release();
        throw err;
      }
      await lease.discard();
      tx.delete(id);
      report.removedStalePending.push(id);
    }
    // A name left pointing at no record would block that name for ever.
    tx.dropDanglingNames();
    if (tx.changed) await tx.save();

    const referenced = new Set<string>();
    for (const [id, rec] of tx.all()) {
      referenced.add(id);
      const dir = await safeDataDir(paths, id, rec.data, false).catch(() => null);
      if (dir) referenced.add(path.basename(dir));
    }
    const entries = await fs.readdir(paths.dataRoot, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory() || referenced.has(e.name)) continue;
      // A directory someone holds a lease on is in use (a build that has not written its record yet); next time.
      const lease = await leaseForRemoval(paths, e.name);
      if (!lease) continue;
      try {
        await removeDataDir(paths, path.join(paths.dataRoot, e.name));
      } catch (err) {
        await lease.release();
        throw err;
      }
      await lease.discard();
      report.removedOrphanDirs.push(e.name);
    }
    await removeOrphanLeases(paths, referenced);
    await removeStaleTempFiles(paths.dbDir, now);
    await removeStaleTempFiles(trash.paths.root, now);
    report.removedOrphanDirs.sort();
    report.removedStalePending.sort();
    return report;
  });
}
