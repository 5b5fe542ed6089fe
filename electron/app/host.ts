import type { SnapshotDetails } from '../../src-core/types';
import type { Task } from './contract';

/** How an export is asked for: gzip-wrapped (default) or plain tar, and the deflate level. */
export interface ExportRequest {
  gzip?: boolean;
  level?: number;
}

/**
 * What differs between the hosts the app runs in: picking and saving files,
 * showing them in a file manager, choosing the store folder, and how an
 * exported archive reaches the user. The desktop shell implements it with
 * native dialogs and files written where the user chose; the web shell with
 * uploads and downloads the page itself drives. Shared handlers call this and
 * never ask which host they run in.
 */
export interface HostServices {
  /** Archives picked in the host's own open dialog: their paths; empty when cancelled. */
  pickArchives(): Promise<string[]>;
  /**
   * Paths the page gave for files the user dropped, as the host lets them
   * through: the desktop's come from the preload (dropped File objects); a
   * host whose page cannot name paths on this machine refuses them.
   */
  droppedArchives(paths: string[]): Promise<string[]>;
  /** A new store root chosen by the user (starting at `current`); null when cancelled. */
  chooseRoot(current: string): Promise<string | null>;
  /** Shows a file or folder of the store in the user's file manager. */
  showInFolder(path: string): Promise<void>;
  /** Starts exporting `snapshot` to where this host saves files, as a task; null when the user cancelled. */
  startExport(snapshot: SnapshotDetails, request: ExportRequest): Promise<Task | null>;
  /** Shows the file a finished export task wrote. */
  showExport(taskId: string): Promise<void>;
}
