import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageCache } from '../../src-core/usage-cache';
import { tempRoot } from './fixtures';

let tmp: Awaited<ReturnType<typeof tempRoot>>;
let dir: string;
beforeEach(async () => {
  tmp = await tempRoot('snapdesk-usage-');
  dir = path.join(tmp.root, 'SNAP');
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'memory'), Buffer.alloc(4096, 7));
});
afterEach(() => tmp.cleanup());

/** A whole-second time both directories can be given exactly (Dates drop sub-millisecond digits). */
const FIXED = new Date('2026-01-01T00:00:00Z');

describe('usage cache', () => {
  it('an unchanged directory is not read again: the remembered usage is returned', async () => {
    const cache = new UsageCache();
    expect(await cache.usage('SNAP', dir)).toMatchObject({ size: 4096 });
    // Committed snapshot files never change; growing one in place (which leaves the directory's mtime alone) proves the hit.
    await fs.appendFile(path.join(dir, 'memory'), Buffer.alloc(4096, 7));
    expect(await cache.usage('SNAP', dir)).toMatchObject({ size: 4096 });
  });

  it('a file added, removed or renamed (a new directory mtime) is measured again', async () => {
    const cache = new UsageCache();
    await cache.usage('SNAP', dir);
    await fs.writeFile(path.join(dir, 'disk'), Buffer.alloc(100, 1));
    // Same-millisecond mtimes are possible on coarse clocks; force a distinct one.
    const st = await fs.stat(dir);
    await fs.utimes(dir, st.atime, new Date(st.mtimeMs + 2000));
    expect(await cache.usage('SNAP', dir)).toMatchObject({ size: 4196 });
  });

  it('a directory replaced by another (new inode) is measured again even with the same mtime', async () => {
    const cache = new UsageCache();
    await fs.utimes(dir, FIXED, FIXED);
    await cache.usage('SNAP', dir);
    await fs.rename(dir, `${dir}.old`);
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'memory'), Buffer.alloc(10, 7));
    await fs.utimes(dir, FIXED, FIXED);
    expect((await fs.stat(dir)).mtimeMs).toBe((await fs.stat(`${dir}.old`)).mtimeMs);
    expect(await cache.usage('SNAP', dir)).toMatchObject({ size: 10 });
  });

  it('refuses a missing directory and a symlink in place of one', async () => {
    const cache = new UsageCache();
    await expect(cache.usage('GONE', path.join(tmp.root, 'GONE'))).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.symlink(dir, path.join(tmp.root, 'LINK'));
    await expect(cache.usage('LINK', path.join(tmp.root, 'LINK'))).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/not a plain directory/) });
  });

  it('retainOnly forgets deleted snapshots, so it never outgrows the store', async () => {
    const cache = new UsageCache();
    await cache.usage('SNAP', dir);
    expect(cache.size).toBe(1);
    cache.retainOnly(new Set(['SNAP']));
    expect(cache.size).toBe(1);
    cache.retainOnly(new Set());
    expect(cache.size).toBe(0);
  });
});
