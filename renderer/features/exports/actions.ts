import type { SnapdeskApi, Task } from '../../contract';
import type { Stores } from '../../app/stores';
import type { RunAction } from '../../shared/run-action';
import type { SnapshotActions } from '../snapshots/actions';
import type { TransferActions } from '../transfers/actions';

export interface ExportDeps {
  api: SnapdeskApi;
  run: RunAction;
  stores: Pick<Stores, 'tasks' | 'ui'>;
  snapshots: Pick<SnapshotActions, 'selectedIds' | 'nameOf'>;
  transfers: Pick<TransferActions, 'onEnded' | 'openDrawer'>;
}

export type ExportActions = ReturnType<typeof createExportActions>;

/** Getting snapshots out as archives: a save dialog on the desktop, a download in the browser. */
export function createExportActions({ api, run, stores, snapshots, transfers }: ExportDeps) {
  transfers.onEnded('export', (task: Task) => {
    if (task.state !== 'done') return false;
    // The open drawer already says so.
    if (!stores.ui.getState().transfersOpen) stores.ui.getState().toast('success', `Exported ${task.result?.fileName ?? task.title}.`);
    return true;
  });

  /** One export at a time: each may show a save dialog, and two at once would stack them. */
  async function exportIds(ids: readonly string[]): Promise<void> {
    let started = 0;
    for (const id of ids) {
      const outcome = await run(`Could not export ${snapshots.nameOf(id)}`, async () => {
        const task = await api.call('snapshots.export', { ref: id });
        if (task === null) return 'stopped' as const;
        started++;
        stores.tasks.getState().upsert(task);
        transfers.openDrawer();
        return 'started' as const;
      });
      if (outcome === 'stopped') {
        // Cancelling a save dialog stops the rest of the batch.
        if (ids.length > 1) stores.ui.getState().toast('info', `Export stopped: ${started} of ${ids.length} started.`);
        break;
      }
    }
  }

  return {
    exportIds,
    exportSelected: (): Promise<void> => exportIds(snapshots.selectedIds()),
  };
}
