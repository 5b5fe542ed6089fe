import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { exists, tempRoot } from './fixtures';

const X = 'XXXXXXXXXXXXXXXXXXXXXXXXXX';
const Y = 'YYYYYYYYYYYYYYYYYYYYYYYYYY';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalFileStore;
let victim: string;

async function writeIndex(records: Record<string, string>): Promise<void> {
  const db = path.join(root, 'snapshot', 'db');
  await fs.mkdir(db, { recursive: true });
  const snapshots = Object.entries(records)
    .map(([id, dataDir]) => `"${id}":{"id":"${id}","name":"${id.slice(0, 3).toLowerCase()}","created_at":"2024-01-01T00:00:00Z","data_dir":${JSON.stringify(dataDir)}}`)
    .join(',');
  await fs.writeFile(path.join(db, 'snapshots.json'), `{"snapshots":{${snapshots}},"names":{}}\n`);
}

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-hostile-'));
  store = openStore({ root });
  victim = path.join(root, 'victim');
  await fs.mkdir(victim);
  await fs.writeFile(path.join(victim, 'precious'), 'do not delete');
  await fs.mkdir(path.join(root, 'snapshot', 'localfile'), { recursive: true });
});
afterEach(async () => {
  await cleanup();
});

describe('a hostile index cannot make the store touch paths outside it', () => {
  it('delete refuses a data_dir outside <root>/snapshot/localfile and removes nothing', async () => {
    await writeIndex({ [X]: victim });
    await expect(store.delete([X])).rejects.toThrow(/refusing to use the data directory .* outside the store/);
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
    expect((await store.list()).map((s) => s.id)).toEqual([X]);
  });

  it('delete refuses a data_dir that climbs out with ..', async () => {
    await writeIndex({ [X]: path.join(root, 'snapshot', 'localfile', '..', '..', 'victim') });
    await expect(store.delete([X])).rejects.toMatchObject({ code: 'io' });
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
  });

  it('delete refuses a relative data_dir', async () => {
    await writeIndex({ [X]: 'victim' });
    await expect(store.delete([X])).rejects.toThrow(/not an absolute path/);
  });

  it('a batch with one hostile record deletes nothing at all', async () => {
    const good = path.join(root, 'snapshot', 'localfile', Y);
    await fs.mkdir(good);
    await writeIndex({ [X]: victim, [Y]: good });
    await expect(store.delete([Y, X])).rejects.toMatchObject({ code: 'io' });
    expect(await exists(good)).toBe(true);
    expect((await store.list()).length).toBe(2);
  });

  it('a data directory that is a symlink is unlinked, never followed', async () => {
    const link = path.join(root, 'snapshot', 'localfile', X);
    await fs.symlink(victim, link);
    await writeIndex({ [X]: link });
    await expect(store.inspect(X)).rejects.toThrow(/not a plain directory/);
    expect(await store.delete([X])).toEqual([X]);
    expect(await exists(link)).toBe(false);
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
  });

  it('inspect and export-side lookups refuse a data_dir outside the store', async () => {
    await writeIndex({ [X]: victim });
    await expect(store.inspect(X)).rejects.toThrow(/outside the store/);
    await expect(store.dataDir(X)).rejects.toThrow(/outside the store/);
    expect((await store.listSummaries())[0]!.usage).toBeNull();
  });

  it('a store root reached through a symlink is still the same store', async () => {
    const alias = path.join(root, 'alias');
    await fs.symlink(root, alias);
    const dir = path.join(alias, 'snapshot', 'localfile', Y);
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'mem'), 'm');
    await writeIndex({ [Y]: dir });
    expect((await store.inspect(Y)).files.map((f) => f.name)).toEqual(['mem']);
    expect(await store.delete([Y])).toEqual([Y]);
    expect(await exists(dir)).toBe(false);
  });
});
