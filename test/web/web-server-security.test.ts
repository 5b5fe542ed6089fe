import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { raw } from './helpers/http';

let dir: string;
let server: WebServer;
let host: string;
const json = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapdesk-websec-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Snapshot Desk</title>');
  server = await startWebServer({ root: join(dir, 'store'), port: 0, rendererDir: join(dir, 'renderer') });
  host = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web shell: signing in', () => {
  const signIn = (token: string) => raw(server.port, { method: 'POST', path: '/api/session', headers: { Host: host, ...json }, body: JSON.stringify({ token }) });
  const secretOf = async (): Promise<string> => (JSON.parse((await signIn(server.token)).body) as { result: { secret: string } }).result.secret;
  const list = (headers: Record<string, string>) => raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { Host: host, ...json, ...headers } });

  it('prints a loopback URL with a long random token in the fragment, which no request carries', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('serves the page without a token and never sets a cookie or redirects', async () => {
    for (const path of ['/', '/index.html', `/?token=${server.token}`, `//evil.example/x?token=${server.token}`]) {
      const page = await raw(server.port, { path, headers: { Host: host } });
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(page.headers.location).toBeUndefined();
      if (path === '/') {
        expect(page.status).toBe(200);
        expect(page.body).toContain('<title>Snapshot Desk</title>');
        expect(page.headers['content-security-policy']).toContain("script-src 'self'");
        expect(page.headers['referrer-policy']).toBe('no-referrer');
      }
    }
    const opened = await signIn(server.token);
    expect(opened.headers['set-cookie']).toBeUndefined();
  });

  it('trades the printed token for a session secret unlike it (one per sign-in), and refuses any other token', async () => {
    const [a, b] = [await secretOf(), await secretOf()];
    expect(a).toMatch(/^[0-9a-f]{48}$/);
    expect(a).not.toBe(server.token);
    expect(a).not.toBe(b);
    for (const token of ['guess', server.token.slice(1), `${server.token}0`]) {
      const res = await signIn(token);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('a port already in use fails the start cleanly', async () => {
    await expect(startWebServer({ root: join(dir, 'store'), port: server.port, rendererDir: join(dir, 'renderer') })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('every API request needs a session secret: not the printed token, not a cookie', async () => {
    const none = await list({});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false });
    expect((await list({ Authorization: `Bearer ${server.token}` })).status).toBe(401);
    expect((await list({ Cookie: `snapdesk_token_${server.port}=${server.token}` })).status).toBe(401);
    expect((await raw(server.port, { method: 'POST', path: '/api/archives', headers: { Host: host, Authorization: `Bearer ${server.token}` }, body: 'x' })).status).toBe(401);
    expect((await raw(server.port, { method: 'POST', path: '/api/tickets', headers: { Host: host, ...json }, body: '{"purpose":"events"}' })).status).toBe(401);
    const secret = await secretOf();
    expect(JSON.parse((await list({ Authorization: `Bearer ${secret}` })).body)).toEqual({ ok: true, result: [] });
  });

  it('the event stream opens only with a ticket, once, for its own purpose', async () => {
    const secret = await secretOf();
    const ticket = async (purpose: object): Promise<string> =>
      (JSON.parse((await raw(server.port, { method: 'POST', path: '/api/tickets', headers: { Host: host, ...json, Authorization: `Bearer ${secret}` }, body: JSON.stringify(purpose) })).body) as { result: { ticket: string } }).result.ticket;
    expect((await raw(server.port, { path: '/api/events', headers: { Host: host, Authorization: `Bearer ${secret}` } })).status).toBe(401);
    expect((await raw(server.port, { path: `/api/events?ticket=${server.token}`, headers: { Host: host } })).status).toBe(401);
    const forDownload = await ticket({ purpose: 'download', taskId: 'abc' });
    expect((await raw(server.port, { path: `/api/events?ticket=${forDownload}`, headers: { Host: host } })).status).toBe(401);
    const good = await ticket({ purpose: 'events' });
    const stream = await fetch(`${server.origin}/api/events?ticket=${good}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.body?.cancel();
    expect((await raw(server.port, { path: `/api/events?ticket=${good}`, headers: { Host: host } })).status).toBe(401);
  });

  it('a ticket expires unused', async () => {
    const short = await startWebServer({ root: join(dir, 'store'), port: 0, rendererDir: join(dir, 'renderer'), ticketTtlMs: 50 });
    try {
      const signed = await fetch(`${short.origin}/api/session`, { method: 'POST', headers: json, body: JSON.stringify({ token: short.token }) });
      const { secret } = ((await signed.json()) as { result: { secret: string } }).result;
      const issued = await fetch(`${short.origin}/api/tickets`, { method: 'POST', headers: { ...json, Authorization: `Bearer ${secret}` }, body: '{"purpose":"events"}' });
      const { ticket } = ((await issued.json()) as { result: { ticket: string } }).result;
      await new Promise((r) => setTimeout(r, 120));
      expect((await fetch(`${short.origin}/api/events?ticket=${ticket}`)).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

let secret = '';
beforeAll(async () => {
  const res = await fetch(`${server.origin}/api/session`, { method: 'POST', headers: json, body: JSON.stringify({ token: server.token }) });
  secret = ((await res.json()) as { result: { secret: string } }).result.secret;
});

describe('browser transport: Host and Origin', () => {
  const auth = () => ({ Authorization: `Bearer ${secret}`, ...json });

  it('refuses a Host that is not our loopback address (DNS rebinding), even with the token', async () => {
    for (const h of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      const res = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { ...auth(), Host: h } });
      expect(res.status).toBe(403);
    }
    const ok = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { ...auth(), Host: `localhost:${server.port}` } });
    expect(ok.status).toBe(200);
  });

  it('refuses requests from another origin or site, and sends no CORS headers', async () => {
    const hostile: Record<string, string>[] = [{ Origin: 'http://evil.example' }, { Origin: 'null' }, { Origin: `http://127.0.0.1:${server.port + 1}` }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of hostile) {
      const res = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.delete', headers: { ...auth(), Host: host, ...headers }, body: '{"refs":["x"]}' });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const same = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { ...auth(), Host: host, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' } });
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await raw(server.port, { method: 'OPTIONS', path: '/api/call/snapshots.list', headers: { Host: host, Origin: 'http://evil.example' } });
    expect(preflight.status).toBe(403);
  });

  it('calls must be JSON, so a plain HTML form of another site cannot make one', async () => {
    const res = await raw(server.port, {
      method: 'POST',
      path: '/api/call/snapshots.gc',
      headers: { Authorization: `Bearer ${secret}`, Host: host, 'Content-Type': 'text/plain' },
      body: '',
    });
    expect(res.status).toBe(415);
  });
});

describe('browser transport: calls', () => {
  const call = async (name: string, body?: unknown) => {
    const res = await raw(server.port, {
      method: 'POST',
      path: `/api/call/${name}`,
      headers: { Authorization: `Bearer ${secret}`, Host: `127.0.0.1:${server.port}`, ...json },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    return { status: res.status, envelope: JSON.parse(res.body) as { ok: boolean; error?: { code: string; message: string } } };
  };

  it('an unknown call is a 404 and bad input an invalid_input envelope', async () => {
    expect((await call('shell.exec')).status).toBe(404);
    const bad = await call('snapshots.inspect', { ref: 'x', extra: 1 });
    expect(bad.envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notFound = await call('snapshots.inspect', { ref: 'nothing-here' });
    expect(notFound.envelope).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('desktop-only actions say so instead of failing obscurely', async () => {
    const res = await call('settings.chooseRoot');
    expect(res.envelope.ok).toBe(false);
    expect(res.envelope.error?.message).toMatch(/only available in the desktop app/);
    expect((await call('app.info')).envelope).toMatchObject({ ok: true, result: { transport: 'web' } });
  });

  it('a browser page cannot name server paths to read', async () => {
    const res = await call('archives.register', { paths: ['/etc/passwd'] });
    expect(res.envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(res.envelope.error?.message).toMatch(/uploaded/);
  });

  it('malformed JSON is refused', async () => {
    const res = await raw(server.port, {
      method: 'POST',
      path: '/api/call/snapshots.inspect',
      headers: { Authorization: `Bearer ${secret}`, Host: host, ...json },
      body: '{"ref":',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
