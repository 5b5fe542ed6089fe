import type { SnapdeskApi } from '../../contract';
import type { RenamePatch, SnapshotDetails } from '../../../src-core/types';
import type { Stores } from '../../app/stores';
import { formatBytes } from '../../../src-core/rules';
import { errorMessage } from '../../format/errors';
import { displayName, listNames } from '../../format/ids';
import type { RunAction } from '../../shared/run-action';

/** Marked each time a snapshot list arrives from the store. */
export const LIST_RECEIVED_MARK = 'snapdesk:list-received';

export interface SnapshotDeps {
  api: SnapdeskApi;
  run: RunAction;
  stores: Pick<Stores, 'snapshots' | 'selection' | 'view' | 'ui' | 'visible'>;
}

export type SnapshotActions = ReturnType<typeof createSnapshotActions>;

/** The snapshot list and what the user does to its rows: read, inspect, rename, delete, copy, show. */
export function createSnapshotActions({ api, run, stores }: SnapshotDeps) {
  let loading: Promise<void> | null = null;
  let reloadAgain = false;
  const toast = (kind: 'info' | 'success' | 'error', message: string) => stores.ui.getState().toast(kind, message);

  /** Re-reads the list; calls during a load coalesce into one more load. */
  function refresh(): Promise<void> {
    if (loading) {
      reloadAgain = true;
      return loading;
    }
    const load = async (): Promise<void> => {
      do {
        reloadAgain = false;
        const s = stores.snapshots.getState();
        s.setLoading();
        try {
          const list = await api.call('snapshots.list');
          // A user-timing mark (seen in DevTools and read by the list benchmark): the list is in hand, rendering starts.
          performance.mark(LIST_RECEIVED_MARK, { detail: { count: list.length } });
          s.setList(list);
          const byId = stores.snapshots.getState().byId;
          stores.selection.getState().prune((id) => byId.has(id));
        } catch (err) {
          // Shown where the list is (a banner or the store-error state), not as a toast.
          s.setError(errorMessage(err));
        }
      } while (reloadAgain);
    };
    loading = load().finally(() => {
      loading = null;
    });
    return loading;
  }

  /** The selected IDs in the order shown. */
  function selectedIds(): string[] {
    const selected = stores.selection.getState().selected;
    if (selected.size === 0) return [];
    // Rows the search hides are left out: nothing acts on snapshots the user cannot see.
    return stores.visible().filter((s) => selected.has(s.id)).map((s) => s.id);
  }

  function nameOf(id: string): string {
    const s = stores.snapshots.getState().byId.get(id);
    return s ? displayName(s) : id.slice(0, 8);
  }

  async function confirmDelete(ids: readonly string[]): Promise<void> {
    // Names and sizes as they were: the list may refresh (store.changed) before the call returns.
    const byId = stores.snapshots.getState().byId;
    const nameAsWas = (id: string) => {
      const s = byId.get(id);
      return s ? displayName(s) : id.slice(0, 8);
    };
    const order = stores.visible().map((s) => s.id);
    let gone: readonly string[] = [];
    await run('Nothing was deleted', async () => {
      try {
        const { deleted } = await api.call('snapshots.delete', { refs: [...ids] });
        gone = deleted;
        const freed = deleted.reduce((sum, id) => sum + (byId.get(id)?.usage?.allocated ?? 0), 0);
        const missed = ids.length - deleted.length;
        toast(
          'success',
          `Deleted ${listNames(deleted.map(nameAsWas), 5)}${deleted.length > 1 ? ` (${deleted.length} snapshots)` : ''}, freeing ${formatBytes(freed)}.` +
            (missed > 0 ? ` ${missed} ${missed === 1 ? 'was' : 'were'} already gone.` : ''),
        );
      } finally {
        stores.ui.getState().closeDelete();
      }
    });
    await refresh();
    if (gone.length > 0) selectAfterDelete(gone, order);
  }

  /**
   * After a delete the selection moves to the row that followed the deleted
   * ones (or the one before, at the end), as file managers do; `order` is
   * the list as shown before the delete.
   */
  function selectAfterDelete(deleted: readonly string[], order: readonly string[]): void {
    const goneIds = new Set(deleted);
    const last = Math.max(...order.map((id, i) => (goneIds.has(id) ? i : -1)));
    if (last < 0) return;
    const next = order.slice(last + 1).find((id) => !goneIds.has(id)) ?? [...order.slice(0, last)].reverse().find((id) => !goneIds.has(id));
    const sel = stores.selection.getState();
    if (next === undefined || !stores.snapshots.getState().byId.has(next)) {
      sel.clear();
      return;
    }
    sel.selectOnly(next);
    stores.ui.getState().requestReveal(false);
  }

  /** Renames or re-describes; rejects so the caller can show the error where the user typed. */
  async function rename(id: string, patch: RenamePatch): Promise<void> {
    await api.call('snapshots.rename', { ref: id, ...patch });
    // An empty name is no name at all: say so, rather than "Renamed to unnamed", which reads like a name.
    toast('success', patch.name === undefined ? 'Description saved.' : patch.name ? `Renamed to ${patch.name}.` : 'Name removed: the snapshot is unnamed.');
    await refresh();
  }

  /** Everything about one snapshot, for the details panel; rejects so the panel can say why in place. */
  const inspect = (id: string): Promise<SnapshotDetails> => api.call('snapshots.inspect', { ref: id });

  async function copyText(text: string, what: string): Promise<void> {
    await run(`Could not copy ${what}`, async () => {
      await navigator.clipboard.writeText(text);
      toast('info', `Copied ${what}.`);
    });
  }

  async function showInFolder(id: string): Promise<void> {
    await run('Could not show the folder', () => api.call('snapshots.showInFolder', { ref: id }));
  }

  /** Selects a snapshot and scrolls to it, clearing a search that hides it. */
  function showSnapshot(id: string, takeFocus = true): void {
    if (!stores.snapshots.getState().byId.has(id)) {
      toast('error', 'That snapshot is no longer in the store.');
      return;
    }
    if (!stores.visible().some((s) => s.id === id)) stores.view.getState().setQuery('');
    stores.selection.getState().selectOnly(id);
    stores.ui.getState().requestReveal(takeFocus);
  }

  return {
    refresh,
    selectedIds,
    nameOf,
    /** Deleting for ever, bypassing the trash, asks first (the confirmation dialog). */
    askDeleteForeverSelected: (): void => stores.ui.getState().askDelete(selectedIds()),
    confirmDelete,
    rename,
    inspect,
    copyText,
    showInFolder,
    showSnapshot,
    selectAfterDelete,
    selectAllShown: (): void => stores.selection.getState().selectAll(stores.visible().map((s) => s.id)),
    /** Loads the list and keeps it current; returns the unsubscriber. */
    start(): () => void {
      const offs = [
        api.on('store.changed', () => void refresh()),
        // A search that hides selected rows deselects them, so the toolbar's count matches what actions will touch.
        stores.view.subscribe((s, prev) => {
          if (s.query === prev.query) return;
          const shown = new Set(stores.visible().map((x) => x.id));
          stores.selection.getState().prune((id) => shown.has(id));
        }),
      ];
      void refresh();
      return () => offs.forEach((off) => off());
    },
  };
}
