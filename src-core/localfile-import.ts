/**
 * Import into the store, guarded against other programs. cocoon (which
 * knows nothing of our leases) may remove a pending record or its data
 * directory while we fill it, e.g. with `cocoon snapshot rm` or by hand;
 * the import then fails in words instead of a raw ENOENT, and the rollback
 * leaves nothing.
 */
import type { Readable } from 'node:stream';
import { importArchive } from './archive/import';
import { SnapDeskError } from './errors';
import type { StoreContext } from './localfile-context';
import { reserveSnapshot } from './localfile-create';
import { removedFromUnder } from './localfile-removed';
import type { ImportTarget } from './reservation';
import type { ImportOptions } from './types';

/** Imports an archive; a reservation another program tore down ends with removedFromUnder's error. */
export async function importIntoStore(ctx: StoreContext, target: Omit<ImportTarget, 'reserve'>, stream: Readable, opts: ImportOptions): Promise<string> {
  let interrupted: SnapDeskError | null = null;
  const guarded: ImportTarget = {
    isNameTaken: (name) => target.isNameTaken(name),
    suggestFreeName: (name) => target.suggestFreeName(name),
    async reserve(cfg) {
      const inner = await reserveSnapshot(ctx, cfg);
      return {
        id: inner.id,
        dir: inner.dir,
        config: inner.config,
        commit: () => inner.commit(),
        async rollback() {
          // Look before the rollback removes what is left.
          interrupted ??= await removedFromUnder(ctx, inner, 'import');
          await inner.rollback();
        },
      };
    },
  };
  try {
    return await importArchive(stream, guarded, opts);
  } catch (err) {
    if (interrupted && !(err instanceof SnapDeskError && err.code === 'cancelled')) throw interrupted;
    throw err;
  }
}
