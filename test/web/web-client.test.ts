import { JSDOM } from 'jsdom';
import { describe, expect, it, vi } from 'vitest';
import { takeTokenFromAddress } from '../../renderer/api';
import { createWebClient, type EventSourceLike } from '../../renderer/api/web-client';
import { SnapDeskError } from '../../src-core/errors';

class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readonly listeners = new Map<string, Set<(e: { data: string }) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, l: (e: { data: string }) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(l);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, l: (e: { data: string }) => void): void {
    this.listeners.get(type)?.delete(l);
  }
  close(): void {
    this.closed = true;
  }
  fire(type: string, payload: unknown): void {
    this.listeners.get(type)?.forEach((l) => l({ data: JSON.stringify(payload) }));
  }
}

/** A server that signs in with token "printed" (session "s3cret") and hands out numbered tickets; records what it was sent. */
function fakeServer() {
  const seen: { url: string; body: unknown; auth: string | null; type: string | null }[] = [];
  let tickets = 0;
  const fetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(url), body: init?.body, auth: headers.get('authorization'), type: headers.get('content-type') });
    if (String(url).endsWith('/api/session')) {
      return JSON.parse(String(init?.body)).token === 'printed' ? Response.json({ ok: true, result: { secret: 's3cret' } }) : Response.json({ ok: false, error: { code: 'invalid_input', message: 'no' } }, { status: 401 });
    }
    if (headers.get('authorization') !== 'Bearer s3cret') return Response.json({ ok: false, error: { code: 'invalid_input', message: 'not signed in' } }, { status: 401 });
    if (String(url).endsWith('/api/tickets')) return Response.json({ ok: true, result: { ticket: `t${++tickets}` } });
    return Response.json({ ok: true, result: null });
  };
  return { seen, fetch };
}

describe('web client', () => {
  it('shares one event stream among listeners, opened with a ticket, and closes it when the last one leaves', async () => {
    FakeEventSource.opened = [];
    const client = createWebClient({ token: 'printed', fetch: fakeServer().fetch, openEvents: (url) => new FakeEventSource(url) });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = client.on('store.changed', (p) => a.push(p));
    const offB = client.on('task.updated', (p) => b.push(p.id));
    await vi.waitFor(() => expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['/api/events?ticket=t1']));
    const source = FakeEventSource.opened[0] as FakeEventSource;
    source.fire('store.changed', { root: '/r' });
    source.fire('task.updated', { id: 't1' });
    offA();
    source.fire('store.changed', { root: '/r2' });
    expect(a).toEqual([{ root: '/r' }]);
    expect(b).toEqual(['t1']);
    expect(source.closed).toBe(false);
    offB();
    expect(source.closed).toBe(true);
  });

  it('a refusal that is not an envelope (signed out, wrong host) becomes an io error saying what to do', async () => {
    const client = createWebClient({ token: 'printed', fetch: async () => new Response('forbidden', { status: 403, headers: { 'Content-Type': 'text/plain' } }) });
    const err = await client.call('snapshots.list').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect(err).toMatchObject({ code: 'io', details: { status: 403 } });
  });

  it('trades the token for a session once, then posts JSON input to the call route with the session as Bearer', async () => {
    const server = fakeServer();
    const client = createWebClient({ baseUrl: 'http://127.0.0.1:9', token: 'printed', fetch: server.fetch });
    await client.call('snapshots.list');
    await client.call('snapshots.inspect', { ref: 'web' });
    expect(server.seen).toEqual([
      { url: 'http://127.0.0.1:9/api/session', body: '{"token":"printed"}', auth: null, type: 'application/json' },
      { url: 'http://127.0.0.1:9/api/call/snapshots.list', body: '', auth: 'Bearer s3cret', type: 'application/json' },
      { url: 'http://127.0.0.1:9/api/call/snapshots.inspect', body: '{"ref":"web"}', auth: 'Bearer s3cret', type: 'application/json' },
    ]);
  });

  it('keeps the session secret, never the printed token, in the tab’s storage, and forgets a session the server refuses', async () => {
    const server = fakeServer();
    const storage = new Map<string, string>();
    const tab = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) };
    await createWebClient({ token: 'printed', fetch: server.fetch, storage: tab }).call('snapshots.list');
    expect([...storage.values()]).toEqual(['s3cret']);
    // A reload: no token in the address any more, the kept session signs in.
    await createWebClient({ fetch: server.fetch, storage: tab }).call('snapshots.list');
    expect(server.seen.filter((r) => r.url.endsWith('/api/session'))).toHaveLength(1);
    storage.set('snapdesk.session', 'stale');
    await expect(createWebClient({ fetch: server.fetch, storage: tab }).call('snapshots.list')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(storage.size).toBe(0);
    await expect(createWebClient({ fetch: server.fetch }).call('snapshots.list')).rejects.toMatchObject({ message: expect.stringMatching(/^not signed in/) });
  });

  it('takes the token from the address’s fragment and removes it from the address bar', () => {
    const page = new JSDOM('<!doctype html>', { url: 'http://127.0.0.1:4000/?view=list#token=abc123' });
    const { location, history } = page.window;
    expect(takeTokenFromAddress(location, history)).toBe('abc123');
    expect(location.href).toBe('http://127.0.0.1:4000/?view=list');
    expect(takeTokenFromAddress(location, history)).toBeUndefined();
    page.window.close();
  });
});
