import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { SnapshotBackend } from '../../src-core/backend';
import { SnapDeskError, cancelled } from '../../src-core/errors';
import { exportFileName, SECURITY_HEADERS } from '../../src-core/rules';
import type { SnapshotDetails } from '../../src-core/types';
import type { Task } from '../app/contract';
import type { ExportRequest } from '../app/host';
import type { TaskManager } from '../app/tasks';

interface PendingDownload {
  fileName: string;
  gzip: boolean;
  claimed: boolean;
  attach(res: ServerResponse): void;
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Browser export: `snapshots.export` creates the task, the page then
 * downloads it (route `exports.download`), and the archive streams from the
 * store straight into that response. Closing the download cancels the task.
 */
export class DownloadExports {
  private readonly pending = new Map<string, PendingDownload>();

  constructor(private readonly deps: { store(): SnapshotBackend; tasks: TaskManager; attachTimeoutMs?: number }) {}

  async start(snapshot: SnapshotDetails, { gzip, level }: ExportRequest): Promise<Task> {
    const wrap = gzip !== false;
    const fileName = exportFileName(snapshot, wrap);
    const store = this.deps.store();
    let attach: (res: ServerResponse) => void = () => undefined;
    const attached = new Promise<ServerResponse>((resolve) => {
      attach = resolve;
    });
    const timeoutMs = this.deps.attachTimeoutMs ?? 60_000;
    let taskId = '';
    const task = this.deps.tasks.start({
      kind: 'export',
      title: `Export ${snapshot.name || snapshot.id}`,
      bytesTotal: snapshot.usage.size,
      run: async ({ signal, onProgress }) => {
        const res = await waitForDownload(attached, signal, timeoutMs);
        const { stream } = await store.export(snapshot.id, { gzip: wrap, level, signal, onProgress });
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': wrap ? 'application/gzip' : 'application/x-tar',
          'Content-Disposition': contentDisposition(fileName),
          'Cache-Control': 'no-store',
        });
        await pipeline(stream, res, { signal });
        return { fileName };
      },
      onSettled: () => {
        this.pending.delete(taskId);
      },
    });
    taskId = task.id;
    if (task.state === 'queued' || task.state === 'running') this.pending.set(task.id, { fileName, gzip: wrap, claimed: false, attach });
    return task;
  }

  /** Whether export task `taskId` waits for its download to start. */
  isWaiting(taskId: string): boolean {
    const pending = this.pending.get(taskId);
    return pending !== undefined && !pending.claimed;
  }

  /**
   * Serves the download of export task `taskId` into `res`, once. Resolves
   * when the task has settled; false when there is no such pending download.
   */
  async serve(taskId: string, res: ServerResponse): Promise<boolean> {
    const pending = this.pending.get(taskId);
    if (!pending || pending.claimed) return false;
    pending.claimed = true;
    // A download the browser gives up on cancels the export (and so the store's reading).
    res.on('close', () => {
      if (!res.writableFinished) {
        try {
          this.deps.tasks.cancel(taskId);
        } catch {
          // Already cleared: nothing left to cancel.
        }
      }
    });
    pending.attach(res);
    const task = await this.deps.tasks.wait(taskId);
    if (!res.headersSent && !res.destroyed) {
      const error = task.error ?? { code: 'internal', message: 'export failed' };
      res.writeHead(error.code === 'not_found' ? 404 : 500, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ ok: false, error }));
    } else if (task.state !== 'done') {
      // Headers went out already: cutting the connection is how the browser learns the file is incomplete.
      res.destroy();
    }
    return true;
  }
}

function waitForDownload(attached: Promise<ServerResponse>, signal: AbortSignal, timeoutMs: number): Promise<ServerResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new SnapDeskError('cancelled', 'export cancelled: the browser did not start the download'));
    }, timeoutMs);
    timer.unref();
    const onAbort = (): void => {
      cleanup();
      reject(cancelled('export'));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    attached.then((res) => {
      cleanup();
      resolve(res);
    }, reject);
  });
}
