/**
 * The edges of the hostile suite: a refused import into a brand-new root
 * must not leave a store behind, and the strictness of the reader stops
 * short of refusing what real writers produce (see hostile-cases.ts for
 * why a missing end marker is refused but a short one is not).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzip } from '../helpers/gzip-craft';
import { chunked, expectSnapDeskError, refusal } from '../helpers/archive-assert';
import { captureTree, readIndexBytes, tempStore, type TempStore } from '../helpers/store-state';
import { endOfArchive, envelopeEntry, envelopeText, fileEntry, gnuPax10SparseEntry, goodConfig, pattern, tarOf, validParts } from '../helpers/tar-craft';
import { hostileCases, type HostileCase } from './hostile-cases';

const byTitle = (title: string): HostileCase => {
  const c = hostileCases.find((x) => x.title === title);
  if (!c) throw new Error(`no hostile case titled "${title}"`);
  return c;
};

/** What may exist under a fresh root after a refused import: empty store directories and the lock file. */
const ALLOWED_AFTER_REFUSAL = new Set(['snapshot', path.join('snapshot', 'db'), path.join('snapshot', 'db', 'snapshots.lock'), path.join('snapshot', 'localfile')]);

describe('a refused import into a fresh root', () => {
  let ts: TempStore;
  beforeEach(async () => {
    ts = await tempStore('snapdesk-fresh-');
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  it('an archive refused at snapshot.json leaves no index file behind', async () => {
    const c = byTitle('envelope version 2');
    expectSnapDeskError(await refusal(ts.store.import(chunked(c.bytes()), {}), (id) => ts.store.delete([id])), c.code, c.message);
    expect(await readIndexBytes(ts.root)).toBeNull();
    expect([...(await captureTree(ts.root)).keys()].filter((p) => !ALLOWED_AFTER_REFUSAL.has(p))).toEqual([]);
  });

  for (const title of ['the reference path-traversal archive', 'a tar cut in the middle of a file body', 'two data files with the same name']) {
    it(`${title} leaves no snapshot, no data directory and no temp file behind`, async () => {
      const c = byTitle(title);
      expectSnapDeskError(await refusal(ts.store.import(chunked(c.bytes()), {}), (id) => ts.store.delete([id])), c.code, c.message);
      // The pending record may have created the index; it must be empty again.
      const index = await readIndexBytes(ts.root);
      if (index !== null) expect(JSON.parse(index.toString('utf8'))).toEqual({ snapshots: {}, names: {} });
      const left = [...(await captureTree(ts.root)).keys()].filter((p) => !ALLOWED_AFTER_REFUSAL.has(p) && p !== path.join('snapshot', 'db', 'snapshots.json'));
      expect(left).toEqual([]);
      expect(await ts.store.list()).toEqual([]);
    });
  }
});

describe('an archive whose snapshot name this store cannot hold', () => {
  let ts: TempStore;
  beforeEach(async () => {
    ts = await tempStore('snapdesk-badname-');
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  for (const [label, name] of [
    ['a newline', 'web\ngolden'],
    ['a bidi override', 'web\u202egolden'],
    ['a C1 control', 'web\u009bgolden'],
    ['a zero-width space', 'web\u200bgolden'],
  ] as const) {
    it(`(${label}) is refused with nothing written, and imports under a name the user gives`, async () => {
      const bytes = tarOf([envelopeEntry(envelopeText(goodConfig({ name }))), fileEntry('state.json', 'x')]);
      const err = await refusal(ts.store.import(chunked(bytes), {}), (id) => ts.store.delete([id]));
      // The name came from the archive, but the user fixes it by choosing another: either code is fair.
      expect(err).toMatchObject({ code: expect.stringMatching(/^(invalid_archive|invalid_input)$/), message: expect.stringMatching(/name/i) });
      expect(await readIndexBytes(ts.root)).toBeNull();
      const id = await ts.store.import(chunked(bytes), { name: 'renamed' });
      expect((await ts.store.inspect(id)).name).toBe('renamed');
    });
  }

  // cocoon takes any name: a slash or any length is no reason to refuse (the name is never a path here).
  for (const [label, name] of [
    ['a slash', '../../etc'],
    ['5000 characters', 'n'.repeat(5000)],
  ] as const) {
    it(`(${label}) is no such name: it imports under what it says`, async () => {
      const bytes = tarOf([envelopeEntry(envelopeText(goodConfig({ name }))), fileEntry('state.json', 'x')]);
      const id = await ts.store.import(chunked(bytes), {});
      expect((await ts.store.inspect(name)).id).toBe(id);
    });
  }
});

describe('archives at the edge of the format that are accepted', () => {
  let ts: TempStore;
  beforeEach(async () => {
    ts = await tempStore('snapdesk-edge-');
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  const importAndList = async (bytes: Buffer, name: string): Promise<string[]> => {
    const id = await ts.store.import(chunked(bytes), { name });
    const details = await ts.store.inspect(id);
    return details.files.map((f) => f.name).sort();
  };

  it('a tar that ends with a single zero block is accepted', async () => {
    expect(await importAndList(Buffer.concat([...validParts(), endOfArchive(1)]), 'one-block')).toEqual(['state.json']);
  });

  it('zero padding to a full 10 KiB record after the end marker is accepted, raw and gzip-wrapped', async () => {
    const padded = Buffer.concat([...validParts(), endOfArchive(20)]);
    expect(await importAndList(padded, 'padded-raw')).toEqual(['state.json']);
    expect(await importAndList(gzip(padded), 'padded-gz')).toEqual(['state.json']);
  });

  it('an empty data file and a name with spaces and unicode are accepted', async () => {
    const bytes = tarOf([envelopeEntry(envelopeText(goodConfig())), fileEntry('empty.bin', ''), fileEntry('data disk é.raw', 'x')]);
    expect(await importAndList(bytes, 'edge-names')).toEqual(['data disk é.raw', 'empty.bin']);
    const dir = (await ts.store.inspect('edge-names')).data_dir;
    expect((await fs.stat(path.join(dir, 'empty.bin'))).size).toBe(0);
  });

  it('a GNU PAX 1.0 sparse file (tar --sparse-version=1.0) is accepted with its data at its offsets', async () => {
    const realSize = 4 * 1024 * 1024;
    const bytes = tarOf([envelopeEntry(envelopeText(goodConfig())), gnuPax10SparseEntry('cow.raw', [{ o: 1024 * 1024, l: 8192 }], realSize)]);
    expect(await importAndList(bytes, 'gnu-sparse')).toEqual(['cow.raw']);
    const file = path.join((await ts.store.inspect('gnu-sparse')).data_dir, 'cow.raw');
    const data = await fs.readFile(file);
    expect(data.length).toBe(realSize);
    expect(data.subarray(1024 * 1024, 1024 * 1024 + 8192)).toEqual(pattern(8192));
    expect(data.subarray(0, 1024 * 1024).every((b) => b === 0)).toBe(true);
  });
});
