import { lstat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SnapshotBackend } from '../../src-core/backend';
import { SnapDeskError } from '../../src-core/errors';
import type { Dialogs } from './dialogs';
import { dialogExtensions, exportFileName, withArchiveExtension } from '../../src-core/rules';
import type { ExportRequest } from '../app/host';
import type { SnapshotDetails } from '../../src-core/types';
import type { Task } from '../app/contract';
import type { TaskManager } from '../app/tasks';

/** Exports delivered as files on this machine, and where each task wrote its file. */
export interface FileExports {
  /** Starts the export task; null when the user cancelled the save dialog. */
  start(snapshot: SnapshotDetails, request: ExportRequest): Promise<Task | null>;
  /** The file an export task writes, for "Show in folder". */
  pathOf(taskId: string): string | undefined;
}

/**
 * Desktop export: the user picks the file in a save dialog, then the store
 * writes it (temp file beside it, renamed on success) as a task.
 */
export function desktopExports(deps: { store(): SnapshotBackend; tasks: TaskManager; dialogs: Dialogs }): FileExports {
  const targets = new Map<string, string>();
  return {
    async start(snapshot, { gzip, level }) {
      const wrap = gzip !== false;
      const chosen = await deps.dialogs.showSaveDialog({
        title: 'Export snapshot',
        defaultName: exportFileName(snapshot, wrap),
        filters: wrap ? [{ name: 'Snapshot archive', extensions: dialogExtensions('gzip') }] : [{ name: 'Tar archive', extensions: dialogExtensions('tar') }],
      });
      if (!chosen) return null;
      const path = withArchiveExtension(chosen, wrap);
      // The dialog asked about replacing the name typed, not this one (GTK appends no extension): never replace it unasked.
      if (path !== chosen && (await lstat(path).catch(() => null))) {
        throw new SnapDeskError('invalid_input', `${basename(path)} already exists; export again and choose it by its full name to replace it, or pick another name`, { fileName: basename(path) });
      }
      const store = deps.store();
      const task = deps.tasks.start({
        kind: 'export',
        title: `Export ${snapshot.name || snapshot.id}`,
        bytesTotal: snapshot.usage.size,
        run: async ({ signal, onProgress }) => {
          await store.exportToFile(snapshot.id, path, { gzip: wrap, level, signal, onProgress });
          return { fileName: basename(path) };
        },
      });
      targets.set(task.id, path);
      return task;
    },
    pathOf: (taskId) => targets.get(taskId),
  };
}
