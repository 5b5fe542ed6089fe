import type { SnapshotBackend } from '../../src-core/backend';
import { SnapDeskError } from '../../src-core/errors';
import type { Task } from '../app/contract';
import type { ExportRequest, HostServices } from '../app/host';
import type { SnapshotDetails } from '../../src-core/types';
import type { TaskManager } from '../app/tasks';
import { DownloadExports } from './downloads';

/** What the page does itself in a browser, named in the refusal of a server-side stand-in. */
const pageDoes = (what: string, instead: string): SnapDeskError =>
  new SnapDeskError('invalid_input', `${what} is only available in the desktop app; ${instead}`, { unavailable: what });

/**
 * The web host: the page picks files with the browser's own chooser and
 * uploads them, and exports reach the user as downloads the page starts.
 * The server shows no dialogs on this machine (the browser may be elsewhere,
 * the server headless), so those services refuse in words saying what to do.
 */
export class WebHost implements HostServices {
  readonly downloads: DownloadExports;

  constructor(deps: { store(): SnapshotBackend; tasks: TaskManager; exportAttachTimeoutMs?: number }) {
    this.downloads = new DownloadExports({ store: deps.store, tasks: deps.tasks, attachTimeoutMs: deps.exportAttachTimeoutMs });
  }

  async pickArchives(): Promise<string[]> {
    throw pageDoes('the open dialog', 'the browser picks files itself: drop them or choose them with Import');
  }

  async droppedArchives(): Promise<string[]> {
    // A browser page names no paths of this machine: its files arrive as uploads.
    throw new SnapDeskError('invalid_input', 'in the browser, archives are uploaded: drop them or choose them with Import');
  }

  async chooseRoot(): Promise<string | null> {
    throw pageDoes('choosing the store folder', 'restart the server with --root DIR');
  }

  async showInFolder(): Promise<void> {
    throw pageDoes('showing files in the file manager', 'open the folder on the machine the server runs on');
  }

  /** The task comes back marked `awaitsDownload`: the page fetches the archive with a download ticket. */
  async startExport(snapshot: SnapshotDetails, request: ExportRequest): Promise<Task> {
    return { ...(await this.downloads.start(snapshot, request)), awaitsDownload: true };
  }

  async showExport(): Promise<void> {
    throw pageDoes('showing an export in the file manager', 'the browser saved it in its downloads folder');
  }
}
