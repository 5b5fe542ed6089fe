import type { ArchiveRef, UploadProgress } from '../../electron/app/contract';
import { SnapDeskError, cancelled } from '../../src-core/errors';
import { HTTP_ROUTES } from '../../electron/app/http-routes';
import { UPLOAD_FILE_NAME_HEADER } from '../../src-core/rules';
import { readServerAnswer } from './server-answer';

/** One file to send as the body of route `uploads.send` (its URL built from the route table). */
export interface UploadRequest {
  url: string;
  file: File;
  /** The file's position in the batch, passed through to progress reports. */
  index: number;
  /** The session's `Authorization` header. */
  auth: Record<string, string>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export const uploadCancelled = (file: File): SnapDeskError => cancelled(`the upload of ${file.name}`);

const headersFor = (req: UploadRequest): Record<string, string> => ({
  'Content-Type': 'application/octet-stream',
  [UPLOAD_FILE_NAME_HEADER]: encodeURIComponent(req.file.name),
  ...req.auth,
});

const reporter = (req: UploadRequest) => (bytesDone: number) =>
  req.onProgress?.({ index: req.index, fileName: req.file.name, bytesDone: Math.min(bytesDone, req.file.size), bytesTotal: req.file.size });

/**
 * Uploads with XMLHttpRequest, the one browser API that reports how much of
 * a request body has been sent. The File is the body, so the browser streams
 * it from disk; aborting `signal` aborts the request, and the server deletes
 * what it had received.
 */
export function uploadWithXhr(Xhr: typeof XMLHttpRequest, req: UploadRequest): Promise<ArchiveRef> {
  const { file, signal } = req;
  if (signal?.aborted) return Promise.reject(uploadCancelled(file));
  const report = reporter(req);
  return new Promise<ArchiveRef>((resolve, reject) => {
    const xhr = new Xhr();
    const onAbort = (): void => xhr.abort();
    const settle = (outcome: () => void): void => {
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    xhr.open(HTTP_ROUTES['uploads.send'].method, req.url);
    for (const [name, value] of Object.entries(headersFor(req))) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (e) => report(e.loaded));
    xhr.upload.addEventListener('load', () => report(file.size));
    xhr.addEventListener('load', () =>
      settle(() => {
        try {
          resolve(readServerAnswer<ArchiveRef>(xhr.status, xhr.getResponseHeader('Content-Type') ?? '', xhr.responseText));
        } catch (err) {
          reject(err);
        }
      }),
    );
    xhr.addEventListener('abort', () => settle(() => reject(uploadCancelled(file))));
    // A browser drops the server's early refusal of a body it is still sending (e.g. not enough
    // space for the file) and reports only a network error, so the message names that case too.
    xhr.addEventListener('error', () =>
      settle(() =>
        reject(
          new SnapDeskError(
            'io',
            `the upload of ${file.name} broke off: the Snapshot Desk server stopped it (as it does when it has too little disk space or the file is over its upload limit) or could not be reached`,
          ),
        ),
      ),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(file);
    // After send: a listener that aborts on this first report cancels a request in flight.
    report(0);
  });
}

/**
 * Uploads with fetch, where there is no XMLHttpRequest (Node scripts and
 * tests): the File still streams as the body, but fetch cannot tell how much
 * of it was sent, so progress is reported at the start and the end only.
 */
export async function uploadWithFetch(doFetch: typeof fetch, req: UploadRequest): Promise<ArchiveRef> {
  const { file, signal } = req;
  if (signal?.aborted) throw uploadCancelled(file);
  const report = reporter(req);
  report(0);
  let response: Response;
  let body: string;
  try {
    response = await doFetch(req.url, { method: HTTP_ROUTES['uploads.send'].method, headers: headersFor(req), body: file, credentials: 'omit', signal });
    body = await response.text();
  } catch (err) {
    if (signal?.aborted) throw uploadCancelled(file);
    throw err;
  }
  report(file.size);
  return readServerAnswer<ArchiveRef>(response.status, response.headers.get('content-type') ?? '', body);
}
