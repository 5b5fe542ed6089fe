// The desktop app: one window over the shared handlers, reached only
// through the preload bridge. Everything testable lives in the modules it
// wires together; this file is the only one (besides the preload) that
// imports Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, session, shell } from 'electron';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defaultRoot, ROOT_ENV } from '../../src-core/default-root';
import { openStore } from '../../src-core/localfile';
import { createAppContext, type AppContext } from '../app/app-context';
import { parseShellArgs } from './args';
import { SECURITY_HEADERS } from '../../src-core/rules';
import { finishedNotification, progressBarValue } from './feedback';
import type { Dialogs } from './dialogs';
import { desktopHost } from './host';
import { forwardEvents, registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { APP_HOST, APP_SCHEME, APP_URL, guardContents, installSessionSecurity, makeSenderCheck, windowOptions } from './security';
import { SettingsStore } from '../app/settings';
import { resolveStaticFile } from '../app/static-files';

// Built to out/electron/desktop/, beside out/renderer, as the source sits in electron/desktop/ beside renderer/.
const rendererDir = join(__dirname, '..', '..', 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');
const iconPath = join(__dirname, '..', '..', '..', 'build', 'icon.png');

let win: BrowserWindow | null = null;
let context: AppContext | null = null;
/** Files opened before the context existed (macOS open-file fires before ready). */
const earlyFiles: string[] = [];

// Privileged so it behaves like https (secure context, fetch) while staying our own origin.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);

function openFiles(paths: string[]): void {
  if (paths.length === 0) return;
  if (!context) earlyFiles.push(...paths);
  else void context.openFiles(paths);
}

function focusWindow(): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}

const electronDialogs: Dialogs = {
  async showSaveDialog({ title, defaultName, filters }) {
    const opts = { title, defaultPath: join(app.getPath('downloads'), defaultName), filters, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? null : r.filePath;
  },
  async showOpenDialog({ title, filters, multiSelections }) {
    const opts = { title, filters, properties: ['openFile' as const, ...(multiSelections ? ['multiSelections' as const] : [])] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  },
  async showDirectoryDialog({ title, defaultPath }) {
    const opts = { title, defaultPath, properties: ['openDirectory' as const, 'createDirectory' as const] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
  showItemInFolder: (path) => shell.showItemInFolder(path),
};

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = await resolveStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return new Response(body, { headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType } });
  });
}

function createWindow(ctx: AppContext): BrowserWindow {
  const w = new BrowserWindow(windowOptions(preloadPath, existsSync(iconPath) ? { icon: iconPath } : {}));
  w.once('ready-to-show', () => w.show());
  const stopEvents = forwardEvents(ctx.bus, w.webContents);
  w.on('closed', () => {
    stopEvents();
    if (win === w) win = null;
  });
  void w.loadURL(APP_URL);
  return w;
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return app.getVersion();
  }
}

async function start(): Promise<void> {
  const args = parseShellArgs(process.argv.slice(1), process.env.INIT_CWD ?? process.cwd());
  const settings = await SettingsStore.load(join(app.getPath('userData'), 'settings.json'), {
    cli: args.root,
    env: process.env[ROOT_ENV],
    defaultRoot: defaultRoot(),
  });
  installSessionSecurity(session.defaultSession);
  serveRenderer();
  context = await createAppContext({
    info: { version: appVersion(), platform: process.platform, transport: 'electron' },
    settings,
    openStore: (root) => openStore({ root }),
    makeHost: (deps) => desktopHost({ ...deps, dialogs: electronDialogs }),
    taskHooks: {
      onAggregate: (progress) => win?.setProgressBar(progressBarValue(progress)),
      onFinished: (task) => {
        const note = finishedNotification(task, win?.isFocused() ?? false);
        if (note && Notification.isSupported()) new Notification(note).show();
      },
    },
  });
  registerIpc(ipcMain, context.handlers, makeSenderCheck(() => win?.webContents.mainFrame ?? null));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        isDev: !app.isPackaged,
        appName: app.name,
        command: (command) => context?.bus.emit('menu.command', { command }),
      }),
    ),
  );
  win = createWindow(context);
  openFiles([...earlyFiles.splice(0), ...args.files]);
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the store and the window: it receives our files via 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openFiles(parseShellArgs(argv.slice(1), workingDirectory).files);
    focusWindow();
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });
  // Any webContents created later (a future webview, a devtools-opened page) gets the same guard.
  app.on('web-contents-created', (_event, contents) => guardContents(contents, (url) => void shell.openExternal(url)));
  app.on('activate', () => {
    if (!win && context) win = createWindow(context);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !context) return;
    // Let running tasks cancel and remove their partial files before the process ends.
    event.preventDefault();
    quitting = true;
    void context.close().finally(() => app.quit());
  });
  app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('Snapshot Desk could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
