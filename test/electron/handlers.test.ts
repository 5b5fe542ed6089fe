import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveRef, Task } from '../../electron/app/contract';
import { desktopApp } from './helpers/desktop-app';
import { MAX_TEXT_FIELD_LENGTH } from '../../src-core/rules';

const FIXTURES = join(__dirname, '..', 'fixtures', 'good');
let app: Awaited<ReturnType<typeof desktopApp>>;

beforeEach(async () => {
  app = await desktopApp();
});
afterEach(async () => {
  await app.close();
});

async function registerFixture(name = 'cocoon-ch.tar.gz'): Promise<ArchiveRef> {
  const path = join(app.dir, name);
  await copyFile(join(FIXTURES, name), path);
  const [ref] = await app.call('archives.register', { paths: [path] });
  return ref as ArchiveRef;
}

const settle = (task: Task): Promise<Task> => app.ctx.tasks.wait(task.id);

async function importFixture(name?: string): Promise<string> {
  const ref = await registerFixture();
  const done = await settle(await app.call('archives.import', { archiveId: ref.id, ...(name ? { name } : {}) }));
  expect(done.state).toBe('done');
  return done.result?.snapshotId as string;
}

describe('handlers over IPC on a real store', () => {
  it('import, list, inspect, rename and delete a snapshot', async () => {
    expect(await app.call('snapshots.list')).toEqual([]);
    const ref = await registerFixture();
    expect(ref).toMatchObject({ name: 'cocoon-ch.tar.gz', size: 93360 });
    const preview = await app.call('archives.preview', { archiveId: ref.id });
    expect(preview).toMatchObject({ config: { name: 'web-golden', cpu: 2 }, gzip: true, nameTaken: false });

    const task = await app.call('archives.import', { archiveId: ref.id, description: 'from the test' });
    expect(task).toMatchObject({ kind: 'import', title: 'Import cocoon-ch.tar.gz', bytesTotal: 93360 });
    const done = await settle(task);
    expect(done).toMatchObject({ state: 'done', error: null });
    const id = done.result?.snapshotId as string;

    const list = await app.call('snapshots.list');
    expect(list.map((s) => [s.id, s.name, s.description])).toEqual([[id, 'web-golden', 'from the test']]);
    const details = await app.call('snapshots.inspect', { ref: 'web-golden' });
    expect(details.files.map((f) => f.name).sort()).toEqual(['cocoon.json', 'config.json', 'cow.raw', 'empty.bin', 'memory-ranges', 'state.json']);

    expect(await app.call('snapshots.rename', { ref: id.slice(0, 6), name: 'web-renamed' })).toMatchObject({ id, name: 'web-renamed' });
    await app.call('snapshots.showInFolder', { ref: 'web-renamed' });
    expect(app.script.shown).toEqual([details.data_dir]);
    expect(await app.call('snapshots.delete', { refs: ['web-renamed', id] })).toEqual({ deleted: [id] });
    expect(await app.call('snapshots.list')).toEqual([]);
  });

  it('a taken name shows in the preview and fails the import with name_conflict until renamed', async () => {
    await importFixture();
    const ref = await registerFixture();
    expect(await app.call('archives.preview', { archiveId: ref.id })).toMatchObject({ nameTaken: true, suggestedName: 'web-golden-2' });
    const failed = await settle(await app.call('archives.import', { archiveId: ref.id }));
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('name_conflict');
    const ok = await settle(await app.call('archives.import', { archiveId: ref.id, name: 'web-golden-2' }));
    expect(ok.state).toBe('done');
    expect((await app.call('snapshots.list')).map((s) => s.name).sort()).toEqual(['web-golden', 'web-golden-2']);
  });

  it('exports through the save dialog to <name>.tgz, appending the extension, and shows it in its folder', async () => {
    await importFixture();
    await mkdir(join(app.dir, 'out'));
    app.script.savePath = join(app.dir, 'out', 'my-export');
    const task = (await app.call('snapshots.export', { ref: 'web-golden' })) as Task;
    expect(app.script.saveDefaults).toEqual(['web-golden.tgz']);
    const done = await settle(task);
    expect(done).toMatchObject({ state: 'done', result: { fileName: 'my-export.tgz' } });
    expect(await readdir(join(app.dir, 'out'))).toEqual(['my-export.tgz']);
    await app.call('tasks.showInFolder', { taskId: task.id });
    expect(app.script.shown).toEqual([join(app.dir, 'out', 'my-export.tgz')]);

    // The file is a valid archive of the same snapshot: verify it as a task.
    const [ref] = await app.call('archives.register', { paths: [join(app.dir, 'out', 'my-export.tgz')] });
    const verified = await settle(await app.call('archives.verify', { archiveId: (ref as ArchiveRef).id }));
    expect(verified.state).toBe('done');
    expect(verified.result?.report?.config.name).toBe('web-golden');
    expect(verified.result?.report?.files.map((f) => f.name).sort()).toEqual(['cocoon.json', 'config.json', 'cow.raw', 'empty.bin', 'memory-ranges', 'state.json']);
  });

  it('a name typed without extension never silently replaces the existing <name>.tgz', async () => {
    await importFixture();
    await mkdir(join(app.dir, 'out'));
    await writeFile(join(app.dir, 'out', 'keep.tgz'), 'the user\'s other archive');
    app.script.savePath = join(app.dir, 'out', 'keep');
    const err = await app.failure('snapshots.export', { ref: 'web-golden' });
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('keep.tgz already exists');
    expect(await readFile(join(app.dir, 'out', 'keep.tgz'), 'utf8')).toBe("the user's other archive");
    expect((await app.call('tasks.list')).filter((t) => t.kind === 'export')).toEqual([]);
    // Choosing the full name in the dialog (which asked about replacing it) does replace it.
    app.script.savePath = join(app.dir, 'out', 'keep.tgz');
    expect((await settle((await app.call('snapshots.export', { ref: 'web-golden' })) as Task)).state).toBe('done');
    expect((await stat(join(app.dir, 'out', 'keep.tgz'))).size).toBeGreaterThan(100);
  });

  it('a cancelled save dialog exports nothing', async () => {
    await importFixture();
    app.script.savePath = null;
    expect(await app.call('snapshots.export', { ref: 'web-golden' })).toBeNull();
    expect((await app.call('tasks.list')).filter((t) => t.kind === 'export')).toEqual([]);
  });

  it('a cancelled export leaves nothing next to its target', async () => {
    await importFixture();
    await mkdir(join(app.dir, 'out'));
    app.script.savePath = join(app.dir, 'out', 'web.tgz');
    const task = (await app.call('snapshots.export', { ref: 'web-golden', level: 9 })) as Task;
    await app.call('tasks.cancel', { taskId: task.id });
    const end = await settle(task);
    expect(end.state).toBe('cancelled');
    expect(end.error?.code).toBe('cancelled');
    expect(await readdir(join(app.dir, 'out'))).toEqual([]);
  });

  it('a cancelled import leaves no snapshot and no data directory', async () => {
    const ref = await registerFixture('cocoon-fc.tar');
    const task = await app.call('archives.import', { archiveId: ref.id, name: 'fc' });
    await app.call('tasks.cancel', { taskId: task.id });
    expect((await settle(task)).state).toBe('cancelled');
    expect(await app.call('snapshots.list')).toEqual([]);
    const dataRoot = join(app.root, 'snapshot', 'localfile');
    const left = await readdir(dataRoot).catch(() => []);
    expect(left).toEqual([]);
    expect((await app.call('snapshots.gc')).removedOrphanDirs).toEqual([]);
  });

  it('tasks are listed, announced as task.updated events, and cleared once finished', async () => {
    await importFixture();
    const updates = app.events.filter((e) => e.event === 'task.updated').map((e) => (e.payload as Task).state);
    expect(updates[0]).toBe('queued');
    expect(updates.at(-1)).toBe('done');
    expect((await app.call('tasks.list')).map((t) => t.state)).toEqual(['done']);
    await app.call('tasks.clear');
    expect(await app.call('tasks.list')).toEqual([]);
  });

  it('archives.pick registers what the open dialog returns, and nothing when cancelled', async () => {
    await copyFile(join(FIXTURES, 'cocoon-fc.tar'), join(app.dir, 'fc.tar'));
    app.script.openPaths = [join(app.dir, 'fc.tar')];
    expect((await app.call('archives.pick')).map((r) => r.name)).toEqual(['fc.tar']);
    app.script.openPaths = [];
    expect(await app.call('archives.pick')).toEqual([]);
  });

  it('choosing another root swaps the store, announces it, and reset goes back', async () => {
    await importFixture();
    app.script.directory = join(app.dir, 'other-root');
    const changed = app.nextEvent('store.changed', (p) => p.root === join(app.dir, 'other-root'));
    expect(await app.call('settings.chooseRoot')).toMatchObject({ root: join(app.dir, 'other-root'), rootSource: 'setting' });
    await changed;
    expect(await app.call('snapshots.list')).toEqual([]);
    expect(await app.call('settings.resetRoot')).toMatchObject({ root: app.root, rootSource: 'cli' });
    expect((await app.call('snapshots.list')).map((s) => s.name)).toEqual(['web-golden']);
    app.script.directory = null;
    expect(await app.call('settings.chooseRoot')).toBeNull();
  });

  it('files opened with the app wait for the renderer, then arrive as events', async () => {
    await copyFile(join(FIXTURES, 'cocoon-fc.tar'), join(app.dir, 'a.tar'));
    await app.ctx.openFiles([join(app.dir, 'a.tar'), join(app.dir, 'missing.tgz')]);
    expect((await app.call('archives.takeOpened')).map((r) => r.name)).toEqual(['a.tar']);
    expect(await app.call('archives.takeOpened')).toEqual([]);
    const opened = app.nextEvent('archives.opened');
    await app.ctx.openFiles([join(app.dir, 'a.tar')]);
    expect((await opened).archives.map((r) => r.name)).toEqual(['a.tar']);
  });

  it('store-watch reports a change made outside the app', async () => {
    const changed = app.nextEvent('store.changed');
    // Another process (the CLI, cocoon) writes the same root.
    const { openStore } = await import('../../src-core/localfile');
    const { seedSnapshots } = await import('../helpers/store-state');
    await seedSnapshots(openStore({ root: app.root }), 1);
    expect(await changed).toEqual({ root: app.root });
    expect((await app.call('snapshots.list')).map((s) => s.name)).toEqual(['seed-1']);
  });

  it('gc reports what it removed', async () => {
    await mkdir(join(app.root, 'snapshot', 'localfile', 'ORPHANORPHANORPHANORPHAN22'), { recursive: true });
    const report = await app.call('snapshots.gc');
    expect(report.removedOrphanDirs).toEqual(['ORPHANORPHANORPHANORPHAN22']);
    await expect(stat(join(app.root, 'snapshot', 'localfile', 'ORPHANORPHANORPHANORPHAN22'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('error envelopes', () => {
  it('carry the store error code and an actionable message', async () => {
    const missing = await app.failure('snapshots.inspect', { ref: 'nope' });
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/nope/);
    await importFixture();
    await importFixture('second');
    const rename = await app.failure('snapshots.rename', { ref: 'second', name: 'web-golden' });
    expect(rename.code).toBe('name_conflict');
    expect((await app.failure('archives.preview', { archiveId: 'unknownArchive' })).code).toBe('not_found');
    expect((await app.failure('tasks.cancel', { taskId: 'unknownTask' })).code).toBe('not_found');
    expect((await app.failure('tasks.showInFolder', { taskId: 'unknownTask' })).code).toBe('invalid_input');
  });

  it('a hostile archive fails its import task as invalid_archive and leaves the store as it was', async () => {
    const path = join(app.dir, 'traversal.tar.gz');
    await copyFile(join(__dirname, '..', 'fixtures', 'hostile', 'traversal.tar.gz'), path);
    const [ref] = await app.call('archives.register', { paths: [path] });
    const end = await settle(await app.call('archives.import', { archiveId: (ref as ArchiveRef).id }));
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('invalid_archive');
    expect(await app.call('snapshots.list')).toEqual([]);
  });
});

describe('input validation', () => {
  const rejects = async (name: Parameters<typeof app.failure>[0], input: unknown) => {
    const err = await app.failure(name, input);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(new RegExp(`invalid input for ${name.replace('.', '\\.')}`));
    return err;
  };

  it('missing fields', async () => {
    await rejects('snapshots.inspect', {});
    await rejects('snapshots.delete', {});
    await rejects('archives.import', { name: 'x' });
    await rejects('tasks.cancel', undefined);
  });

  it('extra fields', async () => {
    const err = await rejects('snapshots.inspect', { ref: 'a', path: '/etc' });
    expect(err.details?.issues).toEqual([expect.stringMatching(/path/)]);
    await rejects('archives.import', { archiveId: 'abc', dataDir: '/tmp' });
    await rejects('snapshots.list', { all: true });
  });

  it('wrong types', async () => {
    await rejects('snapshots.delete', { refs: 'abc' });
    await rejects('snapshots.export', { ref: 'a', gzip: 'yes' });
    await rejects('snapshots.export', { ref: 'a', level: 12 });
    await rejects('archives.register', { paths: [42] });
    await rejects('snapshots.inspect', 'abc');
  });

  it('too long or malformed values', async () => {
    await rejects('snapshots.inspect', { ref: 'x'.repeat(MAX_TEXT_FIELD_LENGTH + 1) });
    await rejects('snapshots.rename', { ref: 'a', name: 'bell\u0007' });
    await rejects('snapshots.rename', { ref: 'a', name: 'bidi\u202e' });
    await rejects('snapshots.rename', { ref: 'a', description: 'esc\u001b[2J' });
    await rejects('snapshots.rename', { ref: 'a', description: 'd'.repeat(MAX_TEXT_FIELD_LENGTH + 1) });
    await rejects('archives.register', { paths: Array.from({ length: 257 }, (_, i) => `/f${i}.tgz`) });
    await rejects('archives.preview', { archiveId: '../../etc/passwd' });
    await rejects('snapshots.delete', { refs: [] });
  });

  it('a rename with nothing to change is refused', async () => {
    expect((await app.failure('snapshots.rename', { ref: 'a' })).code).toBe('invalid_input');
  });
});
