import type { SnapshotBackend } from '../../src-core/backend';
import { SnapDeskError } from '../../src-core/errors';
import type { HostServices } from '../app/host';
import type { TaskManager } from '../app/tasks';
import { ARCHIVE_FILTERS, type Dialogs } from './dialogs';
import { desktopExports } from './exports';

/**
 * The desktop host: native dialogs pick archives, the store root and export
 * targets; the file manager shows files; dropped files arrive as paths from
 * the preload (webUtils), which main checks like any other path.
 */
export function desktopHost(deps: { store(): SnapshotBackend; tasks: TaskManager; dialogs: Dialogs }): HostServices {
  const { dialogs } = deps;
  const exports = desktopExports(deps);
  return {
    pickArchives: () => dialogs.showOpenDialog({ title: 'Import snapshot archives', filters: ARCHIVE_FILTERS, multiSelections: true }),
    droppedArchives: async (paths) => paths,
    chooseRoot: (current) => dialogs.showDirectoryDialog({ title: 'Choose the cocoon root folder', defaultPath: current }),
    showInFolder: async (path) => dialogs.showItemInFolder(path),
    startExport: (snapshot, request) => exports.start(snapshot, request),
    async showExport(taskId) {
      const path = exports.pathOf(taskId);
      if (!path) throw new SnapDeskError('invalid_input', 'only a finished export has a file to show', { taskId });
      dialogs.showItemInFolder(path);
    },
  };
}
