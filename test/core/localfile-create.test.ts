import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { readIndex } from '../../src-core/index-file';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { dataTar, exists, failingTar, stallingTar, tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalFileStore;
const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');
const indexFile = (): string => path.join(root, 'snapshot', 'db', 'snapshots.json');

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore({ root });
});
afterEach(async () => {
  await cleanup();
});

async function expectEmptyStore(): Promise<void> {
  const index = await readIndex(indexFile());
  expect([...index.snapshots.keys()]).toEqual([]);
  expect([...index.names.keys()]).toEqual([]);
  expect(await fs.readdir(dataRoot()).catch(() => [])).toEqual([]);
}

describe('creating a snapshot', () => {
  it('stores the data files and a committed record with created_at and data_dir', async () => {
    const id = newSnapshotId();
    const before = Date.now();
    expect(await store.create({ id, name: 'web', cpu: 2, hypervisor: 'cloud-hypervisor' }, dataTar({ 'state.json': '{}', 'memory-ranges': 'abc' }))).toBe(id);
    const details = await store.inspect('web');
    expect(details.files.map((f) => f.name)).toEqual(['memory-ranges', 'state.json']);
    expect(Date.parse(details.created_at)).toBeGreaterThanOrEqual(before - 1000);
    const raw = JSON.parse(await fs.readFile(indexFile(), 'utf8')) as { snapshots: Record<string, Record<string, unknown>>; names: Record<string, string> };
    expect(raw.snapshots[id]).toEqual({ cpu: 2, id, name: 'web', hypervisor: 'cloud-hypervisor', created_at: details.created_at, data_dir: path.join(dataRoot(), id) });
    expect(raw.names).toEqual({ web: id });
    expect((await fs.stat(path.join(dataRoot(), id))).mode & 0o777).toBe(0o750);
  });

  it('an unnamed snapshot has name "" and no names entry', async () => {
    const id = newSnapshotId();
    await store.create({ id, name: '' }, dataTar({ mem: 'x' }));
    const raw = JSON.parse(await fs.readFile(indexFile(), 'utf8')) as { snapshots: Record<string, Record<string, unknown>>; names: Record<string, string> };
    expect(raw.snapshots[id]!.name).toBe('');
    expect(raw.names).toEqual({});
  });

  it('refuses a missing or malformed ID before touching the disk', async () => {
    await expect(store.create({ name: 'x' }, dataTar({}))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.create({ id: '../../../tmp/evil', name: 'x' }, dataTar({}))).rejects.toThrow(/invalid snapshot ID/);
    expect(await exists(path.join(root, 'snapshot'))).toBe(false);
  });

  it('refuses an ID that already exists', async () => {
    const id = newSnapshotId();
    await store.create({ id, name: 'a' }, dataTar({ f: '1' }));
    await expect(store.create({ id, name: 'b' }, dataTar({ f: '2' }))).rejects.toThrow(/already exists/);
    expect((await store.inspect(id)).name).toBe('a');
  });

  it('refuses a name in use with name_conflict carrying the name, and leaves nothing behind', async () => {
    const first = newSnapshotId();
    await store.create({ id: first, name: 'web' }, dataTar({ f: '1' }));
    const second = newSnapshotId();
    await expect(store.create({ id: second, name: 'web' }, dataTar({ f: '2' }))).rejects.toMatchObject({
      code: 'name_conflict',
      details: { name: 'web', existingId: first },
    });
    expect(await exists(path.join(dataRoot(), second))).toBe(false);
    expect((await store.list()).map((s) => s.id)).toEqual([first]);
  });

  it('rolls back when the tar stream fails mid-way: no directory, no record, name free again', async () => {
    const id = newSnapshotId();
    await expect(store.create({ id, name: 'broken' }, failingTar())).rejects.toThrow();
    await expectEmptyStore();
    expect(await store.isNameTaken('broken')).toBe(false);
  });

  it('rolls back when aborted mid-way, with a cancelled error', async () => {
    const ac = new AbortController();
    const id = newSnapshotId();
    const creating = store.create({ id, name: 'aborted' }, stallingTar(() => ac.abort()), { signal: ac.signal });
    await expect(creating).rejects.toMatchObject({ code: 'cancelled' });
    await expectEmptyStore();
  });

  it('an already aborted signal creates nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(store.create({ id: newSnapshotId(), name: 'x' }, dataTar({ f: '1' }), { signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(await exists(path.join(root, 'snapshot'))).toBe(false);
  });

  it('restore gives the config and a tar stream that recreates the same files', async () => {
    const id = newSnapshotId();
    await store.create({ id, name: 'src', cpu: 4 }, dataTar({ a: 'alpha', b: 'beta' }));
    const { config, stream } = await store.restore('src');
    expect(config).toEqual({ cpu: 4, id, name: 'src' });
    const copy = newSnapshotId();
    await store.create({ ...config, id: copy, name: 'copy' }, stream);
    expect(await fs.readFile(path.join(dataRoot(), copy, 'b'), 'utf8')).toBe('beta');
  });
});

describe('reservations (the two-phase seam imports use)', () => {
  it('a pending reservation is invisible but holds its name, so a second one of that name fails', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'img' });
    expect(await store.list()).toEqual([]);
    expect(await store.isNameTaken('img')).toBe(true);
    await expect(store.reserve({ id: newSnapshotId(), name: 'img' })).rejects.toMatchObject({ code: 'name_conflict' });
    expect(await store.suggestFreeName('img')).toBe('img-2');
    await r.rollback();
    expect(await store.isNameTaken('img')).toBe(false);
  });

  it('of two concurrent reservations of one name exactly one succeeds', async () => {
    const results = await Promise.allSettled([store.reserve({ id: newSnapshotId(), name: 'race' }), store.reserve({ id: newSnapshotId(), name: 'race' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('writes the pending record, then creates an empty data directory', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'p' });
    expect(r.dir).toBe(path.join(dataRoot(), r.id));
    expect(await fs.readdir(r.dir)).toEqual([]);
    const index = await readIndex(indexFile());
    expect(index.snapshots.get(r.id)!.data).toMatchObject({ pending: true, data_dir: r.dir, name: 'p' });
    await r.rollback();
  });

  it('commit is idempotent; rollback twice is safe; commit after rollback fails', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'c' });
    await fs.writeFile(path.join(r.dir, 'mem'), 'm');
    const a = await r.commit();
    const b = await r.commit();
    expect(b).toEqual(a);
    expect((await store.inspect('c')).files.map((f) => f.name)).toEqual(['mem']);

    const r2 = await store.reserve({ id: newSnapshotId(), name: 'd' });
    await r2.rollback();
    await r2.rollback();
    await expect(r2.commit()).rejects.toThrow(/rolled back/);
    expect(await exists(r2.dir)).toBe(false);
  });

  it('rollback after commit undoes it (a cancel at the last moment leaves nothing), but not while the snapshot is being read', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'late' });
    await fs.writeFile(path.join(r.dir, 'mem'), 'm');
    await r.commit();
    const { stream } = await store.restore('late');
    await expect(r.rollback()).rejects.toMatchObject({ code: 'locked' });
    stream.destroy();
    await new Promise((res) => stream.once('close', res));
    await r.rollback();
    await r.rollback();
    await expectEmptyStore();
  });
});

describe('deleting and renaming', () => {
  async function three(): Promise<string[]> {
    const ids = [newSnapshotId(), newSnapshotId(), newSnapshotId()];
    for (const [i, id] of ids.entries()) await store.create({ id, name: `s${i}` }, dataTar({ f: String(i) }));
    return ids;
  }

  it('delete resolves every ref first: one bad ref deletes nothing', async () => {
    const ids = await three();
    await expect(store.delete(['s0', 'nope', 's1'])).rejects.toMatchObject({ code: 'not_found', details: { ref: 'nope' } });
    expect((await store.list()).length).toBe(3);
    for (const id of ids) expect(await exists(path.join(dataRoot(), id))).toBe(true);
  });

  it('delete removes each snapshot once, however many refs name it, and returns the IDs', async () => {
    const ids = await three();
    expect(await store.delete(['s0', ids[0]!, ids[2]!.slice(0, 10), 's2'])).toEqual([ids[0], ids[2]]);
    expect((await store.list()).map((s) => s.name)).toEqual(['s1']);
    expect(await exists(path.join(dataRoot(), ids[0]!))).toBe(false);
    const index = await readIndex(indexFile());
    expect([...index.names.keys()]).toEqual(['s1']);
  });

  it('rename moves the name, keeps names unique, and an empty name makes the snapshot unnamed', async () => {
    const ids = await three();
    await expect(store.rename('s0', { name: 's1' })).rejects.toMatchObject({ code: 'name_conflict', details: { name: 's1', existingId: ids[1] } });
    const renamed = await store.rename('s0', { name: 'zero', description: 'the first' });
    expect(renamed).toMatchObject({ id: ids[0], name: 'zero', description: 'the first' });
    await expect(store.inspect('s0')).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.inspect('zero')).id).toBe(ids[0]);
    // Renaming to its own name is not a conflict.
    await store.rename('zero', { name: 'zero' });
    await store.rename('zero', { name: '', description: '' });
    const index = await readIndex(indexFile());
    expect([...index.names.keys()].sort()).toEqual(['s1', 's2']);
    expect(index.snapshots.get(ids[0]!)!.data).not.toHaveProperty('description');
    // Two unnamed snapshots are fine.
    await store.rename('s1', { name: '' });
    expect((await store.list()).filter((s) => s.name === '')).toHaveLength(2);
  });

  it('rename refuses names with control or bidi characters, and takes slashes and long names as cocoon does', async () => {
    await three();
    for (const bad of ['a\u0007b', 'a\u202eb', 'c1\u0085']) {
      await expect(store.rename('s0', { name: bad })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'name' } });
    }
    await expect(store.rename('s0', { description: 'esc\u001b[2J' })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'description' } });
    expect((await store.rename('s0', { name: 'team/web' })).name).toBe('team/web');
    const long = 'n'.repeat(5000);
    expect((await store.rename('team/web', { name: long, description: 'line 1\nline 2\t' })).name).toBe(long);
    expect((await store.inspect(long)).description).toBe('line 1\nline 2\t');
  });

  it("the app's concurrent calls never lose an update", async () => {
    const ids = await three();
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) jobs.push(store.create({ id: newSnapshotId(), name: `c${i}` }, dataTar({ f: String(i) })));
    for (let i = 0; i < 3; i++) jobs.push(store.rename(ids[i]!, { description: `d${i}` }));
    jobs.push(store.delete(['s2']));
    jobs.push(store.list());
    await Promise.all(jobs);
    const list = await store.list();
    expect(list.map((s) => s.name).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 's0', 's1']);
    expect(list.filter((s) => s.description?.startsWith('d')).length).toBe(2);
  });

  it('type is localfile, and GC registers with an orchestrator', async () => {
    expect(store.type()).toBe('localfile');
    const modules: { name: string; collect(): Promise<unknown> }[] = [];
    store.registerGC({ register: (m) => modules.push(m) });
    expect(modules.map((m) => m.name)).toEqual(['snapshot']);
    expect(await modules[0]!.collect()).toEqual({ removedOrphanDirs: [], removedStalePending: [] });
  });
});

describe('summaries and names of a larger store', () => {
  it('summaries of many snapshots come back complete and in creation order', async () => {
    let t = Date.parse('2024-01-01T00:00:00Z');
    const timed = openStore({ root, now: () => (t += 1000) });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await timed.reserve({ id: newSnapshotId(), name: `n${i}` });
      await fs.writeFile(path.join(r.dir, 'mem'), 'x'.repeat(i));
      await r.commit();
      ids.push(r.id);
    }
    const rows = await timed.listSummaries();
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.usage?.size)).toEqual(ids.map((_, i) => i));
  });

  it('a name recorded on a snapshot but missing from the names map still counts as taken', async () => {
    const id = 'MAPLESSMAPLESSMAPLESSMAPL2';
    await fs.mkdir(path.join(root, 'snapshot', 'db'), { recursive: true });
    await fs.writeFile(indexFile(), `{"snapshots":{"${id}":{"id":"${id}","name":"orphaned-name","created_at":"2024-01-01T00:00:00Z"}},"names":{}}\n`);
    expect(await store.isNameTaken('orphaned-name')).toBe(true);
    await expect(store.reserve({ id: newSnapshotId(), name: 'orphaned-name' })).rejects.toMatchObject({ code: 'name_conflict', details: { existingId: id } });
  });
});

describe('a data stream that failed before create read it', () => {
  it('is refused and leaves nothing behind', async () => {
    // A plain stream: destroying a Readable.from(tar-stream) wrapper would also throw inside tar-stream.
    const broken = new PassThrough();
    // The stream's owner has seen the error already; create must still refuse it.
    broken.on('error', () => undefined);
    broken.destroy(new Error('already broken'));
    await expect(store.create({ id: newSnapshotId(), name: 'b' }, broken)).rejects.toThrow('already broken');
    await expectEmptyStore();
  });
});
