/** Permanent delete (cocoon's `snapshot rm`): leases first, then each directory, then its record. */
import path from 'node:path';
import { SnapDeskError } from './errors';
import { leaseForRemoval, type Lease } from './lease';
import type { StoreContext } from './localfile-context';
import { removeDataDir, safeDataDir } from './safe-dir';

/** Exclusive leases on every data directory, or a `locked` error naming the first one in use (and none kept). */
export async function leasesForRemoval(ctx: StoreContext, ids: string[], dirs: string[]): Promise<Lease[]> {
  const leases: Lease[] = [];
  for (const [i, id] of ids.entries()) {
    const lease = await leaseForRemoval(ctx.paths, path.basename(dirs[i]!));
    if (!lease) {
      await Promise.all(leases.map((l) => l.release()));
      throw new SnapDeskError('locked', `snapshot ${id} is in use (an export, restore or clone is reading it); try again when it finishes`, { id });
    }
    leases.push(lease);
  }
  return leases;
}

export function deleteSnapshots(ctx: StoreContext, refs: string[]): Promise<string[]> {
  return ctx.index.write(async (tx) => {
    // All or nothing up front: every ref resolves, every directory is safe and none is in use before anything is removed.
    const ids = tx.resolveMany(refs);
    const dirs = await Promise.all(ids.map((id) => safeDataDir(ctx.paths, id, tx.require(id).data, false)));
    const leases = await leasesForRemoval(ctx, ids, dirs);
    const deleted: string[] = [];
    try {
      for (const [i, id] of ids.entries()) {
        // Directory first, then the record, as cocoon does: a crash in between leaves a record a second delete removes.
        await removeDataDir(ctx.paths, dirs[i]!);
        tx.delete(id);
        await tx.save();
        // The snapshot is gone: its lease file goes too (held exclusively, so nobody waits on it).
        await leases[i]!.discard();
        deleted.push(id);
      }
    } finally {
      await Promise.all(leases.map((l) => l.release()));
    }
    return deleted;
  });
}
