import type { BrowserWindowConstructorOptions } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../src-core/rules';

/** The renderer is served from this privileged custom scheme, so its origin is ours alone. */
export const APP_SCHEME = 'snapdesk';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for URLs of our own app origin (snapdesk://app/…). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The BrowserWindow options main.ts uses: every renderer-side capability off but the preload bridge. */
export function windowOptions(preloadPath: string, extra: { icon?: string; title?: string } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 780,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: extra.title ?? 'Snapshot Desk',
    ...(extra.icon ? { icon: extra.icon } : {}),
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** The parts of an IPC event the sender check looks at. */
export interface IpcSenderEvent {
  senderFrame: { url: string } | null;
}

/**
 * Accepts a call only from the main window's top frame showing our own
 * origin: not a subframe, not another window, not a page navigated elsewhere.
 */
export function makeSenderCheck(mainFrame: () => unknown): (event: IpcSenderEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    const top = mainFrame();
    return top !== null && top !== undefined && frame === top && isAppUrl(frame.url);
  };
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** What the security guard needs of a webContents. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** Only plain https links leave the app, and only to the system browser. */
export const isExternalLink = (url: string): boolean => {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};

/** No navigation away, no new windows (https links go to the browser), no webviews. */
export function guardContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  const block = (event: PreventableEvent): void => event.preventDefault();
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', block);
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Denies every permission (camera, notifications from the page, …) and adds the CSP to every response. */
export function installSessionSecurity(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
