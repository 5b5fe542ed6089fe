/**
 * A trash transaction: the snapshot index and the trash index together,
 * under the exclusive store lock, after recovery. Recovery finishes or undoes
 * whatever move a crash interrupted, so that afterwards every snapshot is in
 * exactly one place: in the store (a record in snapshots.json, its data in
 * snapshot/localfile/) or in the trash (an entry in trash.json, its data in
 * snapshot/trash/).
 *
 * Orderings (each step durable before the next; the data directory is only
 * ever moved while both the record and the entry exist, so cocoon's GC never
 * sees a data directory without a record, nor do we lose one without an entry):
 *   trash:   entry "trashing" → move data into the trash → remove record → entry "trashed"
 *   restore: entry "restoring" → add record → move data back → remove entry
 *   purge:   entry "purging" → remove data → remove entry
 * Where the data directory is decides which way an interrupted move goes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '../atomic-write';
import { SnapDeskError } from '../errors';
import type { IndexTx } from '../index-tx';
import type { StoreContext } from '../localfile-context';
import { readTrash, trashPaths, writeTrash, type TrashEntry, type TrashIndex, type TrashPaths } from './trash-index';

/** Named points between the durable steps (tests stop a child process at one and kill it). */
export type TrashStep =
  | 'trash:entry-written'
  | 'trash:dir-moved'
  | 'trash:record-removed'
  | 'restore:entry-marked'
  | 'restore:record-added'
  | 'restore:dir-moved'
  | 'purge:marked'
  | 'purge:dir-removed';

export interface TrashStepOptions {
  /** Called after each durable step; awaited. */
  onStep?: (step: TrashStep) => void | Promise<void>;
}

export interface TrashTx {
  readonly ctx: StoreContext;
  readonly tx: IndexTx;
  readonly trash: TrashIndex;
  readonly paths: TrashPaths;
  saveTrash(): Promise<void>;
}

const exists = async (p: string): Promise<boolean> => (await fs.lstat(p).catch(() => null)) !== null;

/** Where an entry's data directory is in the trash. */
export const trashedDir = (t: TrashTx, entry: TrashEntry): string => path.join(t.paths.root, entry.dir);
/** Where an entry's data directory is in the store. */
export const storeDir = (t: TrashTx, entry: TrashEntry): string => path.join(t.ctx.paths.dataRoot, entry.dir);

/** rename(2) of a data directory, made durable in both parents. Never a copy: the trash must be on the store's file system. */
export async function moveDir(from: string, to: string): Promise<void> {
  if (await exists(to)) throw new SnapDeskError('io', `cannot move ${from} to ${to}: something is already there`, { path: to });
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EXDEV') {
      throw new SnapDeskError('io', `cannot move ${from} to ${to}: they are on different file systems, and the trash only moves data (use a permanent delete instead)`, { path: from }, { cause: err });
    }
    throw err;
  }
  await fsyncDir(path.dirname(to));
  if (path.dirname(to) !== path.dirname(from)) await fsyncDir(path.dirname(from));
}

/** Removes a directory inside the trash without following links. */
export async function removeTrashedDir(t: TrashTx, entry: TrashEntry): Promise<void> {
  const dir = trashedDir(t, entry);
  if (path.dirname(dir) !== t.paths.root) throw new SnapDeskError('internal', `refusing to remove ${dir}: not inside ${t.paths.root}`);
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Finishes or undoes every interrupted move; returns the IDs whose entry went away. */
export async function recoverTrash(t: TrashTx): Promise<void> {
  let trashChanged = false;
  for (const [id, entry] of [...t.trash.entries]) {
    if (entry.state === 'trashed') {
      // Data removed from the trash by someone else: nothing is left to restore.
      if (entry.has_data && !(await exists(trashedDir(t, entry)))) {
        t.trash.entries.delete(id);
        trashChanged = true;
      }
      continue;
    }
    if (entry.state === 'purging') {
      await removeTrashedDir(t, entry);
      t.trash.entries.delete(id);
      trashChanged = true;
      continue;
    }
    const rec = t.tx.get(id);
    if (entry.state === 'trashing') {
      const moved = entry.has_data ? await exists(trashedDir(t, entry)) : rec === undefined;
      if (moved) {
        t.tx.delete(id);
        entry.state = 'trashed';
      } else {
        t.trash.entries.delete(id);
      }
      trashChanged = true;
      continue;
    }
    // restoring
    const back = entry.has_data ? (await exists(storeDir(t, entry))) && !(await exists(trashedDir(t, entry))) : rec !== undefined;
    if (back) {
      t.trash.entries.delete(id);
    } else {
      if (rec) t.tx.delete(id);
      entry.state = 'trashed';
      delete entry.restore_name;
    }
    trashChanged = true;
  }
  // The snapshot index first: an entry may say "trashed" only once the record is gone for good.
  if (t.tx.changed) await t.tx.save();
  if (trashChanged) await t.saveTrash();
}

/** The trash beside an open write transaction of the snapshot index, recovered. */
export async function openTrashTx(ctx: StoreContext, tx: IndexTx): Promise<TrashTx> {
  const paths = trashPaths(ctx.paths);
  const trash = await readTrash(paths);
  const t: TrashTx = { ctx, tx, trash, paths, saveTrash: () => writeTrash(paths, trash) };
  if (trash.entries.size > 0) await recoverTrash(t);
  return t;
}

/** Runs fn on both indexes under the exclusive store lock, after recovery. */
export function withTrash<T>(ctx: StoreContext, fn: (t: TrashTx) => Promise<T>): Promise<T> {
  return ctx.index.write(async (tx) => fn(await openTrashTx(ctx, tx)));
}
