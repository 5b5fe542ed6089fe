/** What the trash holds, and its settings. */
import { SnapDeskError } from '../errors';
import type { StoreContext } from '../localfile-context';
import { toSnapshot } from '../record';
import type { Snapshot } from '../types';
import { DAY_MS, MAX_RETENTION_DAYS, readTrash, trashPaths, writeTrash, type TrashSettings } from './trash-index';
import { freeBytes } from './trash-purge';
import { withTrash } from './trash-tx';

export interface TrashItem {
  /** The snapshot as it was (ID, name, config, created_at). */
  snapshot: Snapshot;
  /** RFC 3339 time it was moved to the trash. */
  deletedAt: string;
  /** When retention deletes it for ever (RFC 3339). */
  purgeAt: string;
  /** Allocated bytes of its data. */
  size: number;
}

export interface TrashSummary {
  items: TrashItem[];
  /** Sum of the items' sizes. */
  totalSize: number;
  settings: TrashSettings;
  /** Free bytes on the store's file system (null where unknown). */
  freeBytes: number | null;
}

/** Newest first. Runs recovery first, so what is listed is where it says. */
export function listTrash(ctx: StoreContext): Promise<TrashSummary> {
  return withTrash(ctx, async (t) => {
    const items: TrashItem[] = [];
    for (const [id, e] of t.trash.entries) {
      if (e.state !== 'trashed') continue;
      const deleted = Date.parse(e.deleted_at);
      items.push({ snapshot: toSnapshot(e.record.data, id), deletedAt: e.deleted_at, purgeAt: new Date(deleted + t.trash.settings.retentionDays * DAY_MS).toISOString(), size: e.size });
    }
    items.sort((a, b) => Date.parse(b.deletedAt) - Date.parse(a.deletedAt) || (a.snapshot.id < b.snapshot.id ? -1 : 1));
    return { items, totalSize: items.reduce((n, i) => n + i.size, 0), settings: { ...t.trash.settings }, freeBytes: await freeBytes(ctx.paths.root) };
  });
}

export function trashSettings(ctx: StoreContext): Promise<TrashSettings> {
  return ctx.index.read(async () => ({ ...(await readTrash(trashPaths(ctx.paths))).settings }));
}

/** Stores retention and the free-space threshold in the trash index, so the app and the CLI apply the same ones. */
export async function setTrashSettings(ctx: StoreContext, patch: Partial<TrashSettings>): Promise<TrashSettings> {
  if (patch.retentionDays !== undefined && !(Number.isInteger(patch.retentionDays) && patch.retentionDays >= 0 && patch.retentionDays <= MAX_RETENTION_DAYS)) {
    throw new SnapDeskError('invalid_input', `the trash retention must be a whole number of days from 0 to ${MAX_RETENTION_DAYS}`, { field: 'retentionDays' });
  }
  if (patch.minFreeBytes !== undefined && !(Number.isSafeInteger(patch.minFreeBytes) && patch.minFreeBytes >= 0)) {
    throw new SnapDeskError('invalid_input', 'the free-space threshold must be a whole number of bytes, 0 or more', { field: 'minFreeBytes' });
  }
  return ctx.index.write(async () => {
    const paths = trashPaths(ctx.paths);
    const trash = await readTrash(paths);
    if (patch.retentionDays !== undefined) trash.settings.retentionDays = patch.retentionDays;
    if (patch.minFreeBytes !== undefined) trash.settings.minFreeBytes = patch.minFreeBytes;
    await writeTrash(paths, trash);
    return { ...trash.settings };
  });
}
