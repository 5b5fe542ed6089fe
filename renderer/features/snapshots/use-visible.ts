import { useMemo } from 'react';
import type { SnapshotSummary } from '../../../src-core/types';
import { useSnapshots, useStores, useView } from '../../app/context';

/** The rows as shown; recomputed only when the list, sort or search changes. */
export function useVisibleSnapshots(): SnapshotSummary[] {
  const stores = useStores();
  const list = useSnapshots((s) => s.list);
  const sortKey = useView((s) => s.sortKey);
  const sortDir = useView((s) => s.sortDir);
  const query = useView((s) => s.query);
  // stores.visible() is memoized on exactly these inputs, so the table and the actions share one sorted array.
  return useMemo(() => {
    void [list, sortKey, sortDir, query];
    return stores.visible();
  }, [stores, list, sortKey, sortDir, query]);
}
