import { describe, expect, it } from 'vitest';
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

describe('web client', () => {
  it('shares one event stream among listeners and closes it when the last one leaves', () => {
    FakeEventSource.opened = [];
    const client = createWebClient({ openEvents: (url) => new FakeEventSource(url) });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = client.on('store.changed', (p) => a.push(p));
    const offB = client.on('task.updated', (p) => b.push(p.id));
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['/api/events']);
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
    const client = createWebClient({ fetch: async () => new Response('forbidden', { status: 403, headers: { 'Content-Type': 'text/plain' } }) });
    const err = await client.call('snapshots.list').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect(err).toMatchObject({ code: 'io', details: { status: 403 } });
  });

  it('posts JSON input to the call endpoint and sends no body for calls without input', async () => {
    const seen: { url: string; body: unknown; type: string | null }[] = [];
    const client = createWebClient({
      baseUrl: 'http://127.0.0.1:9',
      fetch: async (url, init) => {
        seen.push({ url: String(url), body: init?.body, type: new Headers(init?.headers).get('content-type') });
        return Response.json({ ok: true, result: null });
      },
    });
    await client.call('snapshots.list');
    await client.call('snapshots.inspect', { ref: 'web' });
    expect(seen).toEqual([
      { url: 'http://127.0.0.1:9/api/call/snapshots.list', body: '', type: 'application/json' },
      { url: 'http://127.0.0.1:9/api/call/snapshots.inspect', body: '{"ref":"web"}', type: 'application/json' },
    ]);
  });
});
