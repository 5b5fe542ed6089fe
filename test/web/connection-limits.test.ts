import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer } from '../../electron/web/server';
import { issueTicket, openSession, webApp } from './helpers/web-app';

const FIXTURE = join(__dirname, '..', 'fixtures', 'good', 'cocoon-fc.tar');
let app: Awaited<ReturnType<typeof webApp>> | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = null;
});

/** A raw connection; `closed` resolves with the milliseconds it stayed open and what the server sent. */
async function rawConnection(port: number): Promise<{ socket: Socket; closed: Promise<{ ms: number; data: string }> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const start = Date.now();
  let data = '';
  socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; data: string }>((resolve) => socket.once('close', () => resolve({ ms: Date.now() - start, data })));
  return { socket, closed };
}

const stillOpen = (closed: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

describe('web shell: connections that never sign in', () => {
  it('beyond the connection cap, a new connection is dropped while the others stay', async () => {
    // A server of its own: the helper's signing in would hold a kept-alive connection.
    const dir = await mkdtemp(join(tmpdir(), 'snapdesk-cap-'));
    const server = await startWebServer({ root: join(dir, 'root'), port: 0, rendererDir: dir, maxConnections: 3, idleTimeoutMs: 10_000 });
    try {
      const first = await Promise.all([0, 1, 2].map(() => rawConnection(server.port)));
      const extra = await rawConnection(server.port);
      expect((await extra.closed).data).toBe('');
      for (const c of first) expect(await stillOpen(c.closed, 50)).toBe(true);
      // A place frees up when one of them goes.
      first[0]?.socket.destroy();
      await first[0]?.closed;
      const next = await rawConnection(server.port);
      next.socket.write(`GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      await expect.poll(async () => (await Promise.race([next.closed, new Promise((r) => setTimeout(() => r(null), 20))]), next.socket.bytesRead), { timeout: 5_000 }).toBeGreaterThan(0);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a connection that sends nothing is closed after the idle timeout', async () => {
    app = await webApp({ idleTimeoutMs: 300 });
    const quiet = await rawConnection(app.server.port);
    const { ms } = await quiet.closed;
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(5_000);
  });

  it('a connection that dribbles its headers is closed at the header timeout, though never idle', async () => {
    app = await webApp({ headersTimeoutMs: 300, idleTimeoutMs: 10_000, connectionsCheckingIntervalMs: 50 });
    const slow = await rawConnection(app.server.port);
    slow.socket.write('GET / HTTP/1.1\r\n');
    const drip = setInterval(() => slow.socket.write('X-Slow: 1\r\n'), 50);
    try {
      const { ms, data } = await slow.closed;
      expect(ms).toBeLessThan(5_000);
      expect(data).toMatch(/^(HTTP\/1\.1 408|)/);
    } finally {
      clearInterval(drip);
    }
  });
});

describe('web shell: requests that never finish', () => {
  it('a request that is never quiet but never done (a body a byte at a time) is closed at its deadline', async () => {
    app = await webApp({ unsignedRequestMs: 400, idleTimeoutMs: 10_000 });
    const port = app.server.port;
    const slow = await rawConnection(port);
    slow.socket.write(`POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":"`);
    const drip = setInterval(() => slow.socket.write('a'), 50);
    try {
      const { ms } = await slow.closed;
      expect(ms).toBeGreaterThanOrEqual(350);
      expect(ms).toBeLessThan(5_000);
    } finally {
      clearInterval(drip);
    }
  });

  it('signing in refuses a body declared longer than a token needs, before reading it', async () => {
    app = await webApp();
    const port = app.server.port;
    const big = await rawConnection(port);
    big.socket.write(`POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"token":"`);
    await expect.poll(() => big.socket.bytesRead, { timeout: 5_000 }).toBeGreaterThan(0);
    big.socket.destroy();
    expect((await big.closed).data).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('a signed-in upload that stops arriving is dropped after the quiet time: its folder goes and its slot frees', async () => {
    app = await webApp({ uploadQuietMs: 300, maxConcurrentUploads: 1 });
    const port = app.server.port;
    const body = await readFile(FIXTURE);
    const stalled = await rawConnection(port);
    stalled.socket.write(
      `POST /api/archives HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${app.auth.Authorization}\r\n` +
        `X-Snapdesk-File-Name: stalled.tar\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    stalled.socket.write(body.subarray(0, 1024));
    await expect.poll(async () => (await readdir(app!.server.uploadDir)).length, { timeout: 5_000 }).toBe(1);
    const { ms } = await stalled.closed;
    expect(ms).toBeLessThan(5_000);
    await expect.poll(async () => readdir(app!.server.uploadDir), { timeout: 5_000 }).toEqual([]);
    // The one upload slot is free again.
    const res = await fetch(`${app.server.origin}/api/archives`, {
      method: 'POST',
      headers: { ...app.auth, 'X-Snapdesk-File-Name': 'next.tar', 'Content-Length': String(body.length) },
      body,
    });
    expect(await res.json()).toMatchObject({ ok: true, result: { name: 'next.tar', size: body.length } });
  });
});

describe('web shell: signed-in transfers outlast the idle timeout', () => {
  it('an event stream quiet for longer than the idle timeout still delivers the next event', async () => {
    app = await webApp({ idleTimeoutMs: 200 });
    const secret = await openSession(app.server);
    const ticket = await issueTicket(app.server, secret, { purpose: 'events' });
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: app!.server.port, path: `/api/events?ticket=${ticket}` }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString('utf8');
          if (text.includes('event: store.changed')) resolve(text);
        });
        res.on('close', () => reject(new Error(`stream closed before the event: ${text}`)));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 800));
    app.server.context.bus.emit('store.changed', { root: app.root });
    expect(await received).toContain(`"root":${JSON.stringify(app.root)}`);
  });

  it('an upload that pauses longer than the idle timeout completes', async () => {
    app = await webApp({ idleTimeoutMs: 200 });
    const body = await readFile(FIXTURE);
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: app!.server.port,
          method: 'POST',
          path: '/api/archives',
          headers: { ...app!.auth, 'Content-Length': String(body.length), 'X-Snapdesk-File-Name': 'slow.tar' },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString('utf8')));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 1024));
      setTimeout(() => req.end(body.subarray(1024)), 700);
    });
    expect(JSON.parse(answer)).toMatchObject({ ok: true, result: { name: 'slow.tar', size: body.length } });
  });
});
