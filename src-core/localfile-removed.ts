/** A write (create, import) whose record or data directory another program removed before it committed. */
import { promises as fs } from 'node:fs';
import { SnapDeskError } from './errors';
import type { StoreContext } from './localfile-context';
import type { Reservation } from './reservation';

/**
 * What another program removed from under a reservation, as an error in
 * plain words; null when the record and the directory are both still there.
 */
export async function removedFromUnder(ctx: StoreContext, r: Pick<Reservation, 'id' | 'dir'>, what: 'import' | 'create'): Promise<SnapDeskError | null> {
  const dirGone = (await fs.lstat(r.dir).catch(() => null)) === null;
  const recordGone = await ctx.index.read((tx) => tx.get(r.id) === undefined);
  if (!dirGone && !recordGone) return null;
  const removed = dirGone && recordGone ? 'its record and its data directory' : dirGone ? `its data directory ${r.dir}` : 'its record in the snapshot index';
  return new SnapDeskError(
    'io',
    `the ${what} of snapshot ${r.id} was interrupted: another program (for example "cocoon snapshot rm") removed ${removed} before it finished. Nothing was kept; try the ${what} again.`,
    { id: r.id, path: r.dir, removed: dirGone && recordGone ? 'both' : dirGone ? 'data_dir' : 'record' },
  );
}
