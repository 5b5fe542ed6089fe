/**
 * Another program swaps the data directory of an import for a symlink to a
 * directory outside the store while files are being written. Nothing may
 * land outside the store: the import fails with a typed error and the store
 * is left exactly as it was.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { SafeDir } from '../../src-core/safe-dir';
import { chunked, expectSnapDeskError, refusal } from '../helpers/archive-assert';
import { captureTree, readIndexBytes, seedSnapshots, tempStore, treeDiff, type TempStore, type TreeEntry } from '../helpers/store-state';
import { endOfArchive, envelopeEntry, envelopeText, fileEntry, goodConfig, pattern } from '../helpers/tar-craft';

const FILE = 64 * 1024;

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a data directory swapped for a symlink during an import', () => {
  let ts: TempStore;
  let outside: string;
  let landing: string;
  let moved: string;
  let seeded: Set<string>;
  let before: Map<string, TreeEntry>;
  let indexBefore: Buffer | null;
  const dataRoot = (): string => path.join(ts.root, 'snapshot', 'localfile');

  beforeEach(async () => {
    ts = await tempStore('snapdesk-swap-');
    await seedSnapshots(ts.store, 1);
    seeded = new Set(await fs.readdir(dataRoot()));
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-outside-'));
    landing = path.join(outside, 'landing');
    moved = path.join(outside, 'moved');
    await fs.mkdir(landing);
    before = await captureTree(ts.root);
    indexBefore = await readIndexBytes(ts.root);
    return async () => {
      await fs.rm(outside, { recursive: true, force: true });
      await ts.cleanup();
    };
  });

  /** The import's data directory (the one entry of dataRoot that was not seeded). */
  async function importDir(): Promise<string | null> {
    const fresh = (await fs.readdir(dataRoot())).filter((n) => !seeded.has(n) && !n.startsWith('.') && !n.endsWith('.lease'));
    return fresh.length === 1 ? path.join(dataRoot(), fresh[0] as string) : null;
  }

  /** Moves the import's directory out of the store and leaves a symlink to `landing` in its place. */
  async function swap(dir: string): Promise<void> {
    await fs.rename(dir, moved);
    await fs.symlink(landing, dir);
  }

  /**
   * An archive that stops after `first` is fully written (its final size on
   * disk), lets the swap happen, then delivers `rest`.
   */
  function swappingInput(head: Buffer, rest: Buffer, firstName: string): Readable {
    async function* gen(): AsyncGenerator<Buffer> {
      yield head;
      let dir: string | null = null;
      await waitFor(async () => {
        dir = await importDir();
        const st = dir ? await fs.stat(path.join(dir, firstName)).catch(() => null) : null;
        return st !== null && st.size === FILE;
      }, `${firstName} to be written`);
      await swap(dir as unknown as string);
      yield rest;
    }
    return Readable.from(gen());
  }

  const config = envelopeText(goodConfig({ name: 'swapped' }));

  it('between two files: the second file is not created through the symlink, the import fails with io, the store is unchanged', async () => {
    const head = Buffer.concat([envelopeEntry(config), fileEntry('first', pattern(FILE, 1))]);
    const rest = Buffer.concat([fileEntry('second', pattern(FILE, 2)), endOfArchive()]);
    const err = await refusal(ts.store.import(swappingInput(head, rest, 'first')), (id) => ts.store.delete([id]));
    expectSnapDeskError(err, 'io', /replaced/);
    expect(await fs.readdir(landing)).toEqual([]);
    expect(await readIndexBytes(ts.root)).toEqual(indexBefore);
    expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
  });

  it('after the last file, before the commit: the import fails with io instead of committing a symlink, the store is unchanged', async () => {
    const head = Buffer.concat([envelopeEntry(config), fileEntry('only', pattern(FILE, 3))]);
    const err = await refusal(ts.store.import(swappingInput(head, endOfArchive(), 'only')), (id) => ts.store.delete([id]));
    expectSnapDeskError(err, 'io', /replaced/);
    expect(await fs.readdir(landing)).toEqual([]);
    expect(await readIndexBytes(ts.root)).toEqual(indexBefore);
    expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
  });

  it('removed between two files (another program deleted it): the import fails with io saying so, the store is unchanged', async () => {
    const head = Buffer.concat([envelopeEntry(config), fileEntry('first', pattern(FILE, 1))]);
    const rest = Buffer.concat([fileEntry('second', pattern(FILE, 2)), endOfArchive()]);
    async function* gen(): AsyncGenerator<Buffer> {
      yield head;
      let dir: string | null = null;
      await waitFor(async () => {
        dir = await importDir();
        const st = dir ? await fs.stat(path.join(dir, 'first')).catch(() => null) : null;
        return st !== null && st.size === FILE;
      }, 'first to be written');
      await fs.rm(dir as unknown as string, { recursive: true });
      yield rest;
    }
    const err = await refusal(ts.store.import(Readable.from(gen())), (id) => ts.store.delete([id]));
    expectSnapDeskError(err, 'io', /removed/);
    expect(await readIndexBytes(ts.root)).toEqual(indexBefore);
    expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
  });

  it('a directory that is already a symlink when extraction starts is refused before any file is created', async () => {
    const dir = path.join(outside, 'dir');
    await fs.symlink(landing, dir);
    await expect(SafeDir.open(dir)).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/replaced/) });
  });

  for (const anchored of [true, false]) {
    it(`SafeDir (${anchored ? 'anchored through /proc/self/fd' : 'path and inode checks'}) refuses to create a file once its directory was swapped`, async () => {
      const dir = path.join(outside, 'dir');
      await fs.mkdir(dir);
      const safe = await SafeDir.open(dir, { anchored });
      try {
        const first = await safe.createFile('a', 0o644);
        await first.close();
        await swap(dir);
        await expect(safe.createFile('b', 0o644)).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/replaced/) });
        await expect(safe.verify()).rejects.toMatchObject({ code: 'io' });
        expect(await fs.readdir(landing)).toEqual([]);
        expect(await exists(path.join(moved, 'a'))).toBe(true);
      } finally {
        await safe.close();
      }
    });
  }

  it('SafeDir refuses names that are not one plain file name', async () => {
    const dir = path.join(outside, 'dir');
    await fs.mkdir(dir);
    const safe = await SafeDir.open(dir);
    try {
      for (const name of ['../escape', 'a/b', '..', '']) await expect(safe.createFile(name, 0o644)).rejects.toMatchObject({ code: 'invalid_archive' });
      expect(await fs.readdir(outside)).toEqual(['dir', 'landing']);
    } finally {
      await safe.close();
    }
  });

  it('an import without interference still commits (the checks do not refuse a directory left alone)', async () => {
    const archive = Buffer.concat([envelopeEntry(config), fileEntry('first', pattern(FILE, 1)), fileEntry('second', pattern(FILE, 2)), endOfArchive()]);
    const id = await ts.store.import(chunked(archive));
    expect((await ts.store.inspect(id)).files.map((f) => f.name).sort()).toEqual(['first', 'second']);
  });
});
