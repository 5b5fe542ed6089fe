import type { MenuCommand, SnapdeskApi } from '../contract';
import { createExportActions, type ExportActions } from '../features/exports/actions';
import { createImportActions, isTyping, type ImportActions } from '../features/imports/actions';
import { RegistryActions } from '../features/registry/actions';
import { createSettingsActions, type SettingsActions } from '../features/settings/actions';
import { createSnapshotActions, type SnapshotActions } from '../features/snapshots/actions';
import { createTransferActions, type TransferActions } from '../features/transfers/actions';
import { TrashActions } from '../features/trash/actions';
import { createRunAction } from '../shared/run-action';
import { createStores, type Stores } from './stores';

/**
 * One window: its stores and each feature's actions, wired over one API.
 * Components read the stores and call actions; the API itself stays inside
 * the features' action modules.
 */
export interface AppModel {
  stores: Stores;
  snapshots: SnapshotActions;
  imports: ImportActions;
  exports: ExportActions;
  transfers: TransferActions;
  settings: SettingsActions;
  /** Push, pull and sign-in. */
  registry: RegistryActions;
  /** Deletes that can be undone. */
  trash: TrashActions;
  /** The window's Delete: to the trash, with Undo; the selection moves to the next row. */
  moveSelectedToTrash(): void;
  /** Loads what the window shows and listens for changes; returns the unsubscriber. */
  start(): () => void;
}

export function createAppModel(api: SnapdeskApi, stores: Stores = createStores()): AppModel {
  const run = createRunAction(stores.ui);
  const snapshots = createSnapshotActions({ api, run, stores });
  const transfers = createTransferActions({ api, run, stores });
  const settings = createSettingsActions({ api, run, stores, snapshots });
  const exports = createExportActions({ api, run, stores, snapshots, transfers });
  const imports = createImportActions({ api, run, stores, snapshots, transfers });
  const registry = new RegistryActions(api, stores, snapshots);
  const trash = new TrashActions({
    api,
    ui: stores.ui,
    refreshSnapshots: () => snapshots.refresh(),
    nameOf: (id) => snapshots.nameOf(id),
    showSnapshot: (id, takeFocus) => snapshots.showSnapshot(id, takeFocus),
  });
  for (const kind of ['push', 'pull'] as const) {
    transfers.onEnded(kind, (task) => {
      registry.onTaskEnded(task);
      const pulled = task.kind === 'pull' && task.state === 'done' ? task.result?.snapshotId : undefined;
      // A pulled snapshot is selected and scrolled to, as a new import is.
      if (pulled) void snapshots.refresh().then(() => stores.snapshots.getState().byId.has(pulled) && snapshots.showSnapshot(pulled, !isTyping()));
      return true;
    });
  }

  /**
   * The window's Delete moves to the trash, no question asked (the toast
   * offers Undo); the selection moves on. One move at a time: a Delete
   * pressed again before the first has answered would act on the same rows.
   */
  let moving = false;
  function moveSelectedToTrash(): void {
    if (moving) return;
    const ids = snapshots.selectedIds();
    const order = stores.visible().map((s) => s.id);
    moving = true;
    void trash
      .moveToTrash(ids)
      .then(() => {
        const byId = stores.snapshots.getState().byId;
        snapshots.selectAfterDelete(ids.filter((id) => !byId.has(id)), order);
      })
      .finally(() => {
        moving = false;
      });
  }

  /** The desktop menu's commands, which need this window's selection. */
  function onMenu(command: MenuCommand): void {
    const ui = stores.ui.getState();
    switch (command) {
      case 'import':
        void imports.pick();
        break;
      case 'export':
        void exports.exportSelected();
        break;
      case 'delete':
        moveSelectedToTrash();
        break;
      case 'selectAll':
        snapshots.selectAllShown();
        break;
      case 'find':
        ui.requestFocusSearch();
        break;
      case 'help':
        ui.setHelp(true);
        break;
      case 'refresh':
        void snapshots.refresh();
        break;
      case 'push':
        registry.openPush();
        break;
      case 'pull':
        registry.openPull();
        break;
    }
  }

  return {
    stores,
    snapshots,
    imports,
    exports,
    transfers,
    settings,
    registry,
    trash,
    moveSelectedToTrash,
    start() {
      const offs = [snapshots.start(), settings.start(), transfers.start(), imports.start(), trash.start(), api.on('menu.command', ({ command }) => onMenu(command))];
      return () => offs.forEach((off) => off());
    },
  };
}
