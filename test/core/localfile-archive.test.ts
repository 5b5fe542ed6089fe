import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { dataTar, tempRoot } from './fixtures';

// The codec itself is tested with the archive tests; these check that the store hands it the right data and target.
let root: string;
let cleanup: () => Promise<void>;
let store: LocalFileStore;
let other: LocalFileStore;
let id: string;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-archive-'));
  store = openStore({ root: path.join(root, 'a') });
  other = openStore({ root: path.join(root, 'b') });
  id = newSnapshotId();
  await store.create({ id, name: 'web', cpu: 2, memory: 1 << 30, hypervisor: 'cloud-hypervisor', description: 'golden' }, dataTar({ 'state.json': '{"s":1}', 'memory-ranges': 'm'.repeat(3000) }));
});
afterEach(async () => {
  await cleanup();
});

describe('archives through the store', () => {
  it('an exported snapshot imports into another store with a new ID, the same config and the same files', async () => {
    const { config, stream } = await store.export('web');
    expect(config).toMatchObject({ id, name: 'web', cpu: 2 });
    const newId = await other.import(stream);
    expect(newId).not.toBe(id);
    const details = await other.inspect(newId);
    expect(details).toMatchObject({ name: 'web', cpu: 2, memory: 1 << 30, hypervisor: 'cloud-hypervisor', description: 'golden' });
    expect(details.files.map((f) => [f.name, f.size])).toEqual([
      ['memory-ranges', 3000],
      ['state.json', 7],
    ]);
  });

  it('import into the same store refuses the taken name, and takes a new one', async () => {
    const { stream } = await store.export('web');
    await expect(store.import(stream)).rejects.toMatchObject({ code: 'name_conflict' });
    expect((await store.list()).length).toBe(1);
    const again = await store.export('web');
    const newId = await store.import(again.stream, { name: 'web-copy', description: 'copied' });
    expect(await store.inspect('web-copy')).toMatchObject({ id: newId, description: 'copied' });
  });

  it('exportToFile writes an archive that preview and verify read', async () => {
    const file = path.join(root, 'web.tgz');
    const { bytes } = await store.exportToFile('web', file);
    expect((await fs.stat(file)).size).toBe(bytes);
    const preview = await store.preview(createReadStream(file));
    expect(preview).toMatchObject({ nameTaken: true, suggestedName: 'web-2', gzip: true });
    expect(preview.config.name).toBe('web');
    const report = await store.verify(createReadStream(file));
    expect(report.dataSize).toBe(3007);
    expect(report.files.map((f) => f.name).sort()).toEqual(['memory-ranges', 'state.json']);
  });

  it('exportToFile names the target, not its hidden temp file, when the target cannot be written, and leaves nothing', async () => {
    const missing = path.join(root, 'no-such-folder', 'web.tgz');
    await expect(store.exportToFile('web', missing)).rejects.toMatchObject({ code: 'io', message: `cannot write ${missing}: the folder ${path.dirname(missing)} does not exist` });
    const folder = path.join(root, 'folder.tgz');
    await fs.mkdir(folder);
    for (const gzip of [true, false]) {
      await expect(store.exportToFile('web', folder, { gzip })).rejects.toMatchObject({ code: 'io', message: `cannot write ${folder}: ${folder} is a folder; give a file name` });
    }
    expect((await fs.readdir(root)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });
});
