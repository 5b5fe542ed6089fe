/** Deleting from the trash for ever: by ref, all of it, or what retention and low free space say must go. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreContext } from '../localfile-context';
import { DAY_MS } from './trash-index';
import { resolveTrashRef } from './trash-ref';
import { removeTrashedDir, withTrash, type TrashStepOptions, type TrashTx } from './trash-tx';

/** Marks, removes data, forgets: a crash in between is finished by recovery. */
async function purge(t: TrashTx, ids: string[], opts: TrashStepOptions): Promise<string[]> {
  if (ids.length === 0) return [];
  for (const id of ids) t.trash.entries.get(id)!.state = 'purging';
  await t.saveTrash();
  await opts.onStep?.('purge:marked');
  for (const id of ids) await removeTrashedDir(t, t.trash.entries.get(id)!);
  await opts.onStep?.('purge:dir-removed');
  for (const id of ids) t.trash.entries.delete(id);
  await t.saveTrash();
  return ids;
}

/** Deletes trashed snapshots for ever (all refs resolve first). Returns the IDs. */
export function deleteForever(ctx: StoreContext, refs: string[], opts: TrashStepOptions = {}): Promise<string[]> {
  return withTrash(ctx, (t) => purge(t, [...new Set(refs.map((ref) => resolveTrashRef(t.trash, ref)))], opts));
}

/** Empties the trash. Returns the IDs deleted for ever. */
export function emptyTrash(ctx: StoreContext, opts: TrashStepOptions = {}): Promise<string[]> {
  return withTrash(ctx, (t) => purge(t, atRest(t), opts));
}

const atRest = (t: TrashTx): string[] => [...t.trash.entries].filter(([, e]) => e.state === 'trashed').map(([id]) => id);

/** Free bytes for unprivileged users on the file system holding the store; null where it cannot be known. */
export async function freeBytes(root: string): Promise<number | null> {
  const st = await fs.statfs(root).catch(() => null);
  return st ? st.bavail * st.bsize : null;
}

/**
 * Within a trash transaction: entries past the retention period go, then,
 * while free space is under the threshold, the oldest go one by one.
 */
export async function purgeDueIn(t: TrashTx, opts: TrashStepOptions = {}): Promise<string[]> {
  const { retentionDays, minFreeBytes } = t.trash.settings;
  const now = t.ctx.now();
  const byAge = atRest(t).sort((a, b) => Date.parse(t.trash.entries.get(a)!.deleted_at) - Date.parse(t.trash.entries.get(b)!.deleted_at));
  const expired = byAge.filter((id) => now - Date.parse(t.trash.entries.get(id)!.deleted_at) >= retentionDays * DAY_MS);
  const purged = await purge(t, expired, opts);
  if (minFreeBytes > 0) {
    for (const id of byAge.filter((x) => !purged.includes(x))) {
      const free = await freeBytes(t.ctx.paths.root);
      if (free === null || free >= minFreeBytes) break;
      purged.push(...(await purge(t, [id], opts)));
    }
  }
  return purged;
}

/** Applies retention and the free-space threshold now. Returns the IDs deleted for ever. */
export function purgeDue(ctx: StoreContext, opts: TrashStepOptions = {}): Promise<string[]> {
  return withTrash(ctx, (t) => purgeDueIn(t, opts));
}

/** For GC: directories in the trash that no entry owns (left by hand or by another tool) go. */
export async function removeTrashOrphans(t: TrashTx): Promise<string[]> {
  const owned = new Set([...t.trash.entries.values()].map((e) => e.dir));
  const entries = await fs.readdir(t.paths.root, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || owned.has(e.name)) continue;
    await fs.rm(path.join(t.paths.root, e.name), { recursive: true, force: true, maxRetries: 3 });
    removed.push(e.name);
  }
  return removed;
}
