import type { ArchiveRef, SnapdeskApi, Task } from '../../contract';
import type { ErrorData } from '../../../src-core/errors';
import type { Stores } from '../../app/stores';
import { errorCode, errorMessage, plainError } from '../../format/errors';
import { displayName, listNames } from '../../format/ids';
import type { RunAction } from '../../shared/run-action';
import type { SnapshotActions } from '../snapshots/actions';
import { isDesktop } from '../settings/settings-store';
import type { TransferActions } from '../transfers/actions';
import { isActive } from '../transfers/tasks-store';
import { ARCHIVE_EXTENSIONS_TEXT, descriptionProblem, nameProblem, splitArchiveFiles } from '../../../src-core/rules';
import type { ImportItem } from './import-store';
import { checkImportNames, effectiveName, type NameCheck } from './import-names';

/** True while the user types in a field: a background event must not take their focus. */
export const isTyping = (): boolean => {
  const el = typeof document === 'undefined' ? null : document.activeElement;
  return el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
};

export interface ImportDeps {
  api: SnapdeskApi;
  run: RunAction;
  stores: Pick<Stores, 'imports' | 'snapshots' | 'tasks' | 'settings' | 'ui'>;
  snapshots: Pick<SnapshotActions, 'refresh' | 'showSnapshot'>;
  transfers: Pick<TransferActions, 'track' | 'onEnded' | 'openDrawer' | 'beginUpload'>;
}

export type ImportActions = ReturnType<typeof createImportActions>;

/**
 * Getting archives in: picked, dropped or opened with the app, previewed in
 * the import dialog, named there, then imported as tasks. A name taken at
 * commit brings the archive back to the dialog instead of failing.
 */
export function createImportActions({ api, run, stores, snapshots, transfers }: ImportDeps) {
  /** The browser transport has no native dialog: a hidden file input registers itself here. */
  let filePicker: (() => void) | null = null;
  const toast = (kind: 'info' | 'success' | 'error', message: string) => stores.ui.getState().toast(kind, message);

  function open(archives: readonly ArchiveRef[]): void {
    if (archives.length === 0) return;
    stores.imports.getState().add(archives);
    for (const a of archives) void loadPreview(a.id, null);
  }

  async function loadPreview(archiveId: string, conflict: ErrorData | null): Promise<void> {
    const imports = stores.imports.getState();
    try {
      const preview = await api.call('archives.preview', { archiveId });
      const item = stores.imports.getState().pending.find((i) => i.archive.id === archiveId);
      if (!item) return;
      if (conflict) {
        // The name the user chose was taken meanwhile: keep it in the field and say so; the dialog offers a free one.
        imports.update(archiveId, { preview, nameError: conflict.message });
      } else {
        imports.update(archiveId, { preview, name: preview.config.name, description: preview.config.description ?? '' });
      }
      prefillFreeName(archiveId);
    } catch (err) {
      // Shown in the dialog, at the archive it concerns.
      const { reason, detail } = plainError(err);
      imports.update(archiveId, { previewError: reason, previewDetail: detail });
    }
  }

  /**
   * A taken name (in the archive, or taken meanwhile) is replaced by the free
   * one the dialog would offer, so Import imports; the dialog says so beside
   * the field. Other problems (a bad character) stay for the user to fix.
   */
  function prefillFreeName(archiveId: string): void {
    const pending = stores.imports.getState().pending;
    const index = pending.findIndex((i) => i.archive.id === archiveId);
    const item = pending[index];
    const check = nameChecks(pending)[index];
    if (!item || !check?.problem || !check.suggestion || nameProblem(item.name)) return;
    stores.imports.getState().update(archiveId, { name: check.suggestion, nameError: null, renamedFrom: effectiveName(item) });
  }

  function release(archiveId: string): void {
    // Best effort: a ref the shell already forgot needs no release.
    api.call('archives.release', { archiveId }).catch(() => undefined);
  }

  /** The store refused the name at commit: ask again for this archive instead of failing. */
  function reprompt(item: ImportItem, error: ErrorData): void {
    stores.imports.getState().reprompt({ ...item, nameError: error.message });
    void loadPreview(item.archive.id, error);
  }

  function importedName(task: Task): string {
    const id = task.result?.snapshotId;
    const s = id ? stores.snapshots.getState().byId.get(id) : undefined;
    return s ? displayName(s) : task.title.replace(/^Import(ing)?\s+/i, '');
  }

  /** An import task ended: say so, or bring its archive back to the dialog on a name conflict. */
  function taskEnded(task: Task): boolean {
    const item = stores.imports.getState().finished(task.id);
    if (task.state === 'failed' && task.error?.code === 'name_conflict' && item) {
      reprompt(item, task.error);
      return true;
    }
    // A finished import's archive is no longer needed (a conflict above keeps it for the re-prompt).
    if (item && task.state !== 'done') release(item.archive.id);
    if (task.state !== 'done') return false;
    void snapshots.refresh().then(() => {
      const id = task.result?.snapshotId;
      // The new snapshot is selected and scrolled to; focus stays where the user is typing.
      if (id && stores.snapshots.getState().byId.has(id)) snapshots.showSnapshot(id, !isTyping());
      // The open drawer already says so.
      if (!stores.ui.getState().transfersOpen) toast('success', `Imported ${importedName(task)}.`);
    });
    return true;
  }
  transfers.onEnded('import', taskEnded);

  /** The name checks of the import dialog's items, in order (see checkImportNames). */
  function nameChecks(items: readonly ImportItem[] = stores.imports.getState().pending): NameCheck[] {
    const list = stores.snapshots.getState().list;
    const inStore = new Set(list.map((s) => s.name).filter((n) => n !== ''));
    const running = new Set(Object.values(stores.imports.getState().running).map(effectiveName).filter((n) => n !== ''));
    return checkImportNames(items, { inStore: (n) => inStore.has(n), running });
  }

  async function importOne(item: ImportItem): Promise<void> {
    const imports = stores.imports.getState();
    const name = item.name.trim();
    const description = item.description.trim();
    try {
      const task = await api.call('archives.import', {
        archiveId: item.archive.id,
        ...(name ? { name } : {}),
        ...(description ? { description } : {}),
      });
      imports.started(item.archive.id, task.id);
      // The task's events may have overtaken this reply; the newest state wins.
      const latest = stores.tasks.getState().byId[task.id];
      if (latest && !isActive(latest)) {
        stores.imports.getState().finished(task.id);
        if (latest.state === 'failed' && latest.error?.code === 'name_conflict') reprompt(item, latest.error);
      } else if (!latest) {
        // Only when no event came first: the reply is older than any event (a done import must not fall back to 17%).
        transfers.track(task);
      }
      transfers.openDrawer();
    } catch (err) {
      // Refused at once: the error stays with the item in the dialog.
      if (errorCode(err) === 'name_conflict') {
        imports.update(item.archive.id, { nameError: errorMessage(err) });
      } else {
        const { reason, detail } = plainError(err);
        imports.update(item.archive.id, { nameError: null, previewError: reason, previewDetail: detail });
      }
    }
  }

  return {
    /** Archives to put in the import dialog (picked, dropped, or opened with the app). */
    open,
    nameChecks,
    registerFilePicker(picker: (() => void) | null): void {
      filePicker = picker;
    },
    /** Import…: the native dialog on the desktop, a file input in the browser. */
    async pick(): Promise<void> {
      if (!isDesktop(stores.settings.getState())) {
        filePicker?.();
        return;
      }
      await run('Could not open the archives', async () => open(await api.call('archives.pick')));
    },
    /** Dropped or picked files: archives go to the import dialog, anything else is refused by name. */
    async importFiles(files: readonly File[]): Promise<void> {
      const { accepted, refused } = splitArchiveFiles(files);
      if (refused.length > 0) {
        toast(
          'error',
          `${listNames(refused.map((f) => f.name))} ${refused.length === 1 ? 'is not a snapshot archive' : 'are not snapshot archives'}: only ${ARCHIVE_EXTENSIONS_TEXT} files can be imported.`,
        );
      }
      if (accepted.length === 0) return;
      const names = listNames(accepted.map((f) => f.name));
      // In the browser each file is uploaded first; its progress shows with the transfers (the desktop reports none).
      const upload = transfers.beginUpload(accepted);
      await run(`Could not open ${names}`, async () => {
        let archives: ArchiveRef[];
        try {
          archives = await api.registerFiles([...accepted], upload.onProgress, upload.signal);
        } catch (err) {
          if (errorCode(err) !== 'cancelled') throw err;
          toast('info', `Upload of ${names} cancelled; nothing was kept.`);
          return;
        } finally {
          upload.end();
        }
        open(archives);
      });
    },
    /**
     * Starts every archive in the dialog; those refused right away stay with their error.
     * Nothing starts while a name is a problem (two items of one import never race for a name):
     * returns the index of the first item to fix, or -1 when all were sent.
     */
    async confirm(): Promise<number> {
      const pending = stores.imports.getState().pending;
      const firstBad = nameChecks(pending).findIndex((c) => c.problem !== null);
      if (firstBad >= 0) return firstBad;
      // A description the store would refuse is fixed in the dialog, not failed by the import.
      const badDescription = pending.findIndex((i) => i.preview !== null && descriptionProblem(i.description) !== null);
      if (badDescription >= 0) return badDescription;
      for (const item of pending.filter((i) => i.preview !== null)) await importOne(item);
      // The archives that could not be read were shown with their reasons; once the rest is under way they are let go,
      // so the dialog closes rather than stay open on them alone.
      for (const item of stores.imports.getState().pending.filter((i) => i.preview === null)) this.discard(item.archive.id);
      return -1;
    },
    /** Closes the import dialog; archives not imported are released (an uploaded copy is deleted). */
    cancel(): void {
      const ids = stores.imports.getState().pending.map((i) => i.archive.id);
      stores.imports.getState().clear();
      for (const archiveId of ids) release(archiveId);
    },
    /** Skips one archive of the dialog and releases it. */
    discard(archiveId: string): void {
      stores.imports.getState().remove(archiveId);
      release(archiveId);
    },
    /** Takes archives opened with the app, now and later; returns the unsubscriber. */
    start(): () => void {
      const off = api.on('archives.opened', ({ archives }) => open(archives));
      // Files opened with the app before this window was listening.
      api.call('archives.takeOpened').then(open, () => undefined);
      return off;
    },
  };
}
