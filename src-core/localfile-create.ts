/**
 * Two-phase create (create and import): a pending record first, then the
 * data directory, then commit or roll back. Long work (extracting) happens
 * outside the store lock, protected by the pending record and the build lease.
 */
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { extractDataTar } from './archive/tar-extract';
import { cancelled, SnapDeskError, toSnapDeskError } from './errors';
import { assertSnapshotId } from './ids';
import { holdLease, leaseForRemoval, type Lease } from './lease';
import type { StoreContext } from './localfile-context';
import { validateDescription, validateName } from './names';
import { dataDirFor } from './paths';
import { toSnapshot, validateConfig } from './record';
import type { Reservation } from './reservation';
import { removedFromUnder } from './localfile-removed';
import { removeDataDir } from './safe-dir';
import { syncDataDir } from './sync';
import type { OperationOptions, Snapshot, SnapshotConfig } from './types';

/** Data directories hold guest memory and disks: owner and group only, as cocoon creates them. */
export const DATA_DIR_MODE = 0o750;

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}

/**
 * Registers a pending record (holding its name), and only then creates the
 * empty data directory: a crash between the two leaves a pending record GC
 * can find, never a directory GC would take for an orphan mid-write.
 */
export async function reserveSnapshot(ctx: StoreContext, input: SnapshotConfig): Promise<Reservation> {
  const cfg = validateConfig(input);
  const id = assertSnapshotId(cfg.id);
  validateName(cfg.name);
  if (cfg.description !== undefined) validateDescription(cfg.description);
  const dir = dataDirFor(ctx.paths, id);
  const lease = await ctx.index.write(async (tx) => {
    const created_at = new Date(ctx.now()).toISOString();
    tx.put(id, { data: { ...cfg, id, created_at, pending: true, data_dir: dir }, extra: [] });
    await tx.save();
    let madeDir = false;
    try {
      await fs.mkdir(ctx.paths.dataRoot, { recursive: true, mode: 0o755 });
      // Not recursive: an existing directory of this ID must not be adopted.
      await fs.mkdir(dir, { mode: DATA_DIR_MODE });
      madeDir = true;
      // The build lease marks the reservation as alive; if this process dies the kernel drops it and GC may reap at once.
      const held = await holdLease(ctx.paths, id, 'exclusive', { wait: false });
      if (!held) throw new SnapDeskError('locked', `snapshot ${id} is in use by another process`, { id });
      return held;
    } catch (err) {
      if (madeDir) await removeDataDir(ctx.paths, dir).catch(() => undefined);
      tx.delete(id);
      await tx.save();
      throw toSnapDeskError(err);
    }
  });
  return reservation(ctx, id, dir, { ...cfg, id }, lease);
}

function reservation(ctx: StoreContext, id: string, dir: string, config: SnapshotConfig, lease: Lease): Reservation {
  let state: 'open' | 'committed' | 'rolledBack' = 'open';
  let committed: Snapshot | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  // Calls are chained so a commit racing a rollback (an abort at the last moment) runs one after the other.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = inFlight.then(fn, fn);
    inFlight = p.catch(() => undefined);
    return p;
  };
  return {
    id,
    dir,
    config,
    commit: () =>
      serial(async () => {
        if (state === 'committed' && committed) return committed;
        if (state === 'rolledBack') throw new SnapDeskError('internal', `snapshot ${id} was rolled back and cannot be committed`);
        // Data reaches the disk before the record says it is there.
        await syncDataDir(dir);
        committed = await ctx.index.write((tx) => {
          const rec = tx.get(id);
          if (!rec) throw new SnapDeskError('io', `the pending record of snapshot ${id} disappeared from the index before it was committed`, { id });
          delete rec.data.pending;
          tx.touch();
          return toSnapshot(rec.data, id);
        });
        state = 'committed';
        await lease.release();
        return committed;
      }),
    rollback: () =>
      serial(async () => {
        if (state === 'rolledBack') return;
        // After a commit, rollback undoes it (an import cancelled at the very
        // last moment must not leave its snapshot behind), but, like delete,
        // not while someone is reading it.
        await ctx.index.write(async (tx) => {
          const held = state === 'open' ? lease : await leaseForRemoval(ctx.paths, id);
          if (!held) throw new SnapDeskError('locked', `snapshot ${id} is already in use and cannot be rolled back; delete it when it is free`, { id });
          await removeDataDir(ctx.paths, dir);
          tx.delete(id);
          // The snapshot is gone: its lease file goes too.
          await held.discard();
        });
        state = 'rolledBack';
      }),
  };
}

export async function createSnapshot(ctx: StoreContext, cfg: SnapshotConfig, tarStream: Readable, opts: OperationOptions = {}): Promise<string> {
  throwIfAborted(opts.signal, 'create');
  const reserved = await reserveSnapshot(ctx, cfg);
  try {
    throwIfAborted(opts.signal, 'create');
    // A stream that already failed while we reserved would never emit again.
    if (tarStream.destroyed) throw tarStream.errored ?? new SnapDeskError('io', 'the data stream closed before it was read');
    await extractDataTar(tarStream, reserved.dir, opts);
    throwIfAborted(opts.signal, 'create');
    await reserved.commit();
    return reserved.id;
  } catch (err) {
    tarStream.destroy();
    const interrupted = await removedFromUnder(ctx, reserved, 'create');
    await reserved.rollback();
    throw interrupted && !opts.signal?.aborted ? interrupted : toSnapDeskError(err);
  }
}
