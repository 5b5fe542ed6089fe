import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-core/rules';
import {
  APP_URL,
  guardContents,
  installSessionSecurity,
  isAppUrl,
  makeSenderCheck,
  windowOptions,
  type GuardedContents,
  type GuardedSession,
  type PreventableEvent,
} from '../../electron/desktop/security';

describe('window security', () => {
  it('the window main.ts creates isolates the renderer completely but for the preload bridge', () => {
    const opts = windowOptions('/app/out/electron/desktop/preload.cjs');
    expect(opts.webPreferences).toMatchObject({
      preload: '/app/out/electron/desktop/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('only URLs of the app origin count as ours', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('snapdesk://app/assets/index.js')).toBe(true);
    expect(isAppUrl('snapdesk://evil/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('file:///app/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('IPC sender check', () => {
  const mainFrame = { url: APP_URL };
  const trusted = makeSenderCheck(() => mainFrame);

  it('accepts the main window top frame on our origin', () => {
    expect(trusted({ senderFrame: mainFrame })).toBe(true);
  });

  it('refuses a subframe even on our origin', () => {
    expect(trusted({ senderFrame: { url: APP_URL } })).toBe(false);
  });

  it('refuses the top frame once it shows another origin', () => {
    const navigated = { url: 'https://example.com/' };
    expect(makeSenderCheck(() => navigated)({ senderFrame: navigated })).toBe(false);
  });

  it('refuses a frame of another window and a destroyed frame', () => {
    expect(trusted({ senderFrame: { url: 'snapdesk://app/index.html?other' } })).toBe(false);
    expect(trusted({ senderFrame: null })).toBe(false);
    expect(makeSenderCheck(() => null)({ senderFrame: mainFrame })).toBe(false);
  });
});

function fakeContents() {
  const listeners = new Map<string, (event: PreventableEvent, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents: GuardedContents = {
    on: (event: string, listener: (event: PreventableEvent, url: string) => void) => listeners.set(event, listener as never),
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
  };
  const fire = (event: string, url = 'https://example.com/') => {
    let prevented = false;
    listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('navigation and new windows', () => {
  it('every navigation, redirect and webview attach is prevented', () => {
    const f = fakeContents();
    guardContents(f.contents, () => undefined);
    expect(f.fire('will-navigate')).toBe(true);
    expect(f.fire('will-navigate', 'snapdesk://app/other.html')).toBe(true);
    expect(f.fire('will-redirect')).toBe(true);
    expect(f.fire('will-attach-webview')).toBe(true);
  });

  it('new windows are denied; https links go to the system browser and nothing else does', () => {
    const f = fakeContents();
    const opened: string[] = [];
    guardContents(f.contents, (url) => opened.push(url));
    expect(f.open('https://github.com/')).toEqual({ action: 'deny' });
    expect(f.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/']);
  });
});

describe('session security', () => {
  function fakeSession() {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    let headers: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0] | null = null;
    const session: GuardedSession = {
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
      webRequest: { onHeadersReceived: (l) => (headers = l) },
    };
    return { session, request: () => request, check: () => check, headers: () => headers };
  }

  it('every permission request and check is denied', () => {
    const f = fakeSession();
    installSessionSecurity(f.session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      f.request()?.({}, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(f.check()?.()).toBe(false);
  });

  it('every response gets our CSP, replacing any other', () => {
    const f = fakeSession();
    installSessionSecurity(f.session);
    let out: Record<string, string[]> = {};
    f.headers()?.({ responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['X-Other']).toEqual(['1']);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
