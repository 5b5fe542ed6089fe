import type { ArchiveRef, MenuCommand, SnapdeskApi, Task, UploadProgress } from '../contract';
import type { ErrorData } from '../../src-core/errors';
import type { RenamePatch } from '../../src-core/types';
import { formatBytes } from '../../src-core/rules';
import { errorCode, errorMessage, plainError } from '../format/errors';
import { displayName, listNames } from '../format/ids';
import { nameProblem } from '../../src-core/rules';
import type { ImportItem } from '../state/import-store';
import type { Stores } from '../state/stores';
import type { ToastAction } from '../state/ui-store';
import { isActive } from '../state/tasks-store';
import { TrashFeature } from '../features/trash/trash-feature';
import { ARCHIVE_EXTENSIONS_TEXT, splitArchiveFiles } from '../../src-core/rules';
import { checkImportNames, effectiveName, type NameCheck } from './import-names';
import { RegistryController } from './registry-controller';

/** True while the user types in a field: a background event must not take their focus. */
const isTyping = (): boolean => {
  const el = typeof document === 'undefined' ? null : document.activeElement;
  return el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
};

/** Marked each time a snapshot list arrives from the store. */
export const LIST_RECEIVED_MARK = 'snapdesk:list-received';

/**
 * Everything the window does that talks to the API, in one place the views
 * call into. Views read stores; the controller writes them.
 */
export class Controller {
  private loading: Promise<void> | null = null;
  private reloadAgain = false;
  /** The browser transport has no native dialog: a hidden file input registers itself here. */
  private filePicker: (() => void) | null = null;
  /** Uploads in flight (browser transport), by batch, so Cancel can stop them. */
  private readonly uploadAborts = new Map<number, AbortController>();
  private uploadSeq = 0;
  /** The drawer was opened by an upload, not by the user. */
  private drawerOpenedForUpload = false;

  /** Push, pull and sign-in. */
  readonly registry: RegistryController;
  /** Deletes that can be undone (renderer/features/trash). */
  readonly trash: TrashFeature;

  constructor(
    readonly api: SnapdeskApi,
    readonly stores: Stores,
  ) {
    this.registry = new RegistryController(api, stores, this);
    this.trash = new TrashFeature({ api, ui: stores.ui, refreshSnapshots: () => this.refresh(), nameOf: (id) => this.nameOf(id) });
  }

  /** Loads what the window shows and listens for changes; returns the unsubscriber. */
  start(): () => void {
    const offs = [
      this.api.on('store.changed', () => void this.refresh()),
      this.api.on('task.updated', (task) => this.onTask(task)),
      this.api.on('archives.opened', ({ archives }) => this.startImport(archives)),
      this.api.on('menu.command', ({ command }) => this.onMenu(command)),
      this.trash.start(),
      // A search that hides selected rows deselects them, so the toolbar's count matches what actions will touch.
      this.stores.view.subscribe((s, prev) => {
        if (s.query === prev.query) return;
        const shown = new Set(this.stores.visible().map((x) => x.id));
        this.stores.selection.getState().prune((id) => shown.has(id));
      }),
    ];
    void this.refresh();
    this.api.call('app.info').then((info) => this.stores.app.getState().setInfo(info), () => undefined);
    this.api.call('tasks.list').then(
      (tasks) => {
        // Events may have arrived first; they are newer than this snapshot of the list.
        const known = this.stores.tasks.getState().byId;
        for (const t of tasks) if (!(t.id in known)) this.stores.tasks.getState().upsert(t);
      },
      () => undefined,
    );
    void this.loadSettings();
    // Files opened with the app before this window was listening.
    this.api.call('archives.takeOpened').then((archives) => this.startImport(archives), () => undefined);
    return () => offs.forEach((off) => off());
  }

  get isDesktop(): boolean {
    return this.stores.app.getState().info?.transport === 'electron';
  }

  // ---- snapshots ----

  /** Re-reads the list; calls during a load coalesce into one more load. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    const run = async (): Promise<void> => {
      do {
        this.reloadAgain = false;
        const s = this.stores.snapshots.getState();
        s.setLoading();
        try {
          const list = await this.api.call('snapshots.list');
          // A user-timing mark (seen in DevTools and read by the list benchmark): the list is in hand, rendering starts.
          performance.mark(LIST_RECEIVED_MARK, { detail: { count: list.length } });
          s.setList(list);
          const byId = this.stores.snapshots.getState().byId;
          this.stores.selection.getState().prune((id) => byId.has(id));
        } catch (err) {
          s.setError(errorMessage(err));
        }
      } while (this.reloadAgain);
    };
    this.loading = run().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The selected IDs in the order shown. */
  selectedIds(): string[] {
    const selected = this.stores.selection.getState().selected;
    if (selected.size === 0) return [];
    // Rows the search hides are left out: nothing acts on snapshots the user cannot see.
    return this.stores.visible().filter((s) => selected.has(s.id)).map((s) => s.id);
  }

  nameOf(id: string): string {
    const s = this.stores.snapshots.getState().byId.get(id);
    return s ? displayName(s) : id.slice(0, 8);
  }

  /** One short line for a failure ("Could not export a: the disk could not be read or written."), its original words as detail. */
  fail(what: string, err: unknown, action?: ToastAction): void {
    const { reason, detail } = plainError(err);
    this.stores.ui.getState().toast('error', `${what}: ${reason}.`, { ...(detail ? { detail } : {}), ...(action ? { action } : {}) });
  }

  /**
   * After a delete the selection moves to the row that followed the deleted
   * ones (or the one before, at the end), as file managers do; `order` is
   * the list as shown before the delete.
   */
  selectAfterDelete(deleted: readonly string[], order: readonly string[]): void {
    const gone = new Set(deleted);
    const last = Math.max(...order.map((id, i) => (gone.has(id) ? i : -1)));
    if (last < 0) return;
    const next = order.slice(last + 1).find((id) => !gone.has(id)) ?? [...order.slice(0, last)].reverse().find((id) => !gone.has(id));
    const sel = this.stores.selection.getState();
    if (next === undefined || !this.stores.snapshots.getState().byId.has(next)) {
      sel.clear();
      return;
    }
    sel.selectOnly(next);
    this.stores.ui.getState().requestReveal(false);
  }

  /** The window's Delete moves to the trash, no question asked: the toast offers Undo. */
  askDeleteSelected(): void {
    const ids = this.selectedIds();
    const order = this.stores.visible().map((s) => s.id);
    void this.trash.moveToTrash(ids).then(() => {
      // The selection moves on to the next row, as after any delete.
      const byId = this.stores.snapshots.getState().byId;
      this.selectAfterDelete(ids.filter((id) => !byId.has(id)), order);
    });
  }

  /** Deleting for ever, bypassing the trash, asks first (the confirmation dialog). */
  askDeleteForeverSelected(): void {
    this.stores.ui.getState().askDelete(this.selectedIds());
  }

  async confirmDelete(ids: readonly string[]): Promise<void> {
    const ui = this.stores.ui.getState();
    // Names and sizes as they were: the list may refresh (store.changed) before the call returns.
    const byId = this.stores.snapshots.getState().byId;
    const nameOf = (id: string) => {
      const s = byId.get(id);
      return s ? displayName(s) : id.slice(0, 8);
    };
    const order = this.stores.visible().map((s) => s.id);
    let gone: readonly string[] = [];
    try {
      const { deleted } = await this.api.call('snapshots.delete', { refs: [...ids] });
      gone = deleted;
      ui.closeDelete();
      const freed = deleted.reduce((sum, id) => sum + (byId.get(id)?.usage?.allocated ?? 0), 0);
      const names = deleted.map(nameOf);
      const missed = ids.length - deleted.length;
      ui.toast(
        'success',
        `Deleted ${listNames(names, 5)}${deleted.length > 1 ? ` (${deleted.length} snapshots)` : ''}, freeing ${formatBytes(freed)}.` +
          (missed > 0 ? ` ${missed} ${missed === 1 ? 'was' : 'were'} already gone.` : ''),
      );
    } catch (err) {
      ui.closeDelete();
      this.fail('Nothing was deleted', err);
    }
    await this.refresh();
    if (gone.length > 0) this.selectAfterDelete(gone, order);
  }

  /** Renames or re-describes; rejects so the caller can show the error where the user typed. */
  async rename(id: string, patch: RenamePatch): Promise<void> {
    await this.api.call('snapshots.rename', { ref: id, ...patch });
    this.stores.ui.getState().toast('success', patch.name !== undefined ? `Renamed to ${patch.name || 'unnamed'}.` : 'Description saved.');
    await this.refresh();
  }

  /** One export at a time: each may show a save dialog, and two at once would stack them. */
  async exportIds(ids: readonly string[]): Promise<void> {
    const ui = this.stores.ui.getState();
    let started = 0;
    for (const id of ids) {
      try {
        const task = await this.api.call('snapshots.export', { ref: id });
        if (task === null) {
          // Cancelling a save dialog stops the rest of the batch.
          if (ids.length > 1) ui.toast('info', `Export stopped: ${started} of ${ids.length} started.`);
          break;
        }
        started++;
        this.stores.tasks.getState().upsert(task);
        ui.setTransfers(true);
      } catch (err) {
        this.fail(`Could not export ${this.nameOf(id)}`, err);
      }
    }
  }

  exportSelected(): Promise<void> {
    return this.exportIds(this.selectedIds());
  }

  async copyText(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.stores.ui.getState().toast('info', `Copied ${what}.`);
    } catch (err) {
      this.fail(`Could not copy ${what}`, err);
    }
  }

  async showSnapshotInFolder(id: string): Promise<void> {
    try {
      await this.api.call('snapshots.showInFolder', { ref: id });
    } catch (err) {
      this.fail('Could not show the folder', err);
    }
  }

  /** Selects a snapshot and scrolls to it, clearing a search that hides it. */
  showSnapshot(id: string, takeFocus = true): void {
    if (!this.stores.snapshots.getState().byId.has(id)) {
      this.stores.ui.getState().toast('error', 'That snapshot is no longer in the store.');
      return;
    }
    if (!this.stores.visible().some((s) => s.id === id)) this.stores.view.getState().setQuery('');
    this.stores.selection.getState().selectOnly(id);
    this.stores.ui.getState().requestReveal(takeFocus);
  }

  // ---- import ----

  registerFilePicker(open: (() => void) | null): void {
    this.filePicker = open;
  }

  /** Import…: the native dialog on the desktop, a file input in the browser. */
  async pickImport(): Promise<void> {
    if (!this.isDesktop) {
      this.filePicker?.();
      return;
    }
    try {
      const archives = await this.api.call('archives.pick');
      this.startImport(archives);
    } catch (err) {
      this.fail('Could not open the archives', err);
    }
  }

  /** Dropped or picked files: archives go to the import dialog, anything else is refused by name. */
  async importFiles(files: readonly File[]): Promise<void> {
    const { accepted, refused } = splitArchiveFiles(files);
    const ui = this.stores.ui.getState();
    if (refused.length > 0) {
      ui.toast(
        'error',
        `${listNames(refused.map((f) => f.name))} ${refused.length === 1 ? 'is not a snapshot archive' : 'are not snapshot archives'}: only ${ARCHIVE_EXTENSIONS_TEXT} files can be imported.`,
      );
    }
    if (accepted.length === 0) return;
    const names = listNames(accepted.map((f) => f.name));
    // In the browser each file is uploaded first; its progress shows in the uploads panel (the desktop reports none).
    const batch = ++this.uploadSeq;
    const abort = new AbortController();
    this.uploadAborts.set(batch, abort);
    const sizes = accepted.map((f) => ({ name: f.name, size: f.size }));
    const uploads = this.stores.uploads.getState();
    const onProgress = (p: UploadProgress): void => {
      // A late report must not bring back a batch that has ended.
      if (!this.uploadAborts.has(batch)) return;
      // Uploads are transfers too: the first report opens the drawer that lists them with the rest.
      if (!(batch in this.stores.uploads.getState().byId) && !this.stores.ui.getState().transfersOpen) {
        this.drawerOpenedForUpload = true;
        ui.setTransfers(true);
      }
      uploads.progress(batch, sizes, p);
    };
    try {
      const archives = await this.api.registerFiles([...accepted], onProgress, abort.signal);
      this.startImport(archives);
    } catch (err) {
      if (errorCode(err) === 'cancelled') ui.toast('info', `Upload of ${names} cancelled; nothing was kept.`);
      else this.fail(`Could not open ${names}`, err);
    } finally {
      this.uploadAborts.delete(batch);
      uploads.end(batch);
      // A drawer the upload opened by itself closes again when it would show nothing.
      if (this.drawerOpenedForUpload && this.uploadAborts.size === 0 && this.stores.tasks.getState().order.length === 0) {
        this.drawerOpenedForUpload = false;
        this.stores.ui.getState().setTransfers(false);
      }
    }
  }

  /** Stops an upload batch; the server deletes what it received and nothing of the batch is kept. */
  cancelUpload(batch: number): void {
    const abort = this.uploadAborts.get(batch);
    if (!abort) return;
    this.stores.uploads.getState().markCancelling(batch);
    abort.abort();
  }

  startImport(archives: readonly ArchiveRef[]): void {
    if (archives.length === 0) return;
    this.stores.imports.getState().add(archives);
    for (const a of archives) void this.loadPreview(a.id, null);
  }

  private async loadPreview(archiveId: string, conflict: ErrorData | null): Promise<void> {
    const imports = this.stores.imports.getState();
    try {
      const preview = await this.api.call('archives.preview', { archiveId });
      const item = this.stores.imports.getState().pending.find((i) => i.archive.id === archiveId);
      if (!item) return;
      if (conflict) {
        imports.update(archiveId, { preview, nameError: conflict.message });
      } else {
        imports.update(archiveId, { preview, name: preview.config.name, description: preview.config.description ?? '' });
      }
      this.prefillFreeName(archiveId);
    } catch (err) {
      const { reason, detail } = plainError(err);
      imports.update(archiveId, { previewError: reason, previewDetail: detail });
    }
  }

  /**
   * A taken name (in the archive, or taken meanwhile) is replaced by the free
   * one the dialog would offer, so Import imports; the dialog says so beside
   * the field. Other problems (a bad character) stay for the user to fix.
   */
  private prefillFreeName(archiveId: string): void {
    const pending = this.stores.imports.getState().pending;
    const index = pending.findIndex((i) => i.archive.id === archiveId);
    const item = pending[index];
    const check = this.importNameChecks(pending)[index];
    if (!item || !check?.problem || !check.suggestion || nameProblem(item.name)) return;
    this.stores.imports.getState().update(archiveId, { name: check.suggestion, nameError: null, renamedFrom: effectiveName(item) });
  }

  /** The name checks of the import dialog's items, in order (see checkImportNames). */
  importNameChecks(items: readonly ImportItem[] = this.stores.imports.getState().pending): NameCheck[] {
    const list = this.stores.snapshots.getState().list;
    const inStore = new Set(list.map((s) => s.name).filter((n) => n !== ''));
    const running = new Set(Object.values(this.stores.imports.getState().running).map(effectiveName).filter((n) => n !== ''));
    return checkImportNames(items, { inStore: (n) => inStore.has(n), running });
  }

  /**
   * Starts every archive in the dialog; those refused right away stay with their error.
   * Nothing starts while a name is a problem (two items of one import never race for a name):
   * returns the index of the first item to fix, or -1 when all were sent.
   */
  async confirmImport(): Promise<number> {
    const pending = this.stores.imports.getState().pending;
    const firstBad = this.importNameChecks(pending).findIndex((c) => c.problem !== null);
    if (firstBad >= 0) return firstBad;
    for (const item of pending.filter((i) => i.preview !== null)) await this.importOne(item);
    return -1;
  }

  private async importOne(item: ImportItem): Promise<void> {
    const imports = this.stores.imports.getState();
    const name = item.name.trim();
    const description = item.description.trim();
    try {
      const task = await this.api.call('archives.import', {
        archiveId: item.archive.id,
        ...(name ? { name } : {}),
        ...(description ? { description } : {}),
      });
      imports.started(item.archive.id, task.id);
      // The task's events may have overtaken this reply; the newest state wins.
      const latest = this.stores.tasks.getState().byId[task.id];
      if (latest && !isActive(latest)) {
        this.stores.imports.getState().finished(task.id);
        if (latest.state === 'failed' && latest.error?.code === 'name_conflict') this.reprompt(item, latest.error);
      } else if (!latest) {
        // Only when no event came first: the reply is older than any event (a done import must not fall back to 17%).
        this.onTask(task);
      }
      this.stores.ui.getState().setTransfers(true);
    } catch (err) {
      if (errorCode(err) === 'name_conflict') {
        imports.update(item.archive.id, { nameError: errorMessage(err) });
      } else {
        const { reason, detail } = plainError(err);
        imports.update(item.archive.id, { nameError: null, previewError: reason, previewDetail: detail });
      }
    }
  }

  /** Closes the import dialog; archives not imported are released (an uploaded copy is deleted). */
  cancelImport(): void {
    const ids = this.stores.imports.getState().pending.map((i) => i.archive.id);
    this.stores.imports.getState().clear();
    for (const archiveId of ids) this.releaseArchive(archiveId);
  }

  /** Skips one archive of the dialog and releases it. */
  discardImport(archiveId: string): void {
    this.stores.imports.getState().remove(archiveId);
    this.releaseArchive(archiveId);
  }

  private releaseArchive(archiveId: string): void {
    // Best effort: a ref the shell already forgot needs no release.
    this.api.call('archives.release', { archiveId }).catch(() => undefined);
  }

  // ---- tasks ----

  onTask(task: Task): void {
    const prev = this.stores.tasks.getState().byId[task.id];
    this.stores.tasks.getState().upsert(task);
    if (isActive(task) || (prev && !isActive(prev))) return;
    // The task just ended.
    if (task.kind === 'push' || task.kind === 'pull') {
      this.registry.onTaskEnded(task);
      const pulled = task.kind === 'pull' && task.state === 'done' ? task.result?.snapshotId : undefined;
      // A pulled snapshot is selected and scrolled to, as a new import is.
      if (pulled) void this.refresh().then(() => this.stores.snapshots.getState().byId.has(pulled) && this.showSnapshot(pulled, !isTyping()));
      return;
    }
    const ui = this.stores.ui.getState();
    const item = task.kind === 'import' ? this.stores.imports.getState().finished(task.id) : undefined;
    if (task.state === 'failed' && task.error?.code === 'name_conflict' && item) {
      this.reprompt(item, task.error);
      return;
    }
    // The open drawer already says how a transfer ended; a toast would only repeat it.
    const drawerShows = ui.transfersOpen;
    const showTransfers: ToastAction = { label: 'Show transfers', run: () => this.stores.ui.getState().setTransfers(true) };
    if (task.state === 'done') {
      if (task.kind === 'import') {
        void this.refresh().then(() => {
          const id = task.result?.snapshotId;
          // The new snapshot is selected and scrolled to; focus stays where the user is typing.
          if (id && this.stores.snapshots.getState().byId.has(id)) this.showSnapshot(id, !isTyping());
          if (!this.stores.ui.getState().transfersOpen) ui.toast('success', `Imported ${this.importedName(task)}.`);
        });
      } else if (task.kind === 'export' && !drawerShows) ui.toast('success', `Exported ${task.result?.fileName ?? task.title}.`);
    } else if (task.state === 'failed' && !drawerShows) {
      this.fail(`${task.title} failed`, task.error ?? 'unknown error', showTransfers);
    }
    // A finished import's archive is no longer needed (a conflict returned above keeps it for the re-prompt).
    if (item && task.state !== 'done') this.releaseArchive(item.archive.id);
  }

  /** The store refused the name at commit: ask again for this archive instead of failing. */
  private reprompt(item: ImportItem, error: ErrorData): void {
    this.stores.imports.getState().reprompt({ ...item, nameError: error.message });
    void this.loadPreview(item.archive.id, error);
  }

  private importedName(task: Task): string {
    const id = task.result?.snapshotId;
    const s = id ? this.stores.snapshots.getState().byId.get(id) : undefined;
    return s ? displayName(s) : task.title.replace(/^Import(ing)?\s+/i, '');
  }

  async cancelTask(taskId: string): Promise<void> {
    try {
      await this.api.call('tasks.cancel', { taskId });
    } catch (err) {
      this.fail('Could not cancel the transfer', err);
    }
  }

  async clearFinished(): Promise<void> {
    try {
      await this.api.call('tasks.clear');
      this.stores.tasks.getState().removeFinished();
    } catch (err) {
      this.fail('Could not clear finished transfers', err);
    }
  }

  async showTaskInFolder(taskId: string): Promise<void> {
    try {
      await this.api.call('tasks.showInFolder', { taskId });
    } catch (err) {
      this.fail('Could not show the file', err);
    }
  }

  // ---- settings ----

  async loadSettings(): Promise<void> {
    try {
      this.stores.app.getState().setSettings(await this.api.call('settings.get'));
    } catch {
      // Shown as "unknown" in the settings dialog; the table reports store errors itself.
    }
  }

  async chooseRoot(): Promise<void> {
    try {
      const settings = await this.api.call('settings.chooseRoot');
      if (settings) {
        this.stores.app.getState().setSettings(settings);
        await this.refresh();
      }
    } catch (err) {
      this.fail('Could not change the store folder', err);
    }
  }

  async resetRoot(): Promise<void> {
    try {
      this.stores.app.getState().setSettings(await this.api.call('settings.resetRoot'));
      await this.refresh();
    } catch (err) {
      this.fail('Could not reset the store folder', err);
    }
  }

  // ---- menu ----

  onMenu(command: MenuCommand): void {
    const ui = this.stores.ui.getState();
    switch (command) {
      case 'import':
        void this.pickImport();
        break;
      case 'export':
        void this.exportSelected();
        break;
      case 'delete':
        this.askDeleteSelected();
        break;
      case 'selectAll':
        this.stores.selection.getState().selectAll(this.stores.visible().map((s) => s.id));
        break;
      case 'find':
        ui.requestFocusSearch();
        break;
      case 'help':
        ui.setHelp(true);
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'push':
        this.registry.openPush();
        break;
      case 'pull':
        this.registry.openPull();
        break;
    }
  }
}
