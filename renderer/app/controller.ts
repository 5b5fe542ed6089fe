import type { ArchiveRef, MenuCommand, SnapdeskApi, Task, UploadProgress } from '../contract';
import type { ErrorData } from '../../src-core/errors';
import type { RenamePatch } from '../../src-core/types';
import { formatBytes } from '../format/bytes';
import { errorCode, errorMessage } from '../format/errors';
import { displayName, listNames } from '../format/ids';
import type { ImportItem } from '../features/imports/import-store';
import type { Stores } from './stores';
import { isActive } from '../features/transfers/tasks-store';
import { splitArchiveFiles } from '../features/imports/file-kinds';
import { checkImportNames, effectiveName, type NameCheck } from '../features/imports/import-names';

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

  constructor(
    readonly api: SnapdeskApi,
    readonly stores: Stores,
  ) {}

  /** Loads what the window shows and listens for changes; returns the unsubscriber. */
  start(): () => void {
    const offs = [
      this.api.on('store.changed', () => void this.refresh()),
      this.api.on('task.updated', (task) => this.onTask(task)),
      this.api.on('archives.opened', ({ archives }) => this.startImport(archives)),
      this.api.on('menu.command', ({ command }) => this.onMenu(command)),
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

  askDeleteSelected(): void {
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
    try {
      const { deleted } = await this.api.call('snapshots.delete', { refs: [...ids] });
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
      ui.toast('error', `Nothing was deleted: ${errorMessage(err)}`);
    }
    await this.refresh();
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
        ui.toast('error', `Could not export ${this.nameOf(id)}: ${errorMessage(err)}`);
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
      this.stores.ui.getState().toast('error', `Could not copy ${what}: ${errorMessage(err)}`);
    }
  }

  async showSnapshotInFolder(id: string): Promise<void> {
    try {
      await this.api.call('snapshots.showInFolder', { ref: id });
    } catch (err) {
      this.stores.ui.getState().toast('error', errorMessage(err));
    }
  }

  /** Selects a snapshot and scrolls to it, clearing a search that hides it. */
  showSnapshot(id: string): void {
    if (!this.stores.snapshots.getState().byId.has(id)) {
      this.stores.ui.getState().toast('error', 'That snapshot is no longer in the store.');
      return;
    }
    if (!this.stores.visible().some((s) => s.id === id)) this.stores.view.getState().setQuery('');
    this.stores.selection.getState().selectOnly(id);
    this.stores.ui.getState().requestReveal();
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
      this.stores.ui.getState().toast('error', errorMessage(err));
    }
  }

  /** Dropped or picked files: archives go to the import dialog, anything else is refused by name. */
  async importFiles(files: readonly File[]): Promise<void> {
    const { accepted, refused } = splitArchiveFiles(files);
    const ui = this.stores.ui.getState();
    if (refused.length > 0) {
      ui.toast(
        'error',
        `${listNames(refused.map((f) => f.name))} ${refused.length === 1 ? 'is not a snapshot archive' : 'are not snapshot archives'}: only .tgz, .tar.gz and .tar files can be imported.`,
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
      if (this.uploadAborts.has(batch)) uploads.progress(batch, sizes, p);
    };
    try {
      const archives = await this.api.registerFiles([...accepted], onProgress, abort.signal);
      this.startImport(archives);
    } catch (err) {
      if (errorCode(err) === 'cancelled') ui.toast('info', `Upload of ${names} cancelled; nothing was kept.`);
      else ui.toast('error', `Could not open ${names}: ${errorMessage(err)}`);
    } finally {
      this.uploadAborts.delete(batch);
      uploads.end(batch);
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
        // The name the user chose was taken meanwhile: keep it in the field and say so; the dialog offers a free one.
        imports.update(archiveId, { preview, nameError: conflict.message });
      } else {
        imports.update(archiveId, { preview, name: preview.config.name, description: preview.config.description ?? '' });
      }
    } catch (err) {
      imports.update(archiveId, { previewError: errorMessage(err) });
    }
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
      } else {
        this.onTask(task);
      }
      this.stores.ui.getState().setTransfers(true);
    } catch (err) {
      if (errorCode(err) === 'name_conflict') {
        imports.update(item.archive.id, { nameError: errorMessage(err) });
      } else {
        imports.update(item.archive.id, { nameError: null, previewError: errorMessage(err) });
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
    const ui = this.stores.ui.getState();
    const item = task.kind === 'import' ? this.stores.imports.getState().finished(task.id) : undefined;
    if (task.state === 'failed' && task.error?.code === 'name_conflict' && item) {
      this.reprompt(item, task.error);
      return;
    }
    if (task.state === 'done') {
      if (task.kind === 'import') void this.refresh().then(() => ui.toast('success', `Imported ${this.importedName(task)}.`));
      else if (task.kind === 'export') ui.toast('success', `Exported ${task.result?.fileName ?? task.title}.`);
    } else if (task.state === 'failed') {
      ui.toast('error', `${task.title} failed: ${task.error?.message ?? 'unknown error'}`);
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
      this.stores.ui.getState().toast('error', errorMessage(err));
    }
  }

  async clearFinished(): Promise<void> {
    try {
      await this.api.call('tasks.clear');
      this.stores.tasks.getState().removeFinished();
    } catch (err) {
      this.stores.ui.getState().toast('error', errorMessage(err));
    }
  }

  async showTaskInFolder(taskId: string): Promise<void> {
    try {
      await this.api.call('tasks.showInFolder', { taskId });
    } catch (err) {
      this.stores.ui.getState().toast('error', errorMessage(err));
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
      this.stores.ui.getState().toast('error', errorMessage(err));
    }
  }

  async resetRoot(): Promise<void> {
    try {
      this.stores.app.getState().setSettings(await this.api.call('settings.resetRoot'));
      await this.refresh();
    } catch (err) {
      this.stores.ui.getState().toast('error', errorMessage(err));
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
    }
  }
}
