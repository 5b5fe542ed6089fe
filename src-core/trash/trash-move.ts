/** Moving snapshots into the trash, and back out. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SnapDeskError, toSnapDeskError } from '../errors';
import type { StoreContext } from '../localfile-context';
import { leasesForRemoval } from '../localfile-delete';
import { validateName } from '../names';
import { freeName } from '../rules';
import { toSnapshot, type StoredRecord } from '../record';
import { safeDataDir } from '../safe-dir';
import type { Snapshot } from '../types';
import { dirUsage } from '../usage';
import { moveDir, storeDir, trashedDir, withTrash, type TrashStepOptions, type TrashTx } from './trash-tx';
import { resolveTrashRef } from './trash-ref';

async function allocatedBytes(dir: string): Promise<number> {
  return dirUsage(dir).then(
    (u) => u.usage.allocated,
    () => 0,
  );
}

/**
 * Moves snapshots into the trash: all refs resolve and none is in use
 * before anything moves. The records leave snapshots.json (cocoon no longer
 * sees them), the data directories move under snapshot/trash/. Returns the IDs.
 */
export function moveToTrash(ctx: StoreContext, refs: string[], opts: TrashStepOptions = {}): Promise<string[]> {
  return withTrash(ctx, async (t) => {
    const ids = t.tx.resolveMany(refs);
    const dirs = await Promise.all(ids.map((id) => safeDataDir(ctx.paths, id, t.tx.require(id).data, false)));
    for (const id of ids) {
      if (t.trash.entries.has(id)) throw new SnapDeskError('invalid_input', `snapshot ${id} is already in the trash; delete that one for ever first`, { id });
    }
    const leases = await leasesForRemoval(ctx, ids, dirs);
    const moved: string[] = [];
    try {
      for (const [i, id] of ids.entries()) {
        await trashOne(t, id, dirs[i]!, opts);
        // The snapshot left the store: its lease file goes too (we hold it exclusively, nobody waits on it).
        await leases[i]!.discard();
        moved.push(id);
      }
    } finally {
      await Promise.all(leases.map((l) => l.release()));
    }
    return moved;
  });
}

async function trashOne(t: TrashTx, id: string, dir: string, opts: TrashStepOptions): Promise<void> {
  const record: StoredRecord = t.tx.require(id);
  const st = await fs.lstat(dir).catch(() => null);
  const entry = {
    state: 'trashing' as const,
    deleted_at: new Date(t.ctx.now()).toISOString(),
    dir: path.basename(dir),
    has_data: st !== null,
    size: st?.isDirectory() ? await allocatedBytes(dir) : 0,
    record,
  };
  t.trash.entries.set(id, entry);
  await t.saveTrash();
  await opts.onStep?.('trash:entry-written');
  let movedData = false;
  try {
    if (entry.has_data) {
      await fs.mkdir(t.paths.root, { recursive: true, mode: 0o750 });
      await moveDir(dir, trashedDir(t, entry));
      movedData = true;
      await opts.onStep?.('trash:dir-moved');
    }
    t.tx.delete(id);
    await t.tx.save();
  } catch (err) {
    // Undo what this snapshot's move did; if even that fails, recovery decides by where the data is.
    if (movedData) await moveDir(trashedDir(t, entry), dir).catch(() => undefined);
    if (!movedData || !(await fs.lstat(trashedDir(t, entry)).catch(() => null))) {
      t.trash.entries.delete(id);
      await t.saveTrash().catch(() => undefined);
    }
    throw toSnapDeskError(err);
  }
  await opts.onStep?.('trash:record-removed');
  t.trash.entries.set(id, { ...entry, state: 'trashed' });
  await t.saveTrash();
}

export interface RestoreOptions extends TrashStepOptions {
  /** A new name (the old one may have been taken meanwhile); "" restores it unnamed. */
  name?: string;
}

/** A name_conflict that also says which name is free, for the rename prompt. */
function restoreNameConflict(name: string, holder: string, suggestedName: string): SnapDeskError {
  return new SnapDeskError(
    'name_conflict',
    `cannot restore "${name}": a snapshot of that name exists now; restore it under another name (for example "${suggestedName}")`,
    { name, existingId: holder, suggestedName },
  );
}

/** Puts a snapshot back with its ID (and, unless told otherwise, its name). */
export function restoreFromTrash(ctx: StoreContext, ref: string, opts: RestoreOptions = {}): Promise<Snapshot> {
  if (opts.name !== undefined) validateName(opts.name);
  return withTrash(ctx, async (t) => {
    const id = resolveTrashRef(t.trash, ref);
    const entry = t.trash.entries.get(id)!;
    const name = opts.name ?? entry.record.data.name;
    if (t.tx.get(id)) throw new SnapDeskError('invalid_input', `cannot restore ${id}: the store holds a snapshot with that ID`, { id });
    const holder = t.tx.nameHolder(name);
    if (holder !== undefined) throw restoreNameConflict(name, holder, freeName(name, (c) => t.tx.nameHolder(c) !== undefined));
    const target = storeDir(t, entry);
    if (entry.has_data && (await fs.lstat(target).catch(() => null))) {
      throw new SnapDeskError('io', `cannot restore ${id}: ${target} already exists in the store`, { id, path: target });
    }
    entry.state = 'restoring';
    entry.restore_name = name;
    await t.saveTrash();
    await opts.onStep?.('restore:entry-marked');
    const data = { ...entry.record.data, name, data_dir: target };
    delete data.pending;
    const record: StoredRecord = { data, extra: entry.record.extra };
    try {
      t.tx.put(id, record);
      await t.tx.save();
      await opts.onStep?.('restore:record-added');
      if (entry.has_data) {
        await fs.mkdir(ctx.paths.dataRoot, { recursive: true, mode: 0o755 });
        await moveDir(trashedDir(t, entry), target);
        await opts.onStep?.('restore:dir-moved');
      }
    } catch (err) {
      // Back to the trash: the record goes (if it was added), the entry says "trashed" again.
      if (!entry.has_data || !(await fs.lstat(target).catch(() => null))) {
        if (t.tx.get(id) === record) {
          t.tx.delete(id);
          await t.tx.save().catch(() => undefined);
        }
        entry.state = 'trashed';
        delete entry.restore_name;
        await t.saveTrash().catch(() => undefined);
      }
      throw toSnapDeskError(err);
    }
    t.trash.entries.delete(id);
    await t.saveTrash();
    return toSnapshot(record.data, id);
  });
}
