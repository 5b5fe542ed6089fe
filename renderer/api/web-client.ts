import type { ArchiveRef, CallInput, CallName, CallResult, EventName, EventPayloads, SnapdeskApi, Task, UploadProgress } from '../../electron/contract';
import { SnapDeskError } from '../../src-core/errors';
import { parseEnvelope } from './envelope';
import { uploadCancelled, uploadWithFetch, uploadWithXhr, type UploadRequest } from './web-upload';

export { FILE_NAME_HEADER } from './web-upload';

/** The part of EventSource the client uses (a test can supply one that sends a Bearer header). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  removeEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface WebClientOptions {
  /** Server origin; '' (default) means the page's own. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer` (outside a browser, where there is no session cookie). */
  token?: string;
  fetch?: typeof fetch;
  openEvents?: (url: string) => EventSourceLike;
  /** Starts a browser download of `url` (default: a temporary download link). */
  download?: (url: string) => void;
  /** The browser's file picker (default: a temporary file input). */
  pickFiles?: () => Promise<File[]>;
  /** Sends uploads, for their progress (default: the browser's; without one, uploads go by fetch and report only start and end). */
  XMLHttpRequest?: typeof XMLHttpRequest;
}

function downloadWithLink(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

function pickWithInput(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.tgz,.tar.gz,.tar,application/gzip,application/x-tar';
    input.addEventListener('change', () => resolve([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => resolve([]), { once: true });
    input.click();
  });
}

/**
 * SnapdeskApi over the browser transport (`npm run web`): calls are POSTs of
 * JSON answered with Envelopes, events arrive over one EventSource, files
 * are uploaded as streamed request bodies, exports download from the server.
 */
export function createWebClient(opts: WebClientOptions = {}): SnapdeskApi {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const auth: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  const openEvents = opts.openEvents ?? ((url: string) => new EventSource(url));
  const download = opts.download ?? downloadWithLink;
  const pickFiles = opts.pickFiles ?? pickWithInput;
  const Xhr = opts.XMLHttpRequest ?? (typeof XMLHttpRequest === 'undefined' ? undefined : XMLHttpRequest);

  async function unwrap<T>(response: Response): Promise<T> {
    return parseEnvelope<T>(response.status, response.headers.get('content-type') ?? '', await response.text());
  }

  const postJson = (path: string, body: unknown, signal?: AbortSignal): Promise<Response> =>
    doFetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: body === undefined ? '' : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });

  async function post<K extends CallName>(name: K, input: unknown): Promise<CallResult<K>> {
    return unwrap<CallResult<K>>(await postJson(`/api/call/${name}`, input));
  }

  // The File itself is the body, streamed from disk by the browser; nothing is read into memory here.
  const upload = (req: UploadRequest): Promise<ArchiveRef> => (Xhr ? uploadWithXhr(Xhr, req) : uploadWithFetch(doFetch, req));

  /**
   * Asks the server whether it can take the files before sending any: a browser
   * shows a refusal that arrives mid-body only as a network error, so "too
   * large" and "not enough space" are answered here, in words, with no byte sent.
   */
  async function checkFits(files: File[], signal?: AbortSignal): Promise<void> {
    const [file] = files;
    if (!file) return;
    if (signal?.aborted) throw uploadCancelled(file);
    let response: Response;
    try {
      response = await postJson('/api/archives/check', { files: files.map((f) => ({ fileName: f.name, size: f.size })) }, signal);
    } catch (err) {
      if (signal?.aborted) throw uploadCancelled(file);
      throw new SnapDeskError('io', `cannot upload ${files.length === 1 ? file.name : `${files.length} files`}: the Snapshot Desk server could not be reached (${err instanceof Error ? err.message : String(err)})`, {}, { cause: err });
    }
    await unwrap<null>(response);
  }

  /** Uploads the files one after another (each reports its own progress); all or none are kept. */
  async function registerFiles(files: File[], onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<ArchiveRef[]> {
    const refs: ArchiveRef[] = [];
    await checkFits(files, signal);
    try {
      for (const [index, file] of files.entries()) {
        refs.push(await upload({ url: `${base}/api/archives`, file, index, auth, onProgress, signal }));
      }
      // An abort as the last byte landed still means "keep nothing".
      const last = files[files.length - 1];
      if (signal?.aborted && last) throw uploadCancelled(last);
    } catch (err) {
      // All or none, as on the desktop: drop what was uploaded before the failure or the abort.
      await Promise.allSettled(refs.map((ref) => post('archives.release', { archiveId: ref.id })));
      throw err;
    }
    return refs;
  }

  async function call<K extends CallName>(name: K, input?: CallInput<K>): Promise<CallResult<K>> {
    if (name === 'archives.pick') {
      const files = await pickFiles();
      return (files.length > 0 ? await registerFiles(files) : []) as CallResult<K>;
    }
    const result = await post(name, input);
    if (name === 'snapshots.export' && result) {
      // The server streams the archive into this download; the task reports its progress.
      download(`${base}/api/exports/${encodeURIComponent((result as Task).id)}`);
    }
    return result;
  }

  let source: EventSourceLike | null = null;
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const dispatchers = new Map<string, (event: { data: string }) => void>();

  function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    source ??= openEvents(`${base}/api/events`);
    let set = listeners.get(event);
    if (!set) {
      const subscribers = new Set<(payload: never) => void>();
      set = subscribers;
      listeners.set(event, subscribers);
      const dispatch = (message: { data: string }): void => {
        const payload = JSON.parse(message.data) as never;
        for (const l of [...subscribers]) l(payload);
      };
      dispatchers.set(event, dispatch);
      source.addEventListener(event, dispatch);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size > 0) return;
      listeners.delete(event);
      const dispatch = dispatchers.get(event);
      dispatchers.delete(event);
      if (dispatch) source?.removeEventListener(event, dispatch);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  }

  return { call: call as SnapdeskApi['call'], on, registerFiles };
}
