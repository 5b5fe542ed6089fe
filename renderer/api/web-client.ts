import type { ArchiveRef, CallInput, CallName, CallResult, EventName, EventPayloads, SnapdeskApi, Task, UploadProgress } from '../../electron/app/contract';
import { EVENT_NAMES } from '../../electron/app/channels';
import { SnapDeskError } from '../../src-core/errors';
import { createWebSession, type SecretStorage } from './web-session';
import { uploadCancelled, uploadWithFetch, uploadWithXhr, type UploadRequest } from './web-upload';

/** The part of EventSource the client uses (a test can supply its own). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  removeEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface WebClientOptions {
  /** Server origin; '' (default) means the page's own. */
  baseUrl?: string;
  /** The printed token, traded for a session secret on first use (a page reads it from its address's fragment). */
  token?: string;
  /** Keeps the session secret across reloads of the tab (a page passes sessionStorage). */
  storage?: SecretStorage;
  fetch?: typeof fetch;
  openEvents?: (url: string) => EventSourceLike;
  /** Starts a browser download of `url` (default: a temporary download link). */
  download?: (url: string) => void;
  /** Sends uploads, for their progress (default: the browser's; without one, uploads go by fetch and report only start and end). */
  XMLHttpRequest?: typeof XMLHttpRequest;
  /** Wait before reopening an event stream that broke. */
  reconnectMs?: number;
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

const awaitsDownload = (result: unknown): result is Task => typeof result === 'object' && result !== null && (result as Task).awaitsDownload === true;

/**
 * SnapdeskApi over the web shell (`npm run web`), every request built from
 * the route table: calls are `calls.invoke`, events one `events.stream`,
 * files `uploads.check` then `uploads.send`, and an export the server marks
 * `awaitsDownload` is fetched through `exports.download`.
 */
export function createWebClient(opts: WebClientOptions = {}): SnapdeskApi {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const session = createWebSession({ baseUrl: opts.baseUrl ?? '', fetch: doFetch, token: opts.token, storage: opts.storage });
  const openEvents = opts.openEvents ?? ((url: string) => new EventSource(url));
  const download = opts.download ?? downloadWithLink;
  const Xhr = opts.XMLHttpRequest ?? (typeof XMLHttpRequest === 'undefined' ? undefined : XMLHttpRequest);
  const reconnectMs = opts.reconnectMs ?? 2_000;

  const invoke = <K extends CallName>(name: K, input: unknown): Promise<CallResult<K>> =>
    session.request('calls.invoke', { params: { name }, body: input }) as Promise<CallResult<K>>;

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
    try {
      await session.request('uploads.check', { body: { files: files.map((f) => ({ fileName: f.name, size: f.size })) }, signal });
    } catch (err) {
      if (signal?.aborted) throw uploadCancelled(file);
      if (err instanceof SnapDeskError) throw err;
      throw new SnapDeskError('io', `cannot upload ${files.length === 1 ? file.name : `${files.length} files`}: the Snapshot Desk server could not be reached (${err instanceof Error ? err.message : String(err)})`, {}, { cause: err });
    }
  }

  /** Uploads the files one after another (each reports its own progress); all or none are kept. */
  async function registerFiles(files: File[], onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<ArchiveRef[]> {
    const refs: ArchiveRef[] = [];
    await checkFits(files, signal);
    try {
      const auth = await session.authHeaders();
      for (const [index, file] of files.entries()) {
        refs.push(await upload({ url: session.url('uploads.send'), file, index, auth, onProgress, signal }));
      }
      // An abort as the last byte landed still means "keep nothing".
      const last = files[files.length - 1];
      if (signal?.aborted && last) throw uploadCancelled(last);
    } catch (err) {
      // All or none, as on the desktop: drop what was uploaded before the failure or the abort.
      await Promise.allSettled(refs.map((ref) => invoke('archives.release', { archiveId: ref.id })));
      throw err;
    }
    return refs;
  }

  async function call<K extends CallName>(name: K, input?: CallInput<K>): Promise<CallResult<K>> {
    const result = await invoke(name, input);
    // The server streams the archive into this download; the task reports its progress.
    if (awaitsDownload(result)) download(await session.ticketUrl('exports.download', { purpose: 'download', taskId: result.id }, { taskId: result.id }));
    return result;
  }

  const listeners = new Map<string, Set<(payload: never) => void>>();
  let source: EventSourceLike | null = null;
  /** Bumped whenever the stream is dropped, so a connect that was under way does not resurrect it. */
  let generation = 0;

  const dispatch = (event: string) => (message: { data: string }) => {
    const payload = JSON.parse(message.data) as never;
    for (const l of [...(listeners.get(event) ?? [])]) l(payload);
  };
  const dispatchers = new Map(EVENT_NAMES.map((event) => [event, dispatch(event)] as const));

  function disconnect(): void {
    generation++;
    source?.close();
    source = null;
  }

  /** Opens the one event stream with a fresh ticket; reopens it (new ticket) when it breaks. */
  function connect(): void {
    const mine = ++generation;
    session.ticketUrl('events.stream', { purpose: 'events' }).then(
      (url) => {
        if (mine !== generation) return;
        const opened = openEvents(url);
        source = opened;
        for (const [event, handler] of dispatchers) opened.addEventListener(event, handler);
        opened.addEventListener('error', () => {
          // A ticket is single-use, so the browser's own retry of the same URL cannot work: start over.
          if (mine !== generation) return;
          opened.close();
          source = null;
          setTimeout(() => mine === generation && connect(), reconnectMs);
        });
      },
      () => setTimeout(() => mine === generation && connect(), reconnectMs),
    );
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (listeners.size === 0) connect();
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0) disconnect();
    };
  }

  return { call: call as SnapdeskApi['call'], on, registerFiles };
}
