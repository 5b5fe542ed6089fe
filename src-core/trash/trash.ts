/**
 * Deletes you can undo: the trash of one store. Moving to the trash takes
 * the record out of snapshots.json at once (cocoon and `snapdesk list` no
 * longer see the snapshot) and moves its data directory, on the same file
 * system, to snapshot/trash/. See trash-tx.ts for the crash-safe orderings.
 */
import type { StoreContext } from '../localfile-context';
import type { Snapshot } from '../types';
import type { TrashSettings } from './trash-index';
import { listTrash, setTrashSettings, trashSettings, type TrashSummary } from './trash-list';
import { moveToTrash, restoreFromTrash, type RestoreOptions } from './trash-move';
import { deleteForever, emptyTrash, purgeDue } from './trash-purge';
import type { TrashStepOptions } from './trash-tx';

export class Trash {
  constructor(private readonly ctx: StoreContext) {}

  /** What is in the trash, newest first (runs crash recovery first). */
  list(): Promise<TrashSummary> {
    return listTrash(this.ctx);
  }

  /** Moves snapshots to the trash (all refs resolve and none is in use, or nothing moves). Returns their IDs. */
  moveToTrash(refs: string[], opts?: TrashStepOptions): Promise<string[]> {
    return moveToTrash(this.ctx, refs, opts);
  }

  /** Restores one snapshot with its ID; a taken name is a name_conflict whose details suggest a free one. */
  restore(ref: string, opts?: RestoreOptions): Promise<Snapshot> {
    return restoreFromTrash(this.ctx, ref, opts);
  }

  /** Deletes trashed snapshots for ever. */
  deleteForever(refs: string[], opts?: TrashStepOptions): Promise<string[]> {
    return deleteForever(this.ctx, refs, opts);
  }

  /** Deletes everything in the trash for ever. */
  empty(opts?: TrashStepOptions): Promise<string[]> {
    return emptyTrash(this.ctx, opts);
  }

  /** Applies retention and the free-space threshold now. */
  purgeDue(): Promise<string[]> {
    return purgeDue(this.ctx);
  }

  settings(): Promise<TrashSettings> {
    return trashSettings(this.ctx);
  }

  setSettings(patch: Partial<TrashSettings>): Promise<TrashSettings> {
    return setTrashSettings(this.ctx, patch);
  }
}

export type { TrashSettings } from './trash-index';
export type { TrashItem, TrashSummary } from './trash-list';
export type { RestoreOptions } from './trash-move';
export type { TrashStep, TrashStepOptions } from './trash-tx';
export { DEFAULT_MIN_FREE_BYTES, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from './trash-index';
