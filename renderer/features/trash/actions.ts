/**
 * What the window does with the trash: move to it (the window's Delete),
 * undo, restore (with the rename prompt when the name was taken meanwhile),
 * delete for ever, empty, and its settings. Every result is a toast.
 */
import type { SnapdeskApi } from '../../contract';
import type { Snapshot } from '../../../src-core/types';
import { errorCode, errorMessage } from '../../format/errors';
import { displayName, listNames } from '../../format/ids';
import type { UiState } from '../../shared/ui-store';
import { createTrashStore, type TrashStore } from './trash-store';
import type { StoreApi } from 'zustand/vanilla';

export interface TrashFeatureDeps {
  api: SnapdeskApi;
  ui: StoreApi<UiState>;
  /** Re-reads the snapshot list. */
  refreshSnapshots(): Promise<void>;
  /** The display name of a snapshot in the list (before it leaves it). */
  nameOf(id: string): string;
  /** Selects a snapshot of the list and scrolls to it; `takeFocus` moves the keyboard focus to the list too. */
  showSnapshot(id: string, takeFocus: boolean): void;
}

export class TrashActions {
  readonly store: TrashStore = createTrashStore();
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: TrashFeatureDeps) {}

  /** Loads and listens for trash.changed; returns the unsubscriber. */
  start(): () => void {
    const off = this.deps.api.on('trash.changed', () => void this.load());
    void this.load();
    return off;
  }

  /** Re-reads the trash; calls during a load coalesce into one more. */
  load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        try {
          this.store.getState().setSummary(await this.deps.api.call('trash.list'));
        } catch (err) {
          this.store.getState().setError(errorMessage(err));
        }
      } while (this.again);
    };
    this.loading = run().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private toast(kind: 'info' | 'success' | 'error', message: string, action?: { label: string; run: () => void }): void {
    this.deps.ui.getState().toast(kind, message, action ? { action } : {});
  }

  private nameInTrash(id: string): string {
    const item = this.store.getState().summary?.items.find((i) => i.snapshot.id === id);
    return item ? displayName(item.snapshot) : id.slice(0, 8);
  }

  /** The window's Delete: no question asked, an Undo offered. */
  async moveToTrash(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const names = ids.map((id) => this.deps.nameOf(id));
    try {
      const { trashed, purged } = await this.deps.api.call('trash.move', { refs: [...ids] });
      const named = (list: string[]): string => listNames(list.map((id) => names[ids.indexOf(id)] ?? id.slice(0, 8)), 5);
      const kept = trashed.filter((id) => !purged.includes(id));
      if (kept.length > 0) this.toast('success', `Moved ${named(kept)} to the trash.`, { label: 'Undo', run: () => void this.undo(kept) });
      // No Undo for these: they are gone.
      if (purged.length > 0) {
        this.toast('info', `Deleted ${named(purged)} for ever: this disk has less free space than the trash keeps free (Settings → Trash).`);
      }
    } catch (err) {
      this.toast('error', `Nothing was moved to the trash: ${errorMessage(err)}`);
    }
    await Promise.all([this.deps.refreshSnapshots(), this.load()]);
  }

  /**
   * Restores what one delete moved, saying so in one toast however many it
   * was; a name taken meanwhile brings up the rename prompt.
   */
  async undo(ids: readonly string[]): Promise<void> {
    const back: { id: string; name: string }[] = [];
    for (const id of ids) {
      const snapshot = await this.restoreOne(id);
      if (snapshot) back.push({ id, name: displayName(snapshot) });
    }
    if (back.length > 0) {
      this.toast('success', `Restored ${listNames(back.map((b) => b.name), 5)}.`);
      await Promise.all([this.deps.refreshSnapshots(), this.load()]);
    }
    // What came back is selected; the Undo button went with its toast, so a focus that fell with it goes to the list.
    const lost = document.activeElement === document.body || document.activeElement === null;
    if (back[0] !== undefined) this.deps.showSnapshot(back[0].id, lost);
  }

  /**
   * Restores one snapshot, under `name` when given. Resolves true when it is
   * back; a name conflict opens the rename prompt instead of failing.
   */
  async restore(id: string, name?: string): Promise<boolean> {
    const snapshot = await this.restoreOne(id, name);
    if (!snapshot) return false;
    this.toast('success', `Restored ${displayName(snapshot)}.`);
    await Promise.all([this.deps.refreshSnapshots(), this.load()]);
    return true;
  }

  /** The snapshot restored, or null when it was not (the error said, or the rename prompt opened). */
  private async restoreOne(id: string, name?: string): Promise<Snapshot | null> {
    const label = name ?? this.nameInTrash(id);
    try {
      const snapshot = await this.deps.api.call('trash.restore', { ref: id, ...(name !== undefined ? { name } : {}) });
      this.store.getState().setRestorePrompt(null);
      return snapshot;
    } catch (err) {
      if (errorCode(err) === 'name_conflict') {
        const details = (err as { details?: Record<string, unknown> }).details ?? {};
        const taken = typeof details.name === 'string' ? details.name : label;
        const suggested = typeof details.suggestedName === 'string' ? details.suggestedName : `${taken}-2`;
        this.store.getState().setRestorePrompt({ id, takenName: taken, suggestedName: suggested });
        return null;
      }
      this.toast('error', `Could not restore ${label}: ${errorMessage(err)}`);
      return null;
    }
  }

  askDeleteForever(ids: string[]): void {
    this.store.getState().setConfirm({ kind: 'deleteForever', ids });
  }

  askEmpty(): void {
    this.store.getState().setConfirm({ kind: 'empty' });
  }

  /** Runs the confirmed "for ever" action. */
  async confirm(): Promise<void> {
    const pending = this.store.getState().confirm;
    this.store.getState().setConfirm(null);
    if (!pending) return;
    try {
      if (pending.kind === 'empty') {
        const { deleted } = await this.deps.api.call('trash.empty');
        this.toast('success', deleted.length === 0 ? 'The trash was already empty.' : `Emptied the trash: ${deleted.length} snapshot${deleted.length === 1 ? '' : 's'} deleted for ever.`);
      } else {
        const names = pending.ids.map((id) => this.nameInTrash(id));
        await this.deps.api.call('trash.deleteForever', { refs: pending.ids });
        this.toast('success', `Deleted ${listNames(names, 5)} for ever.`);
      }
    } catch (err) {
      this.toast('error', `Nothing was deleted: ${errorMessage(err)}`);
    }
    await this.load();
  }

  /** Saves retention and the free-space threshold; rejects so the form can show the error. */
  async saveSettings(patch: { retentionDays?: number; minFreeBytes?: number }): Promise<void> {
    await this.deps.api.call('trash.setSettings', patch);
    this.toast('success', 'Trash settings saved.');
    await this.load();
  }
}
