import { describe, expect, it } from 'vitest';
import { CALL_NAMES, EVENT_NAMES, calls, channelOf, type Envelope } from '../../electron/app/contract';
import { EventBus } from '../../electron/app/events';
import type { Handlers } from '../../electron/app/handlers';
import { forwardEvents, registerIpc, type IpcRegistrar } from '../../electron/desktop/ipc';
import { APP_URL, makeSenderCheck, type IpcSenderEvent } from '../../electron/desktop/security';
import { SnapDeskError } from '../../src-core/errors';

/** Records what registerIpc registers, and lets the test invoke a channel like a renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const registrar: IpcRegistrar = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { registrar, handlers };
}

function echoHandlers(): Handlers {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of CALL_NAMES) {
    out[name] = async (input) => {
      if (name === 'snapshots.inspect') throw new SnapDeskError('not_found', 'no such snapshot', { ref: 'x' });
      return { name, input };
    };
  }
  return out as unknown as Handlers;
}

describe('IPC binding', () => {
  const mainFrame = { url: APP_URL };
  const trusted = makeSenderCheck(() => mainFrame);

  it('registers exactly one channel per call of the contract, derived from its name', () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.registrar, echoHandlers(), trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(calls).map((n) => channelOf(n as keyof typeof calls)).sort());
  });

  it('the channel lists without zod match the contract tables', () => {
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(calls).sort());
    expect(EVENT_NAMES).toContain('task.updated');
  });

  it('answers the main frame with a result envelope and errors as data with their code', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.registrar, echoHandlers(), trusted);
    const ok = await ipc.handlers.get(channelOf('snapshots.list'))?.({ senderFrame: mainFrame }, undefined);
    expect(ok).toEqual({ ok: true, result: { name: 'snapshots.list', input: undefined } });
    const err = (await ipc.handlers.get(channelOf('snapshots.inspect'))?.({ senderFrame: mainFrame }, { ref: 'x' })) as Envelope<unknown>;
    expect(err).toEqual({ ok: false, error: { code: 'not_found', message: 'no such snapshot', details: { ref: 'x' } } });
  });

  it('refuses a subframe, another origin and a missing frame without running the handler', async () => {
    const ipc = fakeIpcMain();
    let ran = 0;
    const handlers = echoHandlers();
    (handlers as Record<string, unknown>)['snapshots.delete'] = async () => {
      ran++;
      return { deleted: [] };
    };
    registerIpc(ipc.registrar, handlers, trusted);
    const del = ipc.handlers.get(channelOf('snapshots.delete'));
    for (const senderFrame of [{ url: APP_URL }, { url: 'https://evil.example/' }, null]) {
      const res = (await del?.({ senderFrame }, { refs: ['a'] })) as Envelope<unknown>;
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.message).toMatch(/refused/);
    }
    expect(ran).toBe(0);
  });

  it('unregistering removes every channel', () => {
    const ipc = fakeIpcMain();
    const off = registerIpc(ipc.registrar, echoHandlers(), trusted);
    off();
    expect(ipc.handlers.size).toBe(0);
  });

  it('bus events reach the window on their derived channel until it is destroyed', () => {
    const bus = new EventBus();
    const sent: [string, unknown][] = [];
    let destroyed = false;
    forwardEvents(bus, { send: (c, p) => sent.push([c, p]), isDestroyed: () => destroyed });
    bus.emit('store.changed', { root: '/r' });
    destroyed = true;
    bus.emit('store.changed', { root: '/r' });
    expect(sent).toEqual([[channelOf('store.changed'), { root: '/r' }]]);
  });
});

describe('contract input rules', () => {
  // The contract refuses at the IPC boundary exactly what the store would refuse later, so a
  // renderer never gets a half-validated call through to src-core with a different message.
  const names = ['web-golden', 'ünïcødé ✓', '', 'a/b', 'a\\b', 'a\nb', 'tab\there', 'del\u007f', 'c1\u0085', 'bidi\u202e', 'zw\u200b', 'x'.repeat(5000)];
  it('snapshot names accepted by snapshots.rename are those validateName accepts', async () => {
    const { validateName } = await import('../../src-core/names');
    expect(names.filter((name) => calls['snapshots.rename'].input.safeParse({ ref: 'abc', name }).success)).toEqual(['web-golden', 'ünïcødé ✓', '', 'a/b', 'a\\b', 'x'.repeat(5000)]);
    for (const name of names) {
      const contractOk = calls['snapshots.rename'].input.safeParse({ ref: 'abc', name }).success;
      let storeOk = true;
      try {
        validateName(name);
      } catch {
        storeOk = false;
      }
      expect({ name, ok: contractOk }).toEqual({ name, ok: storeOk });
    }
  });

  it('descriptions accepted by snapshots.rename are those validateDescription accepts (line breaks and tabs included)', async () => {
    const { validateDescription } = await import('../../src-core/names');
    for (const description of ['nginx', 'two\nlines\tand a tab', 'd'.repeat(5000), 'esc\u001b[31m', 'cr\r\n', 'bidi\u202e']) {
      const contractOk = calls['snapshots.rename'].input.safeParse({ ref: 'abc', description }).success;
      let storeOk = true;
      try {
        validateDescription(description);
      } catch {
        storeOk = false;
      }
      expect({ description: description.slice(0, 20), ok: contractOk }).toEqual({ description: description.slice(0, 20), ok: storeOk });
    }
  });
});
