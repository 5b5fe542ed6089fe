import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, channelOf, type Envelope } from '../../electron/app/contract';
import { CONTENT_SECURITY_POLICY } from '../../src-core/rules';
import { APP_URL } from '../../electron/desktop/security';

/**
 * main.ts runs against a stand-in for the 'electron' module (the real one
 * needs the Electron binary), recording what it asks Electron to do.
 */
const fake = vi.hoisted(() => {
  const rec = {
    appListeners: new Map<string, (...args: unknown[]) => void>(),
    ipc: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    privileged: [] as unknown[],
    windows: [] as { options: Record<string, unknown>; loaded: string[]; sent: [string, unknown][]; progress: number[]; mainFrame: { url: string } }[],
    menu: null as unknown,
    permissionHandler: null as null | ((wc: unknown, p: string, cb: (g: boolean) => void) => void),
    userData: '',
    quit: 0,
  };
  return rec;
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: { mainFrame: { url: string }; send: (c: string, p: unknown) => void; isDestroyed: () => boolean; on: () => void };
    private readonly rec: (typeof fake.windows)[number];
    constructor(options: Record<string, unknown>) {
      const mainFrame = { url: 'snapdesk://app/index.html' };
      this.rec = { options, loaded: [], sent: [], progress: [], mainFrame };
      fake.windows.push(this.rec);
      this.webContents = { mainFrame, send: (c, p) => void this.rec.sent.push([c, p]), isDestroyed: () => false, on: () => undefined };
    }
    once(): void {}
    on(): void {}
    show(): void {}
    focus(): void {}
    restore(): void {}
    isMinimized(): boolean {
      return false;
    }
    isFocused(): boolean {
      return true;
    }
    setProgressBar(v: number): void {
      this.rec.progress.push(v);
    }
    async loadURL(url: string): Promise<void> {
      this.rec.loaded.push(url);
    }
  }
  class Notification {
    static isSupported(): boolean {
      return false;
    }
    show(): void {}
  }
  return {
    app: {
      isPackaged: false,
      name: 'Snapshot Desk',
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: (...args: unknown[]) => void) => void fake.appListeners.set(event, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => fake.userData,
      getAppPath: () => process.cwd(),
      getVersion: () => '0.0.0',
      quit: () => void fake.quit++,
      exit: () => undefined,
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void fake.privileged.push(...s),
      handle: (scheme: string, h: (r: Request) => Promise<Response>) => void fake.protocolHandlers.set(scheme, h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof fake.permissionHandler) => void (fake.permissionHandler = h),
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    ipcMain: {
      handle: (c: string, h: (e: unknown, ...a: unknown[]) => Promise<unknown>) => void fake.ipc.set(c, h),
      removeHandler: (c: string) => void fake.ipc.delete(c),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void (fake.menu = m) },
    BrowserWindow,
    Notification,
    dialog: { showErrorBox: (t: string, m: string) => console.error(t, m) },
    shell: { showItemInFolder: () => undefined, openExternal: async () => undefined },
  };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapdesk-main-'));
  fake.userData = join(dir, 'userData');
  vi.stubEnv('SNAPDESK_ROOT', join(dir, 'root'));
  await import('../../electron/desktop/main');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const invoke = async (name: string, input?: unknown, frame: unknown = fake.windows[0]?.mainFrame): Promise<Envelope<unknown>> =>
  (await fake.ipc.get(channelOf(name as 'app.info'))?.({ senderFrame: frame }, input)) as Envelope<unknown>;

describe('main process wiring', () => {
  it('opens one window with the secure options, the preload bundle, and the app URL', () => {
    const win = fake.windows[0];
    expect(win?.loaded).toEqual([APP_URL]);
    expect(win?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String((win?.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(fake.privileged).toEqual([{ scheme: 'snapdesk', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
  });

  it('binds every call of the contract over IPC, answering the window and refusing other frames', async () => {
    expect(fake.ipc.size).toBe(CALL_NAMES.length);
    expect(await invoke('snapshots.list')).toEqual({ ok: true, result: [] });
    expect(await invoke('app.info')).toMatchObject({ ok: true, result: { transport: 'electron' } });
    expect(await invoke('settings.get')).toMatchObject({ ok: true, result: { root: join(dir, 'root'), rootSource: 'env' } });
    expect((await invoke('snapshots.list', undefined, { url: APP_URL })).ok).toBe(false);
  });

  it('serves the renderer over its own scheme with the CSP, and nothing outside it', async () => {
    const handler = fake.protocolHandlers.get('snapdesk');
    const page = await handler?.(new Request('snapdesk://app/index.html'));
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page?.text()).toContain('<div id="root">');
    expect((await handler?.(new Request('snapdesk://app/../package.json')))?.status).not.toBe(200);
    expect((await handler?.(new Request('snapdesk://other/index.html')))?.status).toBe(404);
  });

  it('denies permissions and installs the application menu', () => {
    let granted: boolean | null = null;
    fake.permissionHandler?.({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect((fake.menu as { label: string }[]).map((m) => m.label)).toContain('&Snapshot');
  });

  it('a file opened by a second instance reaches the renderer', async () => {
    // The renderer took the (empty) startup batch; later files arrive as events.
    expect(await invoke('archives.takeOpened')).toEqual({ ok: true, result: [] });
    const file = join(dir, 'opened.tar');
    await copyFile(join(__dirname, '..', 'fixtures', 'good', 'cocoon-fc.tar'), file);
    fake.appListeners.get('second-instance')?.({}, ['/usr/bin/snapshot-desk', 'opened.tar'], dir);
    await vi.waitFor(() => {
      const sent = fake.windows[0]?.sent.find(([channel]) => channel === channelOf('archives.opened'));
      expect(sent?.[1]).toMatchObject({ archives: [{ name: 'opened.tar', size: 2406400 }] });
    });
  });

  it('menu commands go to the window as events', () => {
    const file = (fake.menu as { label: string; submenu: { label?: string; click?: () => void }[] }[]).find((m) => m.label === '&File');
    file?.submenu.find((i) => i.label === 'Import…')?.click?.();
    expect(fake.windows[0]?.sent).toContainEqual([channelOf('menu.command'), { command: 'import' }]);
  });

  it('quitting first cancels tasks and cleans up, then quits', async () => {
    let prevented = false;
    fake.appListeners.get('before-quit')?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(fake.quit).toBe(1));
  });
});
