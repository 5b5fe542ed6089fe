import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { dataTar, exists, tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalFileStore;
let id: string;
const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-lease-'));
  store = openStore({ root });
  id = newSnapshotId();
  await store.create({ id, name: 'leased' }, dataTar({ mem: 'm'.repeat(100_000) }));
});
afterEach(async () => {
  await cleanup();
});

/** Another process holding `<id>.lease` shared with flock(1), as another snapdesk export or restore does. */
async function holdShared(file: string): Promise<{ release(): Promise<void> }> {
  const child = spawn('flock', ['-s', file, 'sh', '-c', 'echo held; read line'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return {
    async release() {
      child.stdin.end('\n');
      await once(child, 'exit');
    },
  };
}

describe('per-snapshot leases (between Snapshot Desk processes)', () => {
  it('delete refuses, as locked and deleting nothing, while another process reads the snapshot', async () => {
    const other = newSnapshotId();
    await store.create({ id: other, name: 'other' }, dataTar({ f: '1' }));
    const reader = await holdShared(path.join(dataRoot(), `${id}.lease`));
    await expect(store.delete(['other', 'leased'])).rejects.toMatchObject({ code: 'locked', details: { id } });
    expect((await store.list()).length).toBe(2);
    await reader.release();
    expect(await store.delete(['leased'])).toEqual([id]);
  });

  it('delete removes the lease file with the snapshot, and keeps those of snapshots it could not delete', async () => {
    const other = newSnapshotId();
    await store.create({ id: other, name: 'other' }, dataTar({ f: '1' }));
    await store.export('other').then(async ({ stream }) => {
      for await (const chunk of stream) void chunk;
    });
    expect(await exists(path.join(dataRoot(), `${other}.lease`))).toBe(true);
    expect(await store.delete(['other'])).toEqual([other]);
    expect((await fs.readdir(dataRoot())).filter((n) => n.startsWith(other))).toEqual([]);
    const reader = await holdShared(path.join(dataRoot(), `${id}.lease`));
    await expect(store.delete(['leased'])).rejects.toMatchObject({ code: 'locked' });
    await reader.release();
    expect(await exists(path.join(dataRoot(), `${id}.lease`))).toBe(true);
  });

  it('an export in progress keeps its snapshot from being deleted until the stream is done', async () => {
    const { stream } = await store.export('leased');
    await expect(store.delete(['leased'])).rejects.toMatchObject({ code: 'locked' });
    for await (const chunk of stream) void chunk;
    await new Promise((r) => setImmediate(r));
    expect(await store.delete(['leased'])).toEqual([id]);
  });

  it('a cancelled export releases its lease too', async () => {
    const { stream } = await store.restore('leased');
    stream.destroy();
    await once(stream, 'close');
    expect(await store.delete(['leased'])).toEqual([id]);
  });

  it('GC leaves an orphan directory alone while someone holds its lease, and removes it after', async () => {
    const orphan = newSnapshotId();
    await fs.mkdir(path.join(dataRoot(), orphan));
    const holder = await holdShared(path.join(dataRoot(), `${orphan}.lease`));
    expect((await store.gc()).removedOrphanDirs).toEqual([]);
    await holder.release();
    expect((await store.gc()).removedOrphanDirs).toEqual([orphan]);
    expect(await exists(path.join(dataRoot(), `${orphan}.lease`))).toBe(false);
  });

  it('GC removes lease files of snapshots that are gone, keeps those of live ones', async () => {
    const gone = newSnapshotId();
    await fs.writeFile(path.join(dataRoot(), `${gone}.lease`), '');
    await store.export('leased').then(async ({ stream }) => {
      for await (const chunk of stream) void chunk;
    });
    await store.gc();
    expect((await fs.readdir(dataRoot())).sort()).toEqual([id, `${id}.lease`].sort());
  });
});
