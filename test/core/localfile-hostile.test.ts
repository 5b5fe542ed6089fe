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
  it('delete of a record whose data_dir points outside the store removes the record, never that path', async () => {
    await writeIndex({ [X]: victim });
    expect(await store.delete([X])).toEqual([X]);
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('a data_dir that climbs out with .. is never followed', async () => {
    await writeIndex({ [X]: path.join(root, 'snapshot', 'localfile', '..', '..', 'victim') });
    expect(await store.delete([X])).toEqual([X]);
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
  });

  it('a relative data_dir is never followed', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await writeIndex({ [X]: 'victim' });
      expect(await store.delete([X])).toEqual([X]);
      expect(await exists(path.join(victim, 'precious'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('an index key that is not a plain name is refused before it becomes a path', async () => {
    await writeIndex({ '..': victim });
    await expect(store.delete(['..'])).rejects.toMatchObject({ code: 'io' });
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
  });

  it('a root moved elsewhere (data_dir naming the old place) is read from its own snapshot/localfile/<id>', async () => {
    const dir = path.join(root, 'snapshot', 'localfile', Y);
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'mem'), 'moved');
    await writeIndex({ [X]: victim, [Y]: path.join('/var/lib/cocoon-old/snapshot/localfile', Y) });
    const details = await store.inspect(Y);
    expect(details.data_dir).toBe(dir);
    expect(details.files.map((f) => f.name)).toEqual(['mem']);
    expect((await store.dataDir(X)).dir).toBe(path.join(root, 'snapshot', 'localfile', X));
    expect(await store.delete([Y, X])).toEqual([Y, X]);
    expect(await exists(dir)).toBe(false);
    expect(await exists(path.join(victim, 'precious'))).toBe(true);
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

  it('inspect and export-side lookups never read a data_dir outside the store', async () => {
    await writeIndex({ [X]: victim });
    const details = await store.inspect(X).catch(() => null);
    expect(details?.files.some((f) => f.name === 'precious') ?? false).toBe(false);
    expect((await store.dataDir(X)).dir).not.toBe(victim);
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
