/** Refs into the trash, resolved as in the store: exact ID, exact (former) name, or a unique ID prefix of at least 3 characters. */
import { ambiguousRef, SnapDeskError } from '../errors';
import { MIN_PREFIX } from '../resolve';
import type { TrashIndex } from './trash-index';

function notInTrash(ref: string): SnapDeskError {
  return new SnapDeskError('not_found', `nothing in the trash has the ID, name or ID prefix "${ref}" (run "snapdesk trash list" to see what is there)`, { ref });
}

/** Only entries at rest ("trashed") can be named; one being moved is not there yet, or any more. */
export function resolveTrashRef(trash: TrashIndex, ref: string): string {
  const atRest = [...trash.entries].filter(([, e]) => e.state === 'trashed');
  if (ref === '') throw notInTrash(ref);
  if (atRest.some(([id]) => id === ref)) return ref;
  const byName = atRest.filter(([, e]) => e.record.data.name === ref).map(([id]) => id);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new SnapDeskError('ambiguous_ref', `${byName.length} snapshots in the trash are named "${ref}" (${byName.sort().join(', ')}); give the ID`, { ref, matches: byName });
  }
  if (ref.length >= MIN_PREFIX) {
    const matches = atRest.filter(([id]) => id.startsWith(ref)).map(([id]) => id);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw ambiguousRef(ref, matches.sort());
  }
  throw notInTrash(ref);
}
