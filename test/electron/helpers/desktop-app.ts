import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../../electron/app/app-context';
import { channelOf, type CallName, type CallResult, type Envelope, type EventName, type EventPayloads } from '../../../electron/app/contract';
import type { Dialogs } from '../../../electron/desktop/dialogs';
import { desktopHost } from '../../../electron/desktop/host';
import { registerIpc, type IpcRegistrar } from '../../../electron/desktop/ipc';
import { APP_URL, makeSenderCheck, type IpcSenderEvent } from '../../../electron/desktop/security';
import { SettingsStore } from '../../../electron/app/settings';
import { fromErrorData, type SnapDeskError } from '../../../src-core/errors';
import { openStore } from '../../../src-core/localfile';

/** What the fake dialogs answer next, and what they were asked. */
export interface DialogScript {
  savePath: string | null;
  openPaths: string[];
  directory: string | null;
  shown: string[];
  saveDefaults: string[];
}

/**
 * The desktop app's main side without Electron: a real store in a temp root,
 * the real handlers bound through registerIpc to a fake ipcMain, scripted
 * dialogs, and a recorder of the events the window would receive.
 */
export async function desktopApp() {
  const dir = await mkdtemp(join(tmpdir(), 'snapdesk-desktop-'));
  const root = join(dir, 'root');
  const script: DialogScript = { savePath: null, openPaths: [], directory: null, shown: [], saveDefaults: [] };
  const dialogs: Dialogs = {
    showSaveDialog: async ({ defaultName }) => {
      script.saveDefaults.push(defaultName);
      return script.savePath;
    },
    showOpenDialog: async () => script.openPaths,
    showDirectoryDialog: async () => script.directory,
    showItemInFolder: (path) => void script.shown.push(path),
  };
  const settings = await SettingsStore.load(join(dir, 'userData', 'settings.json'), { cli: root, defaultRoot: join(dir, 'default-root') });
  const ctx: AppContext = await createAppContext({
    info: { version: '0.1.0', platform: process.platform, transport: 'electron' },
    settings,
    openStore: (r) => openStore({ root: r }),
    makeHost: (deps) => desktopHost({ ...deps, dialogs }),
    watch: { debounceMs: 20, pollMs: 20 },
  });
  const channels = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcRegistrar = { handle: (c, l) => void channels.set(c, l), removeHandler: (c) => void channels.delete(c) };
  const mainFrame = { url: APP_URL };
  registerIpc(ipcMain, ctx.handlers, makeSenderCheck(() => mainFrame));
  const events: { event: EventName; payload: unknown }[] = [];
  ctx.bus.subscribe((event, payload) => void events.push({ event, payload }));

  /** Invokes a call the way the preload does, from the main frame. */
  async function raw(name: CallName, input?: unknown): Promise<Envelope<unknown>> {
    const handler = channels.get(channelOf(name));
    if (!handler) throw new Error(`no channel for ${name}`);
    return (await handler({ senderFrame: mainFrame }, input)) as Envelope<unknown>;
  }
  async function call<K extends CallName>(name: K, input?: unknown): Promise<CallResult<K>> {
    const env = await raw(name, input);
    if (!env.ok) throw fromErrorData(env.error);
    return env.result as CallResult<K>;
  }
  async function failure(name: CallName, input?: unknown): Promise<SnapDeskError> {
    const env = await raw(name, input);
    if (env.ok) throw new Error(`${name} unexpectedly succeeded`);
    return fromErrorData(env.error);
  }
  function nextEvent<E extends EventName>(event: E, match: (p: EventPayloads[E]) => boolean = () => true): Promise<EventPayloads[E]> {
    return new Promise((resolve) => {
      const off = ctx.bus.subscribe((e: EventName, p: unknown) => {
        if (e === (event as EventName) && match(p as EventPayloads[E])) {
          off();
          resolve(p as EventPayloads[E]);
        }
      });
    });
  }
  return {
    dir,
    root,
    ctx,
    script,
    events,
    raw,
    call,
    failure,
    nextEvent,
    async close() {
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
