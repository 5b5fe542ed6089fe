import type { SnapdeskApi, Task, UploadProgress } from '../../contract';
import type { Stores } from '../../app/stores';
import type { RunAction } from '../../shared/run-action';
import { plainError } from '../../format/errors';
import type { ToastAction } from '../../shared/ui-store';
import { isActive } from './tasks-store';

export interface TransferDeps {
  api: SnapdeskApi;
  run: RunAction;
  stores: Pick<Stores, 'tasks' | 'uploads' | 'ui'>;
}

/**
 * What a feature does when one of its tasks ends. Returns true when it has
 * told the user itself; otherwise a failure is reported in general words.
 */
export type TaskEndedHandler = (task: Task) => boolean;

/** One upload batch as the importing feature sees it: report progress into it, stop it, end it. */
export interface UploadBatchHandle {
  signal: AbortSignal;
  onProgress(progress: UploadProgress): void;
  end(): void;
}

export type TransferActions = ReturnType<typeof createTransferActions>;

/** Every import, export and verification, and the browser's uploads: their progress, cancelling, and their ends. */
export function createTransferActions({ api, run, stores }: TransferDeps) {
  const endedHandlers = new Map<Task['kind'], TaskEndedHandler>();
  /** Uploads in flight (browser transport), by batch, so Cancel can stop them. */
  const uploadAborts = new Map<number, AbortController>();
  let uploadSeq = 0;
  /** The drawer was opened by an upload, not by the user. */
  let drawerOpenedForUpload = false;

  /** Records a task's new state; a task that has just ended goes to the feature that started it. */
  function track(task: Task): void {
    const prev = stores.tasks.getState().byId[task.id];
    stores.tasks.getState().upsert(task);
    if (isActive(task) || (prev && !isActive(prev))) return;
    // The open drawer already says how a transfer ended; a toast would only repeat it.
    const drawerShows = stores.ui.getState().transfersOpen;
    const told = endedHandlers.get(task.kind)?.(task) ?? false;
    if (!told && task.state === 'failed' && !drawerShows) {
      const { reason, detail } = plainError(task.error ?? 'unknown error');
      const showTransfers: ToastAction = { label: 'Show transfers', run: () => stores.ui.getState().setTransfers(true) };
      stores.ui.getState().toast('error', `${task.title} failed: ${reason}.`, { ...(detail ? { detail } : {}), action: showTransfers });
    }
  }

  return {
    track,
    /** A feature (imports, exports) hears the ends of its kind of task. */
    onEnded(kind: Task['kind'], handler: TaskEndedHandler): void {
      endedHandlers.set(kind, handler);
    },
    openDrawer: (): void => stores.ui.getState().setTransfers(true),
    async cancelTask(taskId: string): Promise<void> {
      await run('Could not cancel the transfer', () => api.call('tasks.cancel', { taskId }));
    },
    async clearFinished(): Promise<void> {
      await run('Could not clear finished transfers', async () => {
        await api.call('tasks.clear');
        stores.tasks.getState().removeFinished();
      });
    },
    async showTaskInFolder(taskId: string): Promise<void> {
      await run('Could not show the file', () => api.call('tasks.showInFolder', { taskId }));
    },
    /** Starts showing an upload batch; its card appears with the first progress report. */
    beginUpload(files: readonly { name: string; size: number }[]): UploadBatchHandle {
      const batch = ++uploadSeq;
      const abort = new AbortController();
      uploadAborts.set(batch, abort);
      const sizes = files.map((f) => ({ name: f.name, size: f.size }));
      return {
        signal: abort.signal,
        onProgress: (p) => {
          // A late report must not bring back a batch that has ended.
          if (!uploadAborts.has(batch)) return;
          // Uploads are transfers too: the first report opens the drawer that lists them with the rest.
          if (!(batch in stores.uploads.getState().byId) && !stores.ui.getState().transfersOpen) {
            drawerOpenedForUpload = true;
            stores.ui.getState().setTransfers(true);
          }
          stores.uploads.getState().progress(batch, sizes, p);
        },
        end: () => {
          uploadAborts.delete(batch);
          stores.uploads.getState().end(batch);
          // A drawer the upload opened by itself closes again when it would show nothing.
          if (drawerOpenedForUpload && uploadAborts.size === 0 && stores.tasks.getState().order.length === 0) {
            drawerOpenedForUpload = false;
            stores.ui.getState().setTransfers(false);
          }
        },
      };
    },
    /** Stops an upload batch; the server deletes what it received and nothing of the batch is kept. */
    cancelUpload(batch: number): void {
      const abort = uploadAborts.get(batch);
      if (!abort) return;
      stores.uploads.getState().markCancelling(batch);
      abort.abort();
    },
    /** Follows tasks (events, and the list of those started before this window); returns the unsubscriber. */
    start(): () => void {
      const off = api.on('task.updated', track);
      api.call('tasks.list').then(
        (tasks) => {
          // Events may have arrived first; they are newer than this snapshot of the list.
          const known = stores.tasks.getState().byId;
          for (const t of tasks) if (!(t.id in known)) stores.tasks.getState().upsert(t);
        },
        () => undefined,
      );
      return off;
    },
  };
}
