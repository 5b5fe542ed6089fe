import { dialogExtensions } from '../../src-core/rules';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/**
 * The native dialogs and shell actions the desktop host uses: main.ts
 * implements them with Electron's dialog and shell, tests with a script.
 */
export interface Dialogs {
  /** The chosen path, or null when cancelled. */
  showSaveDialog(opts: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  /** The chosen paths; empty when cancelled. */
  showOpenDialog(opts: { title: string; filters: FileFilter[]; multiSelections: boolean }): Promise<string[]>;
  showDirectoryDialog(opts: { title: string; defaultPath?: string }): Promise<string | null>;
  showItemInFolder(path: string): void;
}

export const ARCHIVE_FILTERS: FileFilter[] = [{ name: 'Snapshot archives', extensions: dialogExtensions() }];
