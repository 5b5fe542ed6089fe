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

describe('browser transport: token', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('the first page load trades the token for an HttpOnly SameSite=Strict cookie and drops it from the URL', async () => {
    const res = await raw(server.port, { path: `/?token=${server.token}`, headers: { Host: host } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`snapdesk_token_${server.port}=${server.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await raw(server.port, { headers: { Host: host, Cookie: cookie.split(';')[0] as string } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Snapshot Desk</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('the token exchange never redirects to another site', async () => {
    const res = await raw(server.port, { path: `//evil.example/x?token=${server.token}`, headers: { Host: host } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/(?!\/)/);
    expect(res.headers.location).not.toContain('evil.example');
  });

  it('a port already in use fails the start cleanly', async () => {
    await expect(startWebServer({ root: join(dir, 'store'), port: server.port, rendererDir: join(dir, 'renderer') })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('a wrong token, no token and a wrong cookie are all refused', async () => {
    expect((await raw(server.port, { path: '/?token=guess', headers: { Host: host } })).status).toBe(403);
    expect((await raw(server.port, { headers: { Host: host } })).status).toBe(401);
    expect((await raw(server.port, { headers: { Host: host, Cookie: `snapdesk_token_${server.port}=nope` } })).status).toBe(401);
  });

  it('every API request needs the cookie or a Bearer token', async () => {
    const none = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { Host: host, ...json } });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false });
    expect((await raw(server.port, { path: '/api/events', headers: { Host: host } })).status).toBe(401);
    expect((await raw(server.port, { method: 'POST', path: '/api/archives', headers: { Host: host }, body: 'x' })).status).toBe(401);
    const bearer = await raw(server.port, { method: 'POST', path: '/api/call/snapshots.list', headers: { Host: host, ...json, Authorization: `Bearer ${server.token}` } });
    expect(JSON.parse(bearer.body)).toEqual({ ok: true, result: [] });
    const cookie = await raw(server.port, {
      method: 'POST',
      path: '/api/call/settings.get',
      headers: { Host: host, ...json, Cookie: `snapdesk_token_${server.port}=${server.token}` },
    });
    expect(JSON.parse(cookie.body)).toMatchObject({ ok: true, result: { rootSource: 'cli' } });
  });
});

describe('browser transport: Host and Origin', () => {
  const auth = () => ({ Authorization: `Bearer ${server.token}`, ...json });

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
      headers: { Authorization: `Bearer ${server.token}`, Host: host, 'Content-Type': 'text/plain' },
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
      headers: { Authorization: `Bearer ${server.token}`, Host: `127.0.0.1:${server.port}`, ...json },
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
      headers: { Authorization: `Bearer ${server.token}`, Host: host, ...json },
      body: '{"ref":',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
