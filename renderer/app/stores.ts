import { createAppStore } from '../features/settings/settings-store';
import { createImportStore } from '../features/imports/import-store';
import { createSelectionStore } from '../features/snapshots/selection-store';
import { createSnapshotsStore } from '../features/snapshots/snapshots-store';
import { createTasksStore } from '../features/transfers/tasks-store';
import { createUiStore } from '../shared/window-store';
import { createUploadsStore } from '../features/transfers/uploads-store';
import { createViewStore, visibleSnapshots } from '../features/snapshots/view-store';
import type { SnapshotSummary } from '../../src-core/types';

/** One set of stores per window (and per test), split by concern. */
export interface Stores {
  app: ReturnType<typeof createAppStore>;
  snapshots: ReturnType<typeof createSnapshotsStore>;
  selection: ReturnType<typeof createSelectionStore>;
  view: ReturnType<typeof createViewStore>;
  tasks: ReturnType<typeof createTasksStore>;
  ui: ReturnType<typeof createUiStore>;
  imports: ReturnType<typeof createImportStore>;
  uploads: ReturnType<typeof createUploadsStore>;
  /** The rows as shown (filtered + sorted), memoized on the inputs' identities. */
  visible(): SnapshotSummary[];
}

export function createStores(): Stores {
  const snapshots = createSnapshotsStore();
  const view = createViewStore();
  let memo: { list: unknown; key: string; dir: string; query: string; rows: SnapshotSummary[] } | null = null;
  return {
    app: createAppStore(),
    snapshots,
    selection: createSelectionStore(),
    view,
    tasks: createTasksStore(),
    ui: createUiStore(),
    imports: createImportStore(),
    uploads: createUploadsStore(),
    visible() {
      const { list } = snapshots.getState();
      const { sortKey, sortDir, query } = view.getState();
      if (!memo || memo.list !== list || memo.key !== sortKey || memo.dir !== sortDir || memo.query !== query) {
        memo = { list, key: sortKey, dir: sortDir, query, rows: visibleSnapshots(list, sortKey, sortDir, query) };
      }
      return memo.rows;
    },
  };
}
