import { SnapDeskError } from '../../src-core/errors';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/**
 * The native dialogs and shell actions handlers need. The desktop app
 * implements it with Electron's dialog and shell; the browser transport has
 * no such things on the server side (the browser client picks and downloads
 * files itself).
 */
export interface Dialogs {
  /** The chosen path, or null when cancelled. */
  showSaveDialog(opts: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  /** The chosen paths; empty when cancelled. */
  showOpenDialog(opts: { title: string; filters: FileFilter[]; multiSelections: boolean }): Promise<string[]>;
  showDirectoryDialog(opts: { title: string; defaultPath?: string }): Promise<string | null>;
  showItemInFolder(path: string): void;
}

const unavailable = (what: string): SnapDeskError =>
  new SnapDeskError('invalid_input', `${what} is only available in the desktop app`, { unavailable: what });

/** Dialogs of the browser transport: every native action is refused with a clear message. */
export const webDialogs: Dialogs = {
  showSaveDialog: () => Promise.reject(unavailable('the save dialog')),
  showOpenDialog: () => Promise.reject(unavailable('the open dialog (the browser picks files itself)')),
  showDirectoryDialog: () => Promise.reject(unavailable('choosing the store folder (restart the server with --root DIR)')),
  showItemInFolder: () => {
    throw unavailable('showing files in the file manager');
  },
};

export const ARCHIVE_FILTERS: FileFilter[] = [{ name: 'Snapshot archives', extensions: ['tgz', 'tar.gz', 'tar'] }];
