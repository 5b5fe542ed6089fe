import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../app/contract';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** DevTools only while developing. */
  isDev: boolean;
  appName: string;
  /** Asks the renderer to act on its selection (menu.command event). */
  command(command: MenuCommand): void;
}

/**
 * The application menu as a plain template. Accelerators the renderer must
 * see in text fields (Delete, Select All) are displayed but not registered, so
 * the renderer decides whether the key edits text or acts on snapshots.
 */
export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = opts.platform === 'darwin';
  const send = (command: MenuCommand) => () => opts.command(command);
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: opts.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: send('import') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('export') },
        { type: 'separator' },
        { label: 'Push to Registry…', accelerator: 'CmdOrCtrl+Shift+P', click: send('push') },
        { label: 'Pull from Registry…', accelerator: 'CmdOrCtrl+Shift+L', click: send('pull') },
        { type: 'separator' },
        { role: 'close' },
        ...(isMac ? [] : [{ role: 'quit' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { type: 'separator' },
        { label: 'Select All', accelerator: 'CmdOrCtrl+A', registerAccelerator: false, click: send('selectAll') },
        { label: 'Find…', accelerator: 'CmdOrCtrl+F', click: send('find') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Refresh', accelerator: 'F5', click: send('refresh') },
        { role: 'reload' },
        ...(opts.isDev ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Snapshot',
      submenu: [{ label: 'Move to Trash', accelerator: isMac ? 'Backspace' : 'Delete', registerAccelerator: false, click: send('delete') }],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', click: send('help') }],
    },
  );
  return template;
}
