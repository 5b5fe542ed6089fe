/** Rename and re-describe: index only. */
import type { StoreContext } from './localfile-context';
import { validateDescription, validateName } from './names';
import { toSnapshot } from './record';
import type { RenamePatch, Snapshot } from './types';

/**
 * An empty name makes the snapshot unnamed, as cocoon allows; a name held by
 * another snapshot, committed or pending, is a name_conflict.
 */
export async function renameSnapshot(ctx: StoreContext, ref: string, patch: RenamePatch): Promise<Snapshot> {
  if (patch.name !== undefined) validateName(patch.name);
  if (patch.description !== undefined) validateDescription(patch.description);
  return ctx.index.write((tx) => {
    const id = tx.resolve(ref);
    const rec = tx.require(id);
    if (patch.name !== undefined) tx.rename(id, patch.name);
    if (patch.description !== undefined && patch.description !== (rec.data.description ?? '')) {
      if (patch.description === '') delete rec.data.description;
      else rec.data.description = patch.description;
      tx.touch();
    }
    return toSnapshot(rec.data, id);
  });
}
