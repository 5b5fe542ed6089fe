import { createImportStore } from '../features/imports/import-store';
import { createRegistryStore } from '../features/registry/registry-store';
import { createSettingsStore } from '../features/settings/settings-store';
import { createSelectionStore } from '../features/snapshots/selection-store';
import { createSnapshotsStore } from '../features/snapshots/snapshots-store';
import { createViewStore, visibleSnapshots } from '../features/snapshots/view-store';
import { createTasksStore } from '../features/transfers/tasks-store';
import { createUploadsStore } from '../features/transfers/uploads-store';
import { createUiStore } from '../shared/ui-store';
import type { SnapshotSummary } from '../../src-core/types';

/**
 * One set of stores per window (and per test). Each belongs to a feature
 * (snapshots, imports, transfers, settings, registry) or is shared (ui: theme, open panels, focus requests, toasts);
 * features' actions write them, components read them.
 */
export interface Stores {
  settings: ReturnType<typeof createSettingsStore>;
  snapshots: ReturnType<typeof createSnapshotsStore>;
  selection: ReturnType<typeof createSelectionStore>;
  view: ReturnType<typeof createViewStore>;
  tasks: ReturnType<typeof createTasksStore>;
  uploads: ReturnType<typeof createUploadsStore>;
  imports: ReturnType<typeof createImportStore>;
  ui: ReturnType<typeof createUiStore>;
  registry: ReturnType<typeof createRegistryStore>;
  /** The rows as shown (filtered + sorted), memoized on the inputs' identities. */
  visible(): SnapshotSummary[];
}

export function createStores(): Stores {
  const snapshots = createSnapshotsStore();
  const view = createViewStore();
  let memo: { list: unknown; key: string; dir: string; query: string; rows: SnapshotSummary[] } | null = null;
  return {
    settings: createSettingsStore(),
    snapshots,
    selection: createSelectionStore(),
    view,
    tasks: createTasksStore(),
    uploads: createUploadsStore(),
    imports: createImportStore(),
    ui: createUiStore(),
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
