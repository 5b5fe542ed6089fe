import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { DAY_MS } from '../../src-core/trash/trash-index';
import { WEB, writeCocoonStore } from './cocoon-store';
import { dataTar, exists, tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let clock: number;
let store: LocalFileStore;
const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');
const trashRoot = (): string => path.join(root, 'snapshot', 'trash');
const indexFile = (): string => path.join(root, 'snapshot', 'db', 'snapshots.json');
const rawIndex = async (): Promise<{ snapshots: Record<string, unknown>; names: Record<string, string> }> => JSON.parse(await fs.readFile(indexFile(), 'utf8')) as never;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-trash-'));
  clock = Date.parse('2026-03-01T12:00:00Z');
  store = openStore({ root, now: () => clock });
  // Tests here must not depend on this machine's free space.
  await store.trash.setSettings({ minFreeBytes: 0 });
});
afterEach(async () => {
  await cleanup();
});

async function snapshot(name: string, files: Record<string, string> = { mem: 'memory'.repeat(1000), vmstate: 'state' }): Promise<string> {
  const id = newSnapshotId();
  await store.create({ id, name, cpu: 2 }, dataTar(files));
  return id;
}

describe('moving to the trash', () => {
  it('takes the record out of the index at once and moves the data under snapshot/trash, outside snapshot/localfile', async () => {
    const id = await snapshot('web');
    expect(await store.trash.moveToTrash(['web'])).toEqual([id]);
    expect(await rawIndex()).toEqual({ snapshots: {}, names: {} });
    expect(await store.list()).toEqual([]);
    // cocoon's GC looks only at the subdirectories of snapshot/localfile: the trash is not among them.
    expect(await fs.readdir(dataRoot())).toEqual([]);
    expect((await fs.readdir(trashRoot())).sort()).toEqual([id, 'trash.json']);
    expect(await fs.readFile(path.join(trashRoot(), id, 'vmstate'), 'utf8')).toBe('state');
    expect(await store.isNameTaken('web')).toBe(false);
    const { items, totalSize } = await store.trash.list();
    expect(items.map((i) => [i.snapshot.id, i.snapshot.name, i.deletedAt])).toEqual([[id, 'web', '2026-03-01T12:00:00.000Z']]);
    expect(items[0]!.size).toBeGreaterThan(0);
    expect(totalSize).toBe(items[0]!.size);
    expect(items[0]!.purgeAt).toBe('2026-03-08T12:00:00.000Z');
  });

  it('resolves every ref first: one bad ref moves nothing', async () => {
    await snapshot('a');
    await expect(store.trash.moveToTrash(['a', 'nope'])).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.list()).map((s) => s.name)).toEqual(['a']);
    expect(await fs.readdir(trashRoot())).toEqual(['trash.json']);
  });

  it('refuses, as locked and moving nothing, while the snapshot is being exported', async () => {
    await snapshot('busy');
    const { stream } = await store.export('busy');
    await expect(store.trash.moveToTrash(['busy'])).rejects.toMatchObject({ code: 'locked' });
    expect((await store.list()).map((s) => s.name)).toEqual(['busy']);
    stream.destroy();
    await once(stream, 'close');
    await new Promise((r) => setTimeout(r, 10));
    expect(await store.trash.moveToTrash(['busy'])).toHaveLength(1);
  });
});

describe('restoring', () => {
  it('puts back the same ID, name and record byte for byte, unknown fields included', async () => {
    const cocoon = await writeCocoonStore();
    try {
      const s = openStore({ root: cocoon.root });
      await s.trash.setSettings({ minFreeBytes: 0 });
      const before = JSON.parse(await fs.readFile(cocoon.indexFile, 'utf8')) as { snapshots: Record<string, unknown> };
      await s.trash.moveToTrash(['web-golden']);
      expect(await s.list().then((l) => l.map((x) => x.id))).not.toContain(WEB);
      const restored = await s.trash.restore(WEB.slice(0, 6));
      expect(restored.id).toBe(WEB);
      const after = JSON.parse(await fs.readFile(cocoon.indexFile, 'utf8')) as { snapshots: Record<string, unknown> };
      expect(after.snapshots[WEB]).toEqual(before.snapshots[WEB]);
      expect(await fs.readFile(path.join(cocoon.root, 'snapshot', 'localfile', WEB, 'cocoon.json'), 'utf8')).toBe('{}');
      expect((await s.trash.list()).items).toEqual([]);
    } finally {
      await cocoon.cleanup();
    }
  });

  it('a name taken meanwhile is a name_conflict suggesting a free name; restoring under a new name works', async () => {
    const id = await snapshot('web');
    await store.trash.moveToTrash([id]);
    await snapshot('web');
    const err = await store.trash.restore('web').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'name_conflict', details: { name: 'web', suggestedName: 'web-2' } });
    expect((await store.trash.list()).items).toHaveLength(1);
    const restored = await store.trash.restore('web', { name: 'web-2' });
    expect(restored).toMatchObject({ id, name: 'web-2', cpu: 2 });
    expect((await store.inspect('web-2')).files.map((f) => f.name)).toEqual(['mem', 'vmstate']);
  });

  it('refers to trashed snapshots by ID, former name or unique ID prefix, and says so when nothing matches', async () => {
    const a = await snapshot('a');
    const b = await snapshot('b');
    await store.trash.moveToTrash([a, b]);
    await expect(store.trash.restore('zzz')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.trash.restore('')).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.trash.restore('b')).id).toBe(b);
    expect((await store.trash.restore(a.slice(0, 10))).id).toBe(a);
  });
});

describe('deleting for ever', () => {
  it('delete forever and empty remove the data and the entries', async () => {
    const a = await snapshot('a');
    const b = await snapshot('b');
    const c = await snapshot('c');
    await store.trash.moveToTrash([a, b, c]);
    expect(await store.trash.deleteForever(['a'])).toEqual([a]);
    expect(await exists(path.join(trashRoot(), a))).toBe(false);
    expect((await store.trash.empty()).sort()).toEqual([b, c].sort());
    expect(await fs.readdir(trashRoot())).toEqual(['trash.json']);
    expect((await store.trash.list()).items).toEqual([]);
  });

  it('GC deletes what has been in the trash longer than the retention period (7 days by default)', async () => {
    const old = await snapshot('old');
    await store.trash.moveToTrash([old]);
    clock += 3 * DAY_MS;
    const recent = await snapshot('recent');
    await store.trash.moveToTrash([recent]);
    clock += 4 * DAY_MS - 1000;
    expect((await store.gc()).purgedFromTrash).toBeUndefined();
    clock += 1000;
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [], purgedFromTrash: [old] });
    expect((await store.trash.list()).items.map((i) => i.snapshot.id)).toEqual([recent]);
  });

  it('with free space under the threshold the trash empties, oldest first; a threshold of 0 never purges', async () => {
    const a = await snapshot('a');
    const b = await snapshot('b');
    await store.trash.moveToTrash([a]);
    clock += 1000;
    await store.trash.moveToTrash([b]);
    expect(await store.trash.purgeDue()).toEqual([]);
    await store.trash.setSettings({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(await store.trash.purgeDue()).toEqual([a, b]);
  });

  it('settings are kept in the trash index and checked', async () => {
    expect(await store.trash.setSettings({ retentionDays: 30 })).toEqual({ retentionDays: 30, minFreeBytes: 0 });
    expect(await openStore({ root }).trash.settings()).toEqual({ retentionDays: 30, minFreeBytes: 0 });
    await expect(store.trash.setSettings({ retentionDays: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.trash.setSettings({ minFreeBytes: 1.5 })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('GC removes directories in the trash that no entry owns, and the lease file a trashed snapshot left', async () => {
    const id = await snapshot('x');
    await store.export('x').then(async ({ stream }) => {
      for await (const chunk of stream) void chunk;
    });
    expect(await exists(path.join(dataRoot(), `${id}.lease`))).toBe(true);
    await store.trash.moveToTrash([id]);
    await fs.writeFile(path.join(dataRoot(), `${id}.lease`), '');
    await fs.mkdir(path.join(trashRoot(), 'stray'));
    await store.gc();
    expect(await fs.readdir(dataRoot())).toEqual([]);
    expect((await fs.readdir(trashRoot())).sort()).toEqual([id, 'trash.json']);
  });

  it('a damaged trash index is a typed io error naming the file', async () => {
    await fs.mkdir(trashRoot(), { recursive: true });
    await fs.writeFile(path.join(trashRoot(), 'trash.json'), '{"version":1,"entries":{"X":{"state":"odd"}}}');
    await expect(store.trash.list()).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/trash index .*trash\.json is damaged/) as unknown });
  });
});
