import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../electron/app/contract';
import { desktopApp } from './helpers/desktop-app';

const FIXTURES = join(__dirname, '..', 'fixtures', 'good');
let app: Awaited<ReturnType<typeof desktopApp>>;

beforeEach(async () => {
  app = await desktopApp();
  // Independent of this machine's free space.
  await app.call('trash.setSettings', { minFreeBytes: 0 });
});
afterEach(async () => {
  await app.close();
});

async function importFixture(name?: string): Promise<string> {
  const path = join(app.dir, `${Math.random()}.tar.gz`);
  await copyFile(join(FIXTURES, 'cocoon-ch.tar.gz'), path);
  const [ref] = await app.call('archives.register', { paths: [path] });
  const task: Task = await app.call('archives.import', { archiveId: ref!.id, ...(name ? { name } : {}) });
  const done = await app.ctx.tasks.wait(task.id);
  return done.result?.snapshotId as string;
}

describe('trash handlers on a real store', () => {
  it('move, list, restore under a new name after a name_conflict, with trash.changed after each change', async () => {
    const id = await importFixture();
    const changed = app.nextEvent('trash.changed');
    expect(await app.call('trash.move', { refs: ['web-golden'] })).toEqual({ trashed: [id], purged: [] });
    expect(await changed).toEqual({ root: app.root });
    expect(await app.call('snapshots.list')).toEqual([]);
    const summary = await app.call('trash.list');
    expect(summary.items.map((i) => [i.snapshot.id, i.snapshot.name])).toEqual([[id, 'web-golden']]);
    expect(summary.totalSize).toBeGreaterThan(0);
    expect(summary.settings).toEqual({ retentionDays: 7, minFreeBytes: 0 });

    await importFixture();
    const conflict = await app.failure('trash.restore', { ref: id });
    expect(conflict).toMatchObject({ code: 'name_conflict', details: { name: 'web-golden', suggestedName: 'web-golden-2' } });
    expect(await app.call('trash.restore', { ref: id, name: 'web-golden-2' })).toMatchObject({ id, name: 'web-golden-2' });
    expect((await app.call('snapshots.list')).map((s) => s.name).sort()).toEqual(['web-golden', 'web-golden-2']);
  });

  it('a move that the free-space threshold purges at once reports it as purged, so no Undo is offered', async () => {
    const id = await importFixture();
    // More free space than any disk has: whatever reaches the trash goes at once.
    await app.call('trash.setSettings', { minFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(await app.call('trash.move', { refs: [id] })).toEqual({ trashed: [id], purged: [id] });
    expect((await app.call('trash.list')).items).toEqual([]);
  });

  it('delete forever and empty; settings are validated in main', async () => {
    const a = await importFixture('a');
    const b = await importFixture('b');
    await app.call('trash.move', { refs: [a, b] });
    expect(await app.call('trash.deleteForever', { refs: [a] })).toEqual({ deleted: [a] });
    expect(await app.call('trash.empty')).toEqual({ deleted: [b] });
    expect((await app.call('trash.list')).items).toEqual([]);
    expect(await app.call('trash.setSettings', { retentionDays: 30 })).toEqual({ retentionDays: 30, minFreeBytes: 0 });
    expect(await app.failure('trash.setSettings', { retentionDays: -1 })).toMatchObject({ code: 'invalid_input' });
    expect(await app.failure('trash.move', { refs: [] })).toMatchObject({ code: 'invalid_input' });
    expect(await app.failure('trash.restore', { ref: 'x', name: 'a\u0007b' })).toMatchObject({ code: 'invalid_input' });
  });
});
