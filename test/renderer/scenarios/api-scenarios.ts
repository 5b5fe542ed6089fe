/**
 * What the window relies on the API to do, written once and run against two
 * implementations: the renderer tests' fake (fake-api.ts) and the real
 * handlers over a temporary store. A behaviour the fake gets wrong fails
 * here, so the renderer tests that trust the fake cannot drift from the app.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveRef, EventName, EventPayloads, SnapdeskApi, Task } from '../../../electron/app/contract';
import type { ErrorCode } from '../../../src-core/errors';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
/** The good fixture's archive and what is known of its config (test/fixtures/good/expect.json). */
export const GOOD = { file: 'cocoon-ch.tar.gz', bytes: () => readFileSync(join(FIXTURES, 'good', 'cocoon-ch.tar.gz')), name: 'web-golden', cpu: 2 };
/** An archive with good metadata and an entry that escapes its directory: refused only when read in full. */
export const HOSTILE = { file: 'traversal.tar.gz', bytes: () => readFileSync(join(FIXTURES, 'hostile', 'traversal.tar.gz')), name: 'hostile' };
/** An archive whose first entry is not snapshot.json: refused as soon as it is read. */
export const NO_METADATA = { file: 'no-metadata.tar.gz', bytes: () => readFileSync(join(FIXTURES, 'hostile', 'no-metadata.tar.gz')) };

/** One implementation of the API, with the host around it that a scenario needs to drive. */
export interface ScenarioSubject {
  api: SnapdeskApi;
  /** Lets a started task run to its end (the fake ends it when told; the real one is awaited) and returns its last state. */
  finish(task: Task): Promise<Task>;
  /** How the next save dialog answers: the proposed file name in an empty folder, or Cancel. */
  answerSave(answer: 'proposed' | 'cancel'): void;
  /** How the next folder dialog answers: an empty folder (its path returned), or Cancel. */
  answerFolder(answer: 'new-folder' | 'cancel'): string | null;
  close(): Promise<void>;
}

const file = (name: string, bytes: Buffer): File => new File([new Uint8Array(bytes)], name);

/** The next `event` matching `match`; listens from the call on, so subscribe before acting. */
function nextEvent<E extends EventName>(api: SnapdeskApi, event: E, match: (p: EventPayloads[E]) => boolean = () => true): Promise<EventPayloads[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within 10 s`));
    }, 10_000);
    const off = api.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** The code of the call's rejection (it must reject). */
async function codeOf(work: Promise<unknown>): Promise<ErrorCode> {
  try {
    await work;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return (err as { code: ErrorCode }).code;
  }
  throw new Error('the call succeeded; a typed error was expected');
}

export function describeApiScenarios(label: string, makeSubject: () => Promise<ScenarioSubject>): void {
  describe(`API scenarios: ${label}`, () => {
    let s: ScenarioSubject;
    let api: SnapdeskApi;
    beforeEach(async () => {
      s = await makeSubject();
      api = s.api;
    });
    afterEach(async () => {
      await s.close();
    });

    async function register(which: { file: string; bytes: () => Buffer }): Promise<ArchiveRef> {
      const [ref] = await api.registerFiles([file(which.file, which.bytes())]);
      return ref as ArchiveRef;
    }

    async function importGood(opts: { name?: string; description?: string } = {}): Promise<{ task: Task; id: string }> {
      const ref = await register(GOOD);
      const task = await s.finish(await api.call('archives.import', { archiveId: ref.id, ...opts }));
      expect(task).toMatchObject({ state: 'done', error: null });
      return { task, id: task.result?.snapshotId as string };
    }

    it('an empty store lists nothing; the host says what it is', async () => {
      expect(await api.call('snapshots.list')).toEqual([]);
      const info = await api.call('app.info');
      expect(Object.keys(info).sort()).toEqual(['platform', 'transport', 'version']);
      expect(['electron', 'web']).toContain(info.transport);
    });

    it('a dropped archive registers by its file name and size, and its preview shows its config', async () => {
      const ref = await register(GOOD);
      expect(ref).toMatchObject({ name: GOOD.file, size: GOOD.bytes().length });
      expect(ref.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      const preview = await api.call('archives.preview', { archiveId: ref.id });
      expect(preview).toMatchObject({ config: { name: GOOD.name, cpu: GOOD.cpu }, version: 1, gzip: true, nameTaken: false });
      expect(preview).not.toHaveProperty('suggestedName');
    });

    it('an import runs as a task whose events end in done, then the store changes and lists the snapshot', async () => {
      const ref = await register(GOOD);
      const changed = nextEvent(api, 'store.changed');
      const ended = nextEvent(api, 'task.updated', (t) => t.state === 'done');
      const started = await api.call('archives.import', { archiveId: ref.id, description: 'from the scenario' });
      expect(started).toMatchObject({ kind: 'import', title: `Import ${GOOD.file}`, bytesTotal: ref.size, error: null, result: null });
      expect(['queued', 'running']).toContain(started.state);
      const done = await s.finish(started);
      expect(await ended).toMatchObject({ id: started.id, state: 'done' });
      await changed;
      const id = done.result?.snapshotId as string;
      const list = await api.call('snapshots.list');
      expect(list.map((x) => [x.id, x.name, x.description])).toEqual([[id, GOOD.name, 'from the scenario']]);
      expect(list[0]?.usage?.allocated).toBeGreaterThanOrEqual(0);
      expect((await api.call('tasks.list')).find((t) => t.id === started.id)).toMatchObject({ state: 'done', result: { snapshotId: id } });
    });

    it('inspect resolves an ID, a name or an ID prefix, and sums its data files', async () => {
      const { id } = await importGood();
      const details = await api.call('snapshots.inspect', { ref: GOOD.name });
      expect(details).toMatchObject({ id, name: GOOD.name });
      expect((await api.call('snapshots.inspect', { ref: id })).id).toBe(id);
      expect((await api.call('snapshots.inspect', { ref: id.slice(0, 5) })).id).toBe(id);
      expect(details.data_dir.endsWith(`/snapshot/localfile/${id}`)).toBe(true);
      expect(details.files.length).toBeGreaterThan(0);
      expect(details.usage).toEqual(
        details.files.reduce((u, f) => ({ size: u.size + f.size, allocated: u.allocated + f.allocated }), { size: 0, allocated: 0 }),
      );
    });

    it('rename refuses a taken name with name_conflict and changes nothing; a free name and a description are saved', async () => {
      const first = await importGood();
      const second = await importGood({ name: 'web-copy' });
      expect(await codeOf(api.call('snapshots.rename', { ref: second.id, name: GOOD.name }))).toBe('name_conflict');
      expect((await api.call('snapshots.list')).map((x) => x.name).sort()).toEqual([GOOD.name, 'web-copy'].sort());

      const changed = nextEvent(api, 'store.changed');
      expect(await api.call('snapshots.rename', { ref: 'web-copy', name: 'web-renamed' })).toMatchObject({ id: second.id, name: 'web-renamed' });
      await changed;
      expect(await api.call('snapshots.rename', { ref: first.id, description: 'described' })).toMatchObject({ id: first.id, name: GOOD.name, description: 'described' });
      const byId = new Map((await api.call('snapshots.list')).map((x) => [x.id, x]));
      expect(byId.get(second.id)?.name).toBe('web-renamed');
      expect(byId.get(first.id)?.description).toBe('described');
    });

    it('rename with nothing to change is invalid_input', async () => {
      const { id } = await importGood();
      expect(await codeOf(api.call('snapshots.rename', { ref: id }))).toBe('invalid_input');
    });

    it('delete removes every ref given once (a name and an ID of one snapshot count once), and the store changes', async () => {
      const { id } = await importGood();
      const other = await importGood({ name: 'keep-me' });
      const changed = nextEvent(api, 'store.changed');
      expect(await api.call('snapshots.delete', { refs: [GOOD.name, id] })).toEqual({ deleted: [id] });
      await changed;
      expect((await api.call('snapshots.list')).map((x) => x.id)).toEqual([other.id]);
    });

    it('a delete naming a missing snapshot is not_found and deletes nothing', async () => {
      const { id } = await importGood();
      expect(await codeOf(api.call('snapshots.delete', { refs: [id, 'no-such-snapshot'] }))).toBe('not_found');
      expect((await api.call('snapshots.list')).map((x) => x.id)).toEqual([id]);
    });

    it('a taken name shows in the preview with a free suggestion; importing under it fails with name_conflict; the suggestion imports', async () => {
      await importGood();
      const ref = await register(GOOD);
      expect(await api.call('archives.preview', { archiveId: ref.id })).toMatchObject({ nameTaken: true, suggestedName: `${GOOD.name}-2` });
      const failed = await s.finish(await api.call('archives.import', { archiveId: ref.id }));
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'name_conflict' } });
      // The archive stays registered after a conflict, so the user can import it under another name.
      const renamed = await s.finish(await api.call('archives.import', { archiveId: ref.id, name: `${GOOD.name}-2` }));
      expect(renamed.state).toBe('done');
      expect((await api.call('snapshots.list')).map((x) => x.name).sort()).toEqual([GOOD.name, `${GOOD.name}-2`]);
    });

    it('a released archive is gone: its preview is not_found', async () => {
      const ref = await register(GOOD);
      await api.call('archives.release', { archiveId: ref.id });
      expect(await codeOf(api.call('archives.preview', { archiveId: ref.id }))).toBe('not_found');
    });

    it('an archive without metadata is refused at preview, and its import fails, with invalid_archive', async () => {
      const ref = await register(NO_METADATA);
      expect(await codeOf(api.call('archives.preview', { archiveId: ref.id }))).toBe('invalid_archive');
      const failed = await s.finish(await api.call('archives.import', { archiveId: ref.id }));
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'invalid_archive' } });
      expect(await api.call('snapshots.list')).toEqual([]);
    });

    it('a hostile archive previews by its metadata, but its import fails with invalid_archive and leaves the store as it was', async () => {
      const ref = await register(HOSTILE);
      expect(await api.call('archives.preview', { archiveId: ref.id })).toMatchObject({ config: { name: HOSTILE.name }, nameTaken: false });
      const failed = await s.finish(await api.call('archives.import', { archiveId: ref.id }));
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'invalid_archive' }, result: null });
      expect(failed.error?.message).toMatch(/escape/);
      expect(await api.call('snapshots.list')).toEqual([]);
    });

    it('export runs as a task named after the snapshot that ends with the proposed <name>.tgz; a cancelled save dialog starts nothing', async () => {
      const { id } = await importGood();
      s.answerSave('proposed');
      const task = await api.call('snapshots.export', { ref: GOOD.name });
      expect(task).toMatchObject({ kind: 'export', title: `Export ${GOOD.name}`, error: null });
      const done = await s.finish(task as Task);
      expect(done).toMatchObject({ state: 'done', result: { fileName: `${GOOD.name}.tgz` } });

      s.answerSave('cancel');
      expect(await api.call('snapshots.export', { ref: id })).toBeNull();
      expect((await api.call('tasks.list')).filter((t) => t.kind === 'export')).toHaveLength(1);
    });

    it('finished tasks are cleared from the list; cancelling a finished task changes nothing; an unknown task is not_found', async () => {
      const { task } = await importGood();
      await api.call('tasks.cancel', { taskId: task.id });
      expect((await api.call('tasks.list')).find((t) => t.id === task.id)?.state).toBe('done');
      await api.call('tasks.clear');
      expect(await api.call('tasks.list')).toEqual([]);
      expect(await codeOf(api.call('tasks.cancel', { taskId: 'task-that-never-was' }))).toBe('not_found');
    });

    it('only a finished export has a file to show: an import task is invalid_input', async () => {
      const { task } = await importGood();
      expect(await codeOf(api.call('tasks.showInFolder', { taskId: task.id }))).toBe('invalid_input');
    });

    it('settings: a chosen folder becomes the store (and says so), Cancel keeps it, reset forgets the choice', async () => {
      const { id } = await importGood();
      const before = await api.call('settings.get');
      expect(Object.keys(before).sort()).toEqual(['defaultRoot', 'root', 'rootSource']);

      s.answerFolder('cancel');
      expect(await api.call('settings.chooseRoot')).toBeNull();
      expect(await api.call('settings.get')).toEqual(before);

      const folder = s.answerFolder('new-folder') as string;
      const changed = nextEvent(api, 'store.changed', (p) => p.root === folder);
      expect(await api.call('settings.chooseRoot')).toEqual({ root: folder, rootSource: 'setting', defaultRoot: before.defaultRoot });
      await changed;
      expect(await api.call('snapshots.list')).toEqual([]);

      // Without a saved choice the root is what it was at start (the default, or one given at launch).
      const back = nextEvent(api, 'store.changed', (p) => p.root === before.root);
      expect(await api.call('settings.resetRoot')).toEqual(before);
      await back;
      expect(await api.call('settings.get')).toEqual(before);
      expect((await api.call('snapshots.list')).map((x) => x.id)).toEqual([id]);
    });

    it('clean-up on a tidy store removes nothing and keeps every snapshot', async () => {
      const { id } = await importGood();
      expect(await api.call('snapshots.gc')).toEqual({ removedOrphanDirs: [], removedStalePending: [] });
      expect((await api.call('snapshots.list')).map((x) => x.id)).toEqual([id]);
    });

    it('errors carry typed codes: unknown refs are not_found, bad input is invalid_input, before anything happens', async () => {
      expect(await codeOf(api.call('snapshots.inspect', { ref: 'nothing-by-this-name' }))).toBe('not_found');
      expect(await codeOf(api.call('snapshots.inspect', { ref: '' }))).toBe('invalid_input');
      expect(await codeOf(api.call('snapshots.delete', { refs: [] }))).toBe('invalid_input');
      expect(await codeOf(api.call('snapshots.rename', { ref: 'x', name: 'a\u0007b' }))).toBe('invalid_input');
      expect(await codeOf(api.call('archives.preview', { archiveId: 'no such archive!' }))).toBe('invalid_input');
      expect(await codeOf(api.call('archives.import', { archiveId: 'unknown' }))).toBe('not_found');
      expect(await codeOf(api.call('snapshots.export', { ref: 'nothing-by-this-name' }))).toBe('not_found');
    });
  });
}
