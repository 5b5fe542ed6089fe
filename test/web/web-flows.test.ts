import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../electron/app/contract';
import { SnapDeskError } from '../../src-core/errors';
import { newSnapshotId } from '../../src-core/ids';
import { dataTar } from '../helpers/store-state';
import { issueTicket, openSession, webApp } from './helpers/web-app';
import { SECURITY_HEADERS } from '../../src-core/rules';

const FIXTURES = join(__dirname, '..', 'fixtures', 'good');
let app: Awaited<ReturnType<typeof webApp>>;

beforeEach(async () => {
  app = await webApp();
});
afterEach(async () => {
  vi.useRealTimers();
  await app.close();
});

async function fixtureFile(name: string, as = name): Promise<File> {
  const blob = await openAsBlob(join(FIXTURES, name));
  return new File([blob], as);
}

const settle = (task: Task): Promise<Task> => app.server.context.tasks.wait(task.id);
const eventsTicket = async (): Promise<string> => issueTicket(app.server, await openSession(app.server), { purpose: 'events' });

async function uploadAndImport(name?: string): Promise<string> {
  const [ref] = await app.client.registerFiles([await fixtureFile('cocoon-ch.tar.gz')]);
  const task = await app.client.call('archives.import', { archiveId: ref?.id as string, ...(name ? { name } : {}) });
  const done = await settle(task);
  expect(done.state).toBe('done');
  return done.result?.snapshotId as string;
}

describe('browser transport flows', () => {
  it('an uploaded archive previews, imports and lists like a dropped file, and its copy is deleted', async () => {
    const [ref] = await app.client.registerFiles([await fixtureFile('cocoon-ch.tar.gz', 'web golden.tgz')]);
    expect(ref).toMatchObject({ name: 'web golden.tgz', size: 93360 });
    expect(await readdir(app.server.uploadDir)).toHaveLength(1);
    expect(await app.client.call('archives.preview', { archiveId: ref?.id as string })).toMatchObject({ config: { name: 'web-golden' } });
    const done = await settle(await app.client.call('archives.import', { archiveId: ref?.id as string }));
    expect(done.state).toBe('done');
    expect((await app.client.call('snapshots.list')).map((s) => s.name)).toEqual(['web-golden']);
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('an upload that is not an archive is refused and nothing is kept', async () => {
    const err = await app.client.registerFiles([new File(['hello'], 'notes.txt')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect((err as SnapDeskError).code).toBe('invalid_input');
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('a batch with one bad file keeps none of it', async () => {
    const err = await app.client.registerFiles([await fixtureFile('cocoon-fc.tar'), new File(['x'], 'x.txt')]).catch((e: unknown) => e);
    expect((err as SnapDeskError).code).toBe('invalid_input');
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('a body shorter than its Content-Length is refused and removed', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: app.server.port,
          method: 'POST',
          path: '/api/archives',
          headers: { ...app.auth, 'Content-Length': '1000', 'X-Snapdesk-File-Name': 'a.tgz' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write(Buffer.alloc(10));
      // The client vanishes mid-upload.
      setImmediate(() => req.destroy());
    }).catch(() => 0);
    expect([0, 200]).toContain(status);
    // The server notices the broken upload and deletes the partial copy.
    for (let i = 0; i < 100 && (await readdir(app.server.uploadDir)).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await readdir(app.server.uploadDir)).toEqual([]);
  });

  it('an export downloads byte for byte what store.export produces', async () => {
    const id = await uploadAndImport();
    // snapshot.json carries the export time in seconds: hold the clock so both exports agree.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-02T03:04:05Z') });
    const task = (await app.client.call('snapshots.export', { ref: 'web-golden' })) as Task;
    // The client starts the download the server asked for, with a single-use ticket.
    expect(task.awaitsDownload).toBe(true);
    expect(app.downloads).toEqual([expect.stringMatching(new RegExp(`^${app.server.origin}/api/exports/${task.id}\\?ticket=[0-9a-f]{48}$`))]);
    const res = await fetch(app.downloads[0] as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="web-golden.tgz"; filename*=UTF-8''web-golden.tgz`);
    // The download carries the same security headers as every other response.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    const got = Buffer.from(await res.arrayBuffer());
    const done = await settle(task);
    expect(done).toMatchObject({ state: 'done', result: { fileName: 'web-golden.tgz' } });
    const expected = await buffer((await app.server.context.store().export(id)).stream);
    expect(got.equals(expected)).toBe(true);
    // A second download of the same task is refused: its ticket is spent, and a fresh ticket finds nothing waiting.
    expect((await fetch(app.downloads[0] as string)).status).toBe(401);
    expect((await fetch(await app.downloadUrl(task.id))).status).toBe(404);
  });

  it('an uncompressed export is a tar download', async () => {
    const id = await uploadAndImport();
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-02T03:04:05Z') });
    const task = (await app.client.call('snapshots.export', { ref: id, gzip: false })) as Task;
    const res = await fetch(await app.downloadUrl(task.id));
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    const got = Buffer.from(await res.arrayBuffer());
    const expected = await buffer((await app.server.context.store().export(id, { gzip: false })).stream);
    expect(got.equals(expected)).toBe(true);
  });

  it('closing the download cancels the export task', async () => {
    // Incompressible data larger than any socket buffer, so the export is still streaming when the browser lets go.
    await app.server.context.store().create({ id: newSnapshotId(), name: 'big' }, dataTar({ mem: randomBytes(32 * 1024 * 1024) }));
    const task = (await app.client.call('snapshots.export', { ref: 'big' })) as Task;
    const abort = new AbortController();
    const res = await fetch(await app.downloadUrl(task.id), { signal: abort.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    abort.abort();
    const end = await settle(task);
    expect(end.state).toBe('cancelled');
  });

  it('an export whose download never starts is given up', async () => {
    await app.close();
    app = await webApp({ exportAttachTimeoutMs: 50 });
    await uploadAndImport();
    const task = (await app.client.call('snapshots.export', { ref: 'web-golden' })) as Task;
    const end = await settle(task);
    expect(end.state).toBe('cancelled');
    expect(end.error?.message).toMatch(/did not start the download/);
  });

  it('SSE delivers task updates and store changes to the client', async () => {
    const states: string[] = [];
    const finished = new Promise<void>((resolve) => {
      app.client.on('task.updated', (t) => {
        states.push(t.state);
        if (t.state === 'done') resolve();
      });
    });
    const changed = new Promise<{ root: string }>((resolve) => app.client.on('store.changed', resolve));
    await app.eventsOpened();
    await uploadAndImport();
    await finished;
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(await changed).toEqual({ root: app.root });
  });

  it('errors arrive as SnapDeskError with their code', async () => {
    const err = await app.client.call('snapshots.inspect', { ref: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapDeskError);
    expect((err as SnapDeskError).code).toBe('not_found');
    const bad = await app.client.call('snapshots.inspect', { ref: '' }).catch((e: unknown) => e);
    expect((bad as SnapDeskError).code).toBe('invalid_input');
  });

  it('cancelling an upload import deletes the uploaded copy', async () => {
    const [ref] = await app.client.registerFiles([await fixtureFile('cocoon-fc.tar')]);
    const task = await app.client.call('archives.import', { archiveId: ref?.id as string, name: 'fc' });
    await app.client.call('tasks.cancel', { taskId: task.id });
    expect((await settle(task)).state).toBe('cancelled');
    expect(await readdir(app.server.uploadDir)).toEqual([]);
    expect(await app.client.call('snapshots.list')).toEqual([]);
  });

  it('the web host answers what only a desktop can do in words, and the page uploads what it picks instead', async () => {
    // The page picks with the browser's own file input (renderer) and hands the Files to registerFiles.
    const [ref] = await app.client.registerFiles([await fixtureFile('cocoon-fc.tar')]);
    expect(ref?.name).toBe('cocoon-fc.tar');
    for (const [name, message] of [
      ['archives.pick', /the browser picks files itself/],
      ['settings.chooseRoot', /restart the server with --root DIR/],
    ] as const) {
      const err = await app.client.call(name).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    }
    const shown = await app.client.call('snapshots.showInFolder', { ref: 'nothing' }).catch((e: unknown) => e);
    expect(shown).toMatchObject({ code: 'not_found' });
  });

  it('closing the server while a browser listens and tasks are queued ends the event stream without a write after end', async () => {
    await uploadAndImport();
    const uncaught: unknown[] = [];
    const record = (err: unknown): void => void uncaught.push(err);
    process.prependListener('uncaughtException', record);
    try {
      // A browser tab's event stream that stays open while the server shuts down.
      const tab = request({ host: '127.0.0.1', port: app.server.port, path: `/api/events?ticket=${await eventsTicket()}` });
      tab.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        tab.on('response', (res) => {
          res.on('error', () => undefined);
          res.once('data', () => resolve());
        });
        tab.end();
      });
      // Two exports take both task slots waiting for their downloads; the third is queued.
      const tasks: Task[] = [];
      for (let i = 0; i < 3; i++) tasks.push((await app.client.call('snapshots.export', { ref: 'web-golden' })) as Task);
      expect(tasks.map((t) => t.state)).toEqual(['running', 'running', 'queued']);
      await app.close();
      tab.destroy();
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      app = await webApp();
    }
  });

  it('closing the server removes every upload', async () => {
    await app.client.registerFiles([await fixtureFile('cocoon-fc.tar')]);
    const dir = app.server.uploadDir;
    await app.close();
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    app = await webApp();
  });
});
