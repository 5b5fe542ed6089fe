import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapdeskApi } from '../../electron/app/contract';
import { channelOf } from '../../electron/app/contract';

// The real 'electron' module needs the Electron binary; the preload only uses these four objects.
const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, input: unknown) => Promise<unknown>>(),
  listeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
  paths: new Map<unknown, string>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => bridge.invoke(channel, input),
    on: (channel: string, l: (event: unknown, payload: unknown) => void) => {
      const set = bridge.listeners.get(channel) ?? new Set();
      set.add(l);
      bridge.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) => bridge.listeners.get(channel)?.delete(l),
  },
  webUtils: { getPathForFile: (file: unknown) => bridge.paths.get(file) ?? '' },
}));

await import('../../electron/desktop/preload');
const api = bridge.exposed.get('snapdesk') as SnapdeskApi;

describe('preload bridge', () => {
  beforeEach(() => bridge.invoke.mockReset());

  it('exposes only the typed API under window.snapdesk', () => {
    expect([...bridge.exposed.keys()]).toEqual(['snapdesk']);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'registerFiles']);
  });

  it('a call invokes its derived channel and unwraps the result', async () => {
    bridge.invoke.mockResolvedValue({ ok: true, result: [{ id: 'A' }] });
    await expect(api.call('snapshots.list')).resolves.toEqual([{ id: 'A' }]);
    expect(bridge.invoke).toHaveBeenCalledWith(channelOf('snapshots.list'), undefined);
  });

  it('an error envelope rejects with plain data that keeps its code across the context bridge', async () => {
    bridge.invoke.mockResolvedValue({ ok: false, error: { code: 'name_conflict', message: 'taken', details: { name: 'web' } } });
    const err: unknown = await api.call('snapshots.rename', { ref: 'a', name: 'web' }).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'SnapDeskError', code: 'name_conflict', message: 'taken', details: { name: 'web' } });
    expect(err).not.toBeInstanceOf(Error);
  });

  it('an unknown call name never reaches IPC', async () => {
    const call = api.call as (name: string) => Promise<unknown>;
    await expect(call('shell.openExternal')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(bridge.invoke).not.toHaveBeenCalled();
  });

  it('event listeners get the payload only, and unsubscribe', () => {
    const got: unknown[] = [];
    const off = api.on('store.changed', (p) => got.push(p));
    const fire = (payload: unknown) => bridge.listeners.get(channelOf('store.changed'))?.forEach((l) => l({ sender: 'ipc' }, payload));
    fire({ root: '/r' });
    off();
    fire({ root: '/r2' });
    expect(got).toEqual([{ root: '/r' }]);
    expect(() => api.on('ipc.raw' as 'store.changed', () => undefined)).toThrow(/unknown event/);
  });

  it('dropped files become paths for archives.register', async () => {
    const file = { name: 'a.tgz' } as File;
    bridge.paths.set(file, '/home/u/a.tgz');
    bridge.invoke.mockResolvedValue({ ok: true, result: [{ id: 'X', name: 'a.tgz', size: 1 }] });
    await expect(api.registerFiles([file])).resolves.toEqual([{ id: 'X', name: 'a.tgz', size: 1 }]);
    expect(bridge.invoke).toHaveBeenCalledWith(channelOf('archives.register'), { paths: ['/home/u/a.tgz'] });
    await expect(api.registerFiles([{ name: 'pasted' } as File])).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('the page cannot name paths itself: archives.register is reachable only through dropped or picked files', async () => {
    const untypedCall = api.call as (name: string, input: unknown) => Promise<unknown>;
    await expect(untypedCall('archives.register', { paths: ['/etc/shadow'] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(bridge.invoke).not.toHaveBeenCalled();
  });
});
