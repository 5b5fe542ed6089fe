/**
 * The web shell's session in a real browser: signing in leaves nothing in
 * cookies or the address bar, and nothing the browser sends to another local
 * server (another port of 127.0.0.1, which cookies and SameSite treat as the
 * same site) lets that server use our API.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openDesk, type Desk } from './harness';

let browser: Browser;
let desk: Desk | null = null;
let other: Server | null = null;

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await desk?.close();
  desk = null;
  await new Promise((r) => (other ? other.close(r) : r(null)));
  other = null;
});
afterAll(async () => {
  await browser?.close();
});

/** Another local web server that records every request a browser sends it. */
async function recordingServer(): Promise<{ origin: string; seen: { url: string; headers: IncomingHttpHeaders }[] }> {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  other = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><img src="/pixel.png"><script src="/script.js"></script>');
  });
  await new Promise<void>((r) => other?.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(other.address() as AddressInfo).port}`, seen };
}

describe('web shell session in Chromium', () => {
  it('signs in from the fragment, drops the token from the address bar, keeps a distinct secret out of cookies, and survives a reload', async () => {
    desk = await openDesk(browser);
    const { page, server, context } = desk;
    expect(page.url()).toBe(`${server.origin}/`);
    const kept = await page.evaluate(() => ({ cookie: document.cookie, stored: { ...sessionStorage } }));
    expect(kept.cookie).toBe('');
    expect(Object.values(kept.stored)).toHaveLength(1);
    const secret = Object.values(kept.stored)[0] as string;
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    expect(secret).not.toBe(server.token);
    expect(await context.cookies()).toEqual([]);
    // A reload has no token in its address any more: the tab's kept session signs it in.
    await page.reload();
    await desk.desk.ready();
    expect(await page.getByText(/not signed in/).count()).toBe(0);
    expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).toEqual([secret]);
  });

  it('nothing a signed-in browser sends another loopback server authorizes our API', async () => {
    desk = await openDesk(browser);
    const { page, server, context } = desk;
    const elsewhere = await recordingServer();
    // The same tab navigates there, and another tab of the same browser profile opens it.
    await page.goto(`${elsewhere.origin}/from-the-app`);
    const tab = await context.newPage();
    await tab.goto(`${elsewhere.origin}/other-tab`);
    await tab.waitForLoadState('networkidle');
    expect(elsewhere.seen.length).toBeGreaterThanOrEqual(4);

    // Every header value and URL piece the other server received, whole and split into words.
    const received = new Set<string>();
    for (const { url, headers } of elsewhere.seen) {
      for (const value of [url, ...Object.values(headers).flat()]) {
        if (typeof value !== 'string') continue;
        received.add(value);
        for (const word of value.split(/[\s;,=&?#/:]+/)) if (word.length >= 16) received.add(word);
      }
    }
    for (const { headers } of elsewhere.seen) {
      expect(headers.cookie).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
      expect(headers.referer ?? '').not.toContain(`:${server.port}`);
    }
    const secrets = [server.token, ...(await context.cookies()).map((c) => c.value)];
    for (const value of received) for (const s of secrets) expect(value).not.toContain(s);

    // Replayed every way the API could take a credential, nothing is accepted.
    const api = (path: string, init: RequestInit = {}) => fetch(`${server.origin}${path}`, init).then((r) => r.status);
    for (const value of received) {
      const safe = encodeURIComponent(value);
      expect(await api('/api/call/snapshots.list', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${value}` }, body: '' }).catch(() => 0)).not.toBe(200);
      expect(await api('/api/call/snapshots.list', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: value }, body: '' }).catch(() => 0)).not.toBe(200);
      expect(await api(`/api/events?ticket=${safe}`)).toBe(401);
      expect(await api('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: value }) })).not.toBe(200);
    }
  });
});
