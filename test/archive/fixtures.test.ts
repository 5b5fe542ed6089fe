import { createReadStream, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive } from '../../src-core/archive/import';
import { previewArchive } from '../../src-core/archive/preview';
import { verifyArchive } from '../../src-core/archive/verify';
import { openStore } from '../../src-core/localfile';
import { cocoonNullMapTar, NULL_MAP_FIXTURE } from '../fixtures/cocoon-null-map';
import { allocated, dirDigest, dirTarget, type DirTarget } from './dir-target';

const GOOD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'good');
interface Expected {
  name: string;
  description?: string;
  cpu: number;
  memory: number;
  hypervisor: string;
  files: Record<string, { size: number; sha256: string }>;
}
const expected = JSON.parse(readFileSync(path.join(GOOD, 'expect.json'), 'utf8')) as Record<string, Expected>;

describe('the reference cocoon archives', () => {
  let target: DirTarget;
  beforeEach(async () => {
    target = await dirTarget();
  });
  afterEach(async () => {
    await target.cleanup();
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file} imports with its metadata and every file's size and sha256`, async () => {
      const before = Date.now();
      const id = await importArchive(createReadStream(path.join(GOOD, file)), target, {});
      const rec = target.records.get(id);
      expect(rec?.pending).toBe(false);
      expect(rec?.config).toMatchObject({ id, name: want.name, cpu: want.cpu, memory: want.memory, hypervisor: want.hypervisor });
      expect(rec?.config.description).toBe(want.description);
      expect(Date.parse(rec?.created_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
      expect(await dirDigest(path.join(target.root, id))).toEqual(want.files);
    });

    it(`${file} verifies, listing its files`, async () => {
      const report = await verifyArchive(createReadStream(path.join(GOOD, file)));
      expect(report.gzip).toBe(file.endsWith('.gz'));
      expect(report.config.name).toBe(want.name);
      expect(Object.fromEntries(report.files.map((f) => [f.name, f.size]))).toEqual(Object.fromEntries(Object.entries(want.files).map(([n, f]) => [n, f.size])));
      expect(report.archiveBytes).toBe((await fs.stat(path.join(GOOD, file))).size);
    });
  }

  it('the sparse cow.raw of cocoon-ch comes back as a sparse file', async () => {
    const id = await importArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target, {});
    const cow = path.join(target.root, id, 'cow.raw');
    expect((await fs.stat(cow)).size).toBe(64 * 1024 * 1024);
    expect(await allocated(cow)).toBeLessThan(1024 * 1024);
  });

  it('cocoon-null-map: a COCOON.sparse.map of null (a data disk never written) imports as a file that is all hole', async () => {
    const id = await importArchive(createReadStream(path.join(GOOD, NULL_MAP_FIXTURE)), target, {});
    const disk = path.join(target.root, id, 'data.raw');
    expect((await fs.stat(disk)).size).toBe(64 * 1024 * 1024);
    expect(await allocated(disk)).toBe(0);
  });

  it('cocoon-null-map.tar.gz inflates to exactly what its generator writes', () => {
    expect(gunzipSync(readFileSync(path.join(GOOD, NULL_MAP_FIXTURE))).equals(cocoonNullMapTar())).toBe(true);
  });

  it('import overrides win over the archive name and description; a taken name is a name_conflict naming it', async () => {
    const id = await importArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target, { name: 'copy', description: 'mine' });
    expect(target.records.get(id)?.config).toMatchObject({ name: 'copy', description: 'mine' });
    await importArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target, {});
    const err = await importArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'name_conflict', details: { name: 'web-golden' } });
    // The refused import left no record and no directory behind.
    expect(target.records.size).toBe(2);
    expect((await fs.readdir(target.root)).length).toBe(2);
  });

  it('preview reads snapshot.json and says whether the name is taken, with a free suggestion', async () => {
    const first = await previewArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target);
    expect(first).toEqual({ config: expect.objectContaining({ name: 'web-golden', cpu: 2 }), version: 1, gzip: true, nameTaken: false });
    await importArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target, {});
    const second = await previewArchive(createReadStream(path.join(GOOD, 'cocoon-ch.tar.gz')), target);
    expect(second).toMatchObject({ nameTaken: true, suggestedName: 'web-golden-2' });
    const unnamed = await previewArchive(createReadStream(path.join(GOOD, 'cocoon-fc.tar')), target);
    expect(unnamed).toMatchObject({ gzip: false, nameTaken: false, config: { name: '', hypervisor: 'firecracker' } });
  });
});

describe('the reference archives through the real store', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-store-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('both import and show up in list with their files intact', async () => {
    const store = openStore({ root });
    const ids: string[] = [];
    for (const [file, want] of Object.entries(expected)) {
      const id = await store.import(createReadStream(path.join(GOOD, file)));
      ids.push(id);
      const details = await store.inspect(id);
      expect(details).toMatchObject({ id, name: want.name, cpu: want.cpu, memory: want.memory, hypervisor: want.hypervisor });
      expect(await dirDigest(details.data_dir)).toEqual(want.files);
    }
    expect((await store.list()).map((s) => s.id)).toEqual(ids);
  });
});
