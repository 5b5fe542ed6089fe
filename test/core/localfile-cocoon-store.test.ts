import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { cocoonIndexText, FC, PEND, WEB, writeCocoonStore, type CocoonStore } from './cocoon-store';

let cocoon: CocoonStore;
let store: LocalFileStore;
beforeEach(async () => {
  cocoon = await writeCocoonStore();
  store = openStore({ root: cocoon.root });
});
afterEach(async () => {
  await cocoon.cleanup();
});

describe('a store written by cocoon', () => {
  it('is listed oldest first, without the pending record, with cocoon field names', async () => {
    const list = await store.list();
    expect(list.map((s) => s.id)).toEqual([FC, WEB]);
    expect(list[0]).toEqual({ cpu: 1, memory: 268435456, id: FC, name: '', hypervisor: 'firecracker', created_at: '2024-04-01T00:00:00Z' });
    expect(Object.keys(list[1]!)).toEqual([
      'cpu',
      'memory',
      'storage',
      'queue_size',
      'image',
      'image_digest',
      'image_type',
      'network',
      'no_direct_io',
      'id',
      'name',
      'description',
      'image_blob_ids',
      'hypervisor',
      'nics',
      'created_at',
    ]);
    expect(list[1]!.image_blob_ids).toEqual({ aa11: {}, bb22: {} });
    expect(list[1]!.description).toBe('golden <image> & more');
  });

  it('is inspected with its data files, their apparent and allocated sizes, and totals', async () => {
    const details = await store.inspect('web-golden');
    expect(details.id).toBe(WEB);
    expect(details.data_dir).toBe(path.join(cocoon.root, 'snapshot', 'localfile', WEB));
    expect(details.files.map((f) => [f.name, f.size])).toEqual([
      ['cocoon.json', 2],
      ['config.json', 11],
      ['memory-ranges', 5000],
    ]);
    for (const f of details.files) {
      const st = await fs.stat(path.join(details.data_dir, f.name));
      expect(f.allocated).toBe(st.blocks * 512);
    }
    expect(details.usage.size).toBe(5013);
    expect(details.usage.allocated).toBe(details.files.reduce((a, f) => a + f.allocated, 0));
  });

  it('lists summaries with disk usage, and null usage when a data directory is unreadable', async () => {
    await fs.rm(path.join(cocoon.root, 'snapshot', 'localfile', FC), { recursive: true });
    const rows = await store.listSummaries();
    expect(rows.map((r) => r.id)).toEqual([FC, WEB]);
    expect(rows[0]!.usage).toBeNull();
    expect(rows[1]!.usage?.size).toBe(5013);
  });

  it('a re-list sees files added to or removed from a data directory, and a data directory that went away', async () => {
    const webDir = path.join(cocoon.root, 'snapshot', 'localfile', WEB);
    const first = await store.listSummaries();
    expect(first[1]!.usage?.size).toBe(5013);
    await fs.writeFile(path.join(webDir, 'extra.bin'), Buffer.alloc(1000, 1));
    expect((await store.listSummaries())[1]!.usage?.size).toBe(6013);
    await fs.rm(path.join(webDir, 'extra.bin'));
    expect((await store.listSummaries())[1]!.usage?.size).toBe(5013);
    await fs.rm(webDir, { recursive: true });
    expect((await store.listSummaries())[1]!.usage).toBeNull();
  });

  it('the pending record is invisible to inspect, dataDir and delete', async () => {
    await expect(store.inspect(PEND)).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.inspect('half-done')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.dataDir(PEND)).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.delete([PEND])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('but the pending record holds its name', async () => {
    expect(await store.isNameTaken('half-done')).toBe(true);
    expect(await store.suggestFreeName('half-done')).toBe('half-done-2');
    await expect(store.rename(FC, { name: 'half-done' })).rejects.toMatchObject({ code: 'name_conflict', details: { name: 'half-done', existingId: PEND } });
  });

  it('survives a rewrite with identical field names, order and unknown fields', async () => {
    await store.rename(FC, { name: 'fc-one', description: 'tmp' });
    const during = await fs.readFile(cocoon.indexFile, 'utf8');
    expect(during).toContain(`"names":{"fc-one":"${FC}","half-done":"${PEND}","web-golden":"${WEB}"}`);
    expect(during).toContain('"size_bytes":12345,"last_accessed_at":"2024-05-02T00:00:00Z"');
    expect(during).toContain(',"version_hint":{"by":"cocoon"}}');
    // Undo the edit: the file is byte for byte what cocoon wrote.
    await store.rename(FC, { name: '', description: '' });
    expect(await fs.readFile(cocoon.indexFile, 'utf8')).toBe(cocoonIndexText(cocoon.root));
  });

  it('deletes a snapshot: its data directory, its record and its name, and nothing else', async () => {
    expect(await store.delete(['web-golden'])).toEqual([WEB]);
    await expect(fs.stat(path.join(cocoon.root, 'snapshot', 'localfile', WEB))).rejects.toThrow();
    const text = await fs.readFile(cocoon.indexFile, 'utf8');
    expect(text).not.toContain(WEB);
    expect(text).toContain(`"names":{"half-done":"${PEND}"}`);
    expect((await store.list()).map((s) => s.id)).toEqual([FC]);
  });

  it('the data directory of a snapshot is available for direct use', async () => {
    const { dir, config } = await store.dataDir('FCS');
    expect(dir).toBe(path.join(cocoon.root, 'snapshot', 'localfile', FC));
    expect(config).toEqual({ cpu: 1, memory: 268435456, id: FC, name: '', hypervisor: 'firecracker' });
  });

  it('a damaged index is a clear error, not an empty list', async () => {
    await fs.writeFile(cocoon.indexFile, cocoonIndexText(cocoon.root).replace('"cpu":1', '"cpu":"one"'));
    await expect(store.list()).rejects.toThrow(/snapshots\.json is damaged: snapshot "FCSNAP.*" field "cpu" must be an integer/);
  });
});
