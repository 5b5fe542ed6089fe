/**
 * Ref resolution as cocoon does it: exact ID, then exact name, then a unique
 * ID prefix of at least 3 characters. Pending records (a create in progress
 * or a crash remnant) are invisible to every rule.
 */
import { ambiguousRef, notFound } from './errors';
import type { SnapshotIndex } from './index-file';

export const MIN_PREFIX = 3;

const isVisible = (index: SnapshotIndex, id: string): boolean => {
  const rec = index.snapshots.get(id);
  return rec !== undefined && !rec.data.pending;
};

/** The ID a ref names, or a not_found / ambiguous_ref error. */
export function resolve(index: SnapshotIndex, ref: string): string {
  if (ref !== '' && isVisible(index, ref)) return ref;
  const byName = ref !== '' ? index.names.get(ref) : undefined;
  if (byName !== undefined && isVisible(index, byName)) return byName;
  if (ref.length >= MIN_PREFIX) {
    const matches: string[] = [];
    for (const [id, rec] of index.snapshots) {
      if (!rec.data.pending && id.startsWith(ref)) matches.push(id);
    }
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw ambiguousRef(ref, matches.sort());
  }
  throw notFound(ref);
}

/** Resolves every ref (failing on the first bad one, which the error names) and drops duplicates. */
export function resolveMany(index: SnapshotIndex, refs: readonly string[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const id = resolve(index, ref);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}
