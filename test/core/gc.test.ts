import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALE_PENDING_MS } from '../../src-core/gc';
import { newSnapshotId } from '../../src-core/ids';
import { readIndex } from '../../src-core/index-file';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { dataTar, exists, tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let clock: number;
let store: LocalFileStore;
const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-gc-'));
  clock = Date.now();
  store = openStore({ root, now: () => clock });
});
afterEach(async () => {
  await cleanup();
});

describe('garbage collection', () => {
  it('removes data directories that have no record, and keeps those that do', async () => {
    const kept = newSnapshotId();
    await store.create({ id: kept, name: 'kept' }, dataTar({ f: '1' }));
    const orphan = path.join(dataRoot(), newSnapshotId());
    await fs.mkdir(orphan);
    await fs.writeFile(path.join(orphan, 'mem'), 'leftover');
    const report = await store.gc();
    expect(report).toEqual({ removedOrphanDirs: [path.basename(orphan)], removedStalePending: [] });
    expect(await exists(orphan)).toBe(false);
    expect(await exists(path.join(dataRoot(), kept))).toBe(true);
  });

  /** A pending record and partial data as a crashed cocoon (which takes no leases) leaves them. */
  async function cocoonRemnant(name: string, withLease: boolean): Promise<{ id: string; dir: string }> {
    const id = newSnapshotId();
    const dir = path.join(dataRoot(), id);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'partial'), 'half');
    if (withLease) await fs.writeFile(path.join(dataRoot(), `${id}.lease`), '');
    await fs.mkdir(path.join(root, 'snapshot', 'db'), { recursive: true });
    const created = new Date(clock).toISOString();
    await fs.writeFile(
      path.join(root, 'snapshot', 'db', 'snapshots.json'),
      `{"snapshots":{"${id}":{"id":"${id}","name":"${name}","created_at":"${created}","pending":true,"data_dir":"${dir}"}},"names":{"${name}":"${id}"}}\n`,
    );
    return { id, dir };
  }

  it('keeps a fresh pending record and its directory, removes both once older than 24 h', async () => {
    const { id, dir } = await cocoonRemnant('crashed', false);
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [] });
    expect(await exists(path.join(dir, 'partial'))).toBe(true);

    clock += STALE_PENDING_MS - 1000;
    expect((await store.gc()).removedStalePending).toEqual([]);

    clock += 2000;
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [id] });
    expect(await exists(dir)).toBe(false);
    const index = await readIndex(path.join(root, 'snapshot', 'db', 'snapshots.json'));
    expect(index.snapshots.size).toBe(0);
    expect(index.names.size).toBe(0);
    expect(await store.isNameTaken('crashed')).toBe(false);
  });

  it('removes a fresh pending record at once when its build lease is free: the process that reserved it is gone', async () => {
    const { id, dir } = await cocoonRemnant('dead-owner', true);
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [id] });
    expect(await exists(dir)).toBe(false);
    expect(await store.isNameTaken('dead-owner')).toBe(false);
  });

  it('keeps a live reservation, even past 24 h, and its lease keeps its directory', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'slow' });
    await fs.writeFile(path.join(r.dir, 'mem'), 'data');
    clock += 2 * STALE_PENDING_MS;
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [] });
    await r.commit();
    expect((await store.inspect('slow')).files.map((f) => f.name)).toEqual(['mem']);
  });

  it('never touches the directory of a reservation in progress, which then commits normally', async () => {
    const r = await store.reserve({ id: newSnapshotId(), name: 'busy' });
    const gcRuns = [store.gc(), store.gc()];
    await fs.writeFile(path.join(r.dir, 'mem'), 'data');
    await Promise.all(gcRuns);
    await store.gc();
    await r.commit();
    expect((await store.inspect('busy')).files.map((f) => f.name)).toEqual(['mem']);
  });

  it('leaves a committed snapshot alone however old it is', async () => {
    const id = newSnapshotId();
    await store.create({ id, name: 'old' }, dataTar({ f: '1' }));
    clock += 10 * STALE_PENDING_MS;
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [] });
    expect((await store.inspect('old')).id).toBe(id);
  });

  it('drops names that point at no record, freeing them', async () => {
    const db = path.join(root, 'snapshot', 'db');
    await fs.mkdir(db, { recursive: true });
    await fs.writeFile(path.join(db, 'snapshots.json'), '{"snapshots":{},"names":{"ghost":"GHOSTGHOSTGHOSTGHOSTGHOST22"}}\n');
    await store.gc();
    expect(await fs.readFile(path.join(db, 'snapshots.json'), 'utf8')).toBe('{"snapshots":{},"names":{}}\n');
  });

  it('does not follow a symlink in the data root, and does not touch a hostile stale record\'s outside dir', async () => {
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'keep'), 'k');
    await fs.mkdir(dataRoot(), { recursive: true });
    await fs.symlink(outside, path.join(dataRoot(), 'LINKLINKLINKLINKLINKLINK22'));
    const db = path.join(root, 'snapshot', 'db');
    await fs.mkdir(db, { recursive: true });
    const id = 'HOSTILEHOSTILEHOSTILEHOST2';
    await fs.writeFile(
      path.join(db, 'snapshots.json'),
      `{"snapshots":{"${id}":{"id":"${id}","name":"h","created_at":"2000-01-01T00:00:00Z","pending":true,"data_dir":"${outside}"}},"names":{"h":"${id}"}}\n`,
    );
    expect(await store.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [id] });
    expect(await exists(path.join(outside, 'keep'))).toBe(true);
  });

  it('removes index temp files (snapshots.json\'s and trash.json\'s) left by a crash mid-write once they are old', async () => {
    const temps = [path.join(root, 'snapshot', 'db', '.tmp-abandoned'), path.join(root, 'snapshot', 'trash', '.tmp-abandoned')];
    for (const tmp of temps) {
      await fs.mkdir(path.dirname(tmp), { recursive: true });
      await fs.writeFile(tmp, '{"snapsh');
    }
    await store.gc();
    for (const tmp of temps) expect(await exists(tmp)).toBe(true);
    clock += 2 * 60 * 60 * 1000;
    await store.gc();
    for (const tmp of temps) expect(await exists(tmp)).toBe(false);
  });
});
