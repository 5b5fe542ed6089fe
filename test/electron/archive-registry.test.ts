import { mkdtemp, rm, symlink, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveRegistry } from '../../electron/app/archive-registry';
import { ARCHIVE_READ_CHUNK } from '../../src-core/archive/archive-source';

const FIXTURE = join(__dirname, '..', 'fixtures', 'good', 'cocoon-ch.tar.gz');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapdesk-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('archive registry', () => {
  it('registers readable archive files as opaque refs with name and size', async () => {
    const reg = new ArchiveRegistry();
    const path = join(dir, 'web.tgz');
    await copyFile(FIXTURE, path);
    const [ref] = await reg.register([path]);
    expect(ref).toMatchObject({ name: 'web.tgz', size: 93360 });
    expect(ref?.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(ref)).not.toContain(dir);
    expect(reg.get(ref?.id as string).path).toBe(path);
  });

  it('accepts a gzip file without the usual extension by its magic bytes', async () => {
    const path = join(dir, 'download.bin');
    await copyFile(FIXTURE, path);
    await expect(new ArchiveRegistry().register([path])).resolves.toHaveLength(1);
  });

  it('refuses folders, devices, missing files and non-archives, and registers none of a mixed batch', async () => {
    const reg = new ArchiveRegistry();
    const good = join(dir, 'good.tgz');
    await copyFile(FIXTURE, good);
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await mkdir(join(dir, 'folder.tgz'));
    await symlink('/dev/zero', join(dir, 'zero.tgz'));
    for (const bad of ['notes.txt', 'folder.tgz', 'zero.tgz', 'missing.tgz']) {
      await expect(reg.register([good, join(dir, bad)])).rejects.toMatchObject({ code: 'invalid_input' });
    }
    const err = await reg.register([join(dir, 'notes.txt')]).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/notes\.txt: it is neither gzip nor tar/);
  });

  it('reads a registered archive as a stream in 1 MiB chunks and forgets it on release', async () => {
    const reg = new ArchiveRegistry();
    const path = join(dir, 'a.tar');
    await writeFile(path, 'not really tar but named so');
    const [ref] = await reg.register([path]);
    const { stream, size } = await reg.openStream(ref?.id as string);
    expect(size).toBe(27);
    // Read in the same large chunks as the CLI: every read wakes a thread-pool thread.
    expect(stream.readableHighWaterMark).toBe(ARCHIVE_READ_CHUNK);
    expect(await text(stream)).toBe('not really tar but named so');
    await reg.release(ref?.id as string);
    expect(() => reg.get(ref?.id as string)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('an uploaded copy is deleted with its folder when released, and refused at once if not an archive', async () => {
    const reg = new ArchiveRegistry();
    const up = join(dir, 'upload-1');
    await mkdir(up);
    await copyFile(FIXTURE, join(up, 'archive'));
    const ref = await reg.addTemporary(join(up, 'archive'), 'web.tgz', up);
    expect(ref.name).toBe('web.tgz');
    await reg.releaseAll();
    await expect(rm(up)).rejects.toMatchObject({ code: 'ENOENT' });

    const junk = join(dir, 'upload-2');
    await mkdir(junk);
    await writeFile(join(junk, 'archive'), 'hello');
    await expect(reg.addTemporary(join(junk, 'archive'), 'notes.txt', junk)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(rm(junk)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
