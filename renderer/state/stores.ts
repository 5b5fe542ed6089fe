import { createAppStore } from './app-store';
import { createImportStore } from './import-store';
import { createRegistryStore } from './registry-store';
import { createSelectionStore } from './selection-store';
import { createSnapshotsStore } from './snapshots-store';
import { createTasksStore } from './tasks-store';
import { createUiStore } from './ui-store';
import { createUploadsStore } from './uploads-store';
import { createViewStore, visibleSnapshots } from './view-store';
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
  registry: ReturnType<typeof createRegistryStore>;
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
    registry: createRegistryStore(),
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
