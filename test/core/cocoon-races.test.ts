/**
 * cocoon ignores Snapshot Desk's leases, so the store guards itself against
 * a `cocoon snapshot rm` (data directory removed, then the record) running
 * at the worst moment of an export or import.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { dataTar, tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalFileStore;
let id: string;
const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');
const indexFile = (): string => path.join(root, 'snapshot', 'db', 'snapshots.json');
const MEM = randomBytes(3 << 20);
const STATE = Buffer.from('{"vm":"state"}');

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-races-'));
  store = openStore({ root });
  id = newSnapshotId();
  await store.create({ id, name: 'web' }, dataTar({ mem: MEM, 'state.json': STATE }));
});
afterEach(async () => {
  await cleanup();
});

/** What `cocoon snapshot rm` does: the data directory first, then the record and its name. */
async function cocoonRm(snapshotId: string): Promise<void> {
  await fs.rm(path.join(dataRoot(), snapshotId), { recursive: true, force: true });
  await dropRecord(snapshotId);
}

/** Removes a record (and its name) from the index file as another program would. */
async function dropRecord(snapshotId: string): Promise<void> {
  const raw = JSON.parse(await fs.readFile(indexFile(), 'utf8')) as { snapshots: Record<string, { name: string }>; names: Record<string, string> };
  const rec = raw.snapshots[snapshotId];
  delete raw.snapshots[snapshotId];
  if (rec) delete raw.names[rec.name];
  await fs.writeFile(indexFile(), `${JSON.stringify(raw)}\n`);
}

async function bufferOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The data files of an archive, read back by importing it into a fresh store. */
async function filesOf(archive: Buffer): Promise<Record<string, Buffer>> {
  const other = await tempRoot('snapdesk-races-check-');
  try {
    const target = openStore({ root: other.root });
    const newId = await target.import(Readable.from([archive]));
    const { dir } = await target.dataDir(newId);
    const out: Record<string, Buffer> = {};
    for (const name of await fs.readdir(dir)) out[name] = await fs.readFile(path.join(dir, name));
    return out;
  } finally {
    await other.cleanup();
  }
}

/** Nothing of an interrupted import is left: no record, no name, no directory, no lease file. */
async function expectOnlyTheOriginal(): Promise<void> {
  const raw = JSON.parse(await fs.readFile(indexFile(), 'utf8')) as { snapshots: Record<string, unknown>; names: Record<string, string> };
  expect(Object.keys(raw.snapshots)).toEqual([id]);
  expect(raw.names).toEqual({ web: id });
  expect((await fs.readdir(dataRoot())).filter((n) => !n.startsWith(id))).toEqual([]);
}

describe('an export racing cocoon snapshot rm', () => {
  it('an export stream handed out before the rm still delivers every byte of every file', async () => {
    const { stream } = await store.export('web', { gzip: false });
    await cocoonRm(id);
    const files = await filesOf(await bufferOf(stream));
    expect(Object.keys(files).sort()).toEqual(['mem', 'state.json']);
    expect(files.mem!.equals(MEM)).toBe(true);
    expect(files['state.json']!.equals(STATE)).toBe(true);
  });

  it('an export to a file whose snapshot is removed as its first byte is written is complete', async () => {
    const out = path.join(root, 'web.tgz');
    let removed: Promise<void> | null = null;
    await store.exportToFile('web', out, {
      onProgress: () => {
        // The first progress report comes before any data byte is read.
        removed ??= cocoonRm(id);
      },
    });
    await removed;
    const files = await filesOf(await fs.readFile(out));
    expect(files.mem!.equals(MEM)).toBe(true);
    expect(files['state.json']!.equals(STATE)).toBe(true);
  });

  it('a restore stream handed out before the rm still delivers every byte', async () => {
    const { stream, config } = await store.restore('web');
    await cocoonRm(id);
    const copy = openStore({ root: path.join(root, 'copy') });
    const copyId = await copy.create({ ...config, id: newSnapshotId() }, stream);
    const { dir } = await copy.dataDir(copyId);
    expect((await fs.readFile(path.join(dir, 'mem'))).equals(MEM)).toBe(true);
  });

  it('an export asked for after the rm removed the data is not_found, not a raw ENOENT', async () => {
    await fs.rm(path.join(dataRoot(), id), { recursive: true });
    const err = await store.export('web').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'not_found' });
    expect(String((err as Error).message)).not.toMatch(/ENOENT/);
    expect(String((err as Error).message)).toMatch(/removed by another program/);
  });
});

describe('an import whose reservation another program removes', () => {
  /** Feeds an archive of the snapshot in two halves; `between` runs once the import has reserved its directory. */
  async function importWith(between: (newId: string) => Promise<void>): Promise<unknown> {
    const { stream } = await store.export('web', { gzip: false });
    const archive = await bufferOf(stream);
    const input = new PassThrough();
    const result = store.import(input, { name: 'web-copy' }).then(
      () => null,
      (e: unknown) => e,
    );
    input.write(archive.subarray(0, archive.length >> 1));
    let reserved: string | undefined;
    for (let i = 0; i < 500 && reserved === undefined; i++) {
      reserved = (await fs.readdir(dataRoot())).find((n) => n !== id && !n.endsWith('.lease'));
      if (reserved === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(reserved).toBeDefined();
    await between(reserved!);
    input.end(archive.subarray(archive.length >> 1));
    return result;
  }

  it('its data directory removed mid-import: a plain-words io error, and nothing is left', async () => {
    const err = await importWith((newId) => fs.rm(path.join(dataRoot(), newId), { recursive: true }));
    expect(err).toMatchObject({ code: 'io', details: { removed: 'data_dir' } });
    expect((err as Error).message).toMatch(/another program .* removed its data directory .* Nothing was kept/);
    expect((err as Error).message).not.toMatch(/ENOENT/);
    await expectOnlyTheOriginal();
  });

  it('its pending record removed mid-import: a plain-words io error, and nothing is left', async () => {
    const err = await importWith((newId) => dropRecord(newId));
    expect(err).toMatchObject({ code: 'io', details: { removed: 'record' } });
    expect((err as Error).message).toMatch(/removed its record in the snapshot index/);
    await expectOnlyTheOriginal();
  });

  it('both removed (a cocoon snapshot rm of the pending snapshot): the same, and nothing is left', async () => {
    const err = await importWith((newId) => cocoonRm(newId));
    expect(err).toMatchObject({ code: 'io', details: { removed: 'both' } });
    await expectOnlyTheOriginal();
  });
});
