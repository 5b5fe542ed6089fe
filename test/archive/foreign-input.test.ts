/**
 * Archives and files made by other tools: what this app reads that others
 * write (GNU tar's pre-1970 times), and files it cannot read told for what
 * they are (other compressions, not a tar at all), leaving the store as it was.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzip } from '../helpers/gzip-craft';
import { refusal } from '../helpers/archive-assert';
import { captureTree, tempStore, type TempStore } from '../helpers/store-state';
import { endOfArchive, entry, envelopeEntry, fileEntry, tarOf } from '../helpers/tar-craft';

describe('files from other tools', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a GNU-format entry dated before 1970 (a negative base-256 mtime) imports, as Go reads it', async () => {
    const archive = tarOf([envelopeEntry(undefined, { magic: 'gnu', mtime: -3600 }), fileEntry('config.json', '{}\n', { magic: 'gnu', mtime: -3600 }), endOfArchive()]);
    for (const bytes of [archive, gzip(archive)]) {
      const id = await t.store.import(Readable.from([bytes]), { name: `old-${bytes === archive ? 'tar' : 'tgz'}` });
      expect((await t.store.inspect(id)).files.map((f) => f.name)).toEqual(['config.json']);
    }
  });

  it('a tar of a folder made with tar -C DIR . ("./" first, every name "./name") imports, as cocoon reads it', async () => {
    const archive = tarOf([
      entry({ name: './', typeflag: '5', mode: 0o755 }),
      envelopeEntry(undefined, { name: './snapshot.json' }),
      fileEntry('./config.json', '{}\n'),
      fileEntry('./mem', 'memory'),
      endOfArchive(),
    ]);
    const id = await t.store.import(Readable.from([gzip(archive)]), { name: 'by-hand' });
    expect((await t.store.inspect(id)).files.map((f) => f.name)).toEqual(['config.json', 'mem']);
  });

  it('"./name" and "name" are the same file: both in one archive is a duplicate, refused', async () => {
    await t.store.import(Readable.from([tarOf([envelopeEntry(), fileEntry('mem', 'm'), endOfArchive()])]), { name: 'first' });
    const before = await captureTree(t.root);
    const archive = tarOf([envelopeEntry(), fileEntry('./mem', 'a'), fileEntry('mem', 'b'), endOfArchive()]);
    expect(await refusal(t.store.import(Readable.from([archive]), {}))).toMatchObject({ code: 'invalid_archive', message: expect.stringContaining('holds the file "mem" twice') });
    expect(await captureTree(t.root)).toEqual(before);
  });

  it('a folder packed in directory order (snapshot.json not first) is refused with how to pack it', async () => {
    const archive = tarOf([entry({ name: './', typeflag: '5', mode: 0o755 }), fileEntry('./mem', 'memory'), envelopeEntry(undefined, { name: './snapshot.json' }), endOfArchive()]);
    expect(await refusal(t.store.import(Readable.from([archive]), {}))).toMatchObject({
      code: 'invalid_archive',
      message: expect.stringContaining('name it first: tar -C DIR -czf FILE.tgz snapshot.json <the other files>'),
    });
  });

  it('xz, zstd and bzip2 files and zip archives are named, with how to get at the tar; nothing is stored', async () => {
    const before = await captureTree(t.root);
    const cases: [string, number[], RegExp][] = [
      ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], /the file is xz-compressed; .*\(xz -d FILE\)/],
      ['zstd', [0x28, 0xb5, 0x2f, 0xfd], /the file is zstd-compressed; .*\(zstd -d FILE\)/],
      ['bzip2', [0x42, 0x5a, 0x68, 0x39], /the file is bzip2-compressed; .*\(bunzip2 FILE\)/],
      ['zip', [0x50, 0x4b, 0x03, 0x04], /the file is a zip file; .*unpack it/],
    ];
    for (const [, magic, message] of cases) {
      const file = Buffer.concat([Buffer.from(magic), Buffer.alloc(4096, 0x5a)]);
      const err = await refusal(t.store.import(Readable.from([file]), {}));
      expect(err).toMatchObject({ code: 'unsupported_archive', message: expect.stringMatching(message) });
      expect(await refusal(t.store.preview(Readable.from([file])))).toMatchObject({ code: 'unsupported_archive', message: expect.stringMatching(message) });
    }
    expect(await captureTree(t.root)).toEqual(before);
  });

  it('bytes that are not a tar at all are called that, not a header field error', async () => {
    const noise = Buffer.alloc(10_240);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
    for (const bytes of [noise, gzip(noise)]) {
      const err = await refusal(t.store.import(Readable.from([bytes]), {}));
      expect(err).toMatchObject({ code: 'invalid_archive', message: expect.stringContaining('the file is not a tar archive') });
    }
  });
});
