// The only bridge between the sandboxed renderer and main. It exposes the
// typed SnapdeskApi and nothing else (no raw ipcRenderer), and bundles only
// the zod-free channel list, so it stays small.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ErrorData } from '../../src-core/errors';
import { channelOf, isKnownCall, isKnownEvent } from '../app/channels';
import type { ArchiveRef, CallName, Envelope, EventName, EventPayloads, SnapdeskApi } from '../app/contract';

/**
 * A rejected call carries the error as plain data ({name, code, message,
 * details}): contextBridge copies an Error's message only and drops its
 * code, while a plain object's keys cross intact.
 */
const rejection = (error: ErrorData): Promise<never> => Promise.reject({ name: 'SnapDeskError', ...error });

/**
 * Calls a page may make by name. `archives.register` takes paths, so it is
 * only reachable through registerFiles below, whose paths come from File
 * objects the user dropped or picked: the page can never name a path to read.
 */
const callableByName = (name: CallName): boolean => isKnownCall(name) && name !== 'archives.register';

async function invoke(name: CallName, input: unknown): Promise<unknown> {
  const envelope = (await ipcRenderer.invoke(channelOf(name), input)) as Envelope<unknown>;
  return envelope.ok ? envelope.result : rejection(envelope.error);
}

const api: SnapdeskApi = {
  call: ((name: CallName, input?: unknown) =>
    callableByName(name) ? invoke(name, input) : rejection({ code: 'invalid_input', message: `not a call the page can make: ${String(name)}` })) as SnapdeskApi['call'],
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (!isKnownEvent(event)) throw new TypeError(`unknown event: ${String(event)}`);
    // The IpcRendererEvent (with its sender) never reaches the page.
    const wrapped = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => listener(payload);
    ipcRenderer.on(channelOf(event), wrapped);
    return () => {
      ipcRenderer.removeListener(channelOf(event), wrapped);
    };
  },
  // Progress and abort (the contract's optional arguments) are ignored: main reads the
  // dropped files where they are, so registering is instant and sends no bytes. (The
  // bridge would hand an AbortSignal over as an empty object anyway.)
  async registerFiles(files: File[]): Promise<ArchiveRef[]> {
    const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p !== '');
    if (paths.length === 0) return rejection({ code: 'invalid_input', message: 'only files from your disk can be imported' });
    return (await invoke('archives.register', { paths })) as ArchiveRef[];
  },
};

contextBridge.exposeInMainWorld('snapdesk', api);
