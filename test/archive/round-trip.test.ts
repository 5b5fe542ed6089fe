import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeEnvelope } from '../../src-core/archive/envelope';
import { exportArchive, exportArchiveToFile } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { extractDataTar } from '../../src-core/archive/tar-extract';
import { entryHeaders, packDataDir } from '../../src-core/archive/tar-pack';
import { padding } from '../../src-core/archive/tar-header';
import { allocated, dirDigest, dirTarget, noise, sparseFile, tempDir, type DirTarget } from './dir-target';

const MiB = 1024 * 1024;

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('archive round trip', () => {
  let src: string;
  let target: DirTarget;

  beforeEach(async () => {
    src = await tempDir();
    target = await dirTarget();
    // A 64 MiB disk image with 3 data regions, an empty file, and a plain file.
    await sparseFile(path.join(src, 'cow.raw'), 64 * MiB, [
      { offset: 0, bytes: noise(8192, 1) },
      { offset: 10 * MiB, bytes: noise(300_000, 2) },
      { offset: 64 * MiB - 4096, bytes: noise(4096, 3) },
    ]);
    await fs.writeFile(path.join(src, 'empty.bin'), '');
    await fs.writeFile(path.join(src, 'memory-ranges'), noise(3 * MiB + 17, 4));
    await fs.writeFile(path.join(src, 'config.json'), '{"cpus":2}\n');
  });

  afterEach(async () => {
    await fs.rm(src, { recursive: true, force: true });
    await target.cleanup();
  });

  it('an exported snapshot imports byte-identical, with its holes still holes', async () => {
    const archive = await collect(exportArchive({ dir: src, config: { name: 'web', cpu: 2, memory: 1 << 30, hypervisor: 'cloud-hypervisor' } }));
    expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const id = await importArchive(Readable.from([archive]), target, {});
    const rec = target.records.get(id);
    expect(rec).toMatchObject({ pending: false, config: { name: 'web', cpu: 2, memory: 1 << 30, hypervisor: 'cloud-hypervisor', id } });
    const dir = path.join(target.root, id);
    expect(await dirDigest(dir)).toEqual(await dirDigest(src));
    const cow = path.join(dir, 'cow.raw');
    expect(await allocated(cow)).toBeLessThan(1 * MiB);
    expect(await allocated(path.join(dir, 'memory-ranges'))).toBeGreaterThanOrEqual(3 * MiB);
  });

  it('a fragmented disk image (a 4 KiB block every 16 KiB) comes back with no more disk than it had', async () => {
    const blocks = Array.from({ length: 1024 }, (_, i) => ({ offset: i * 16 * 1024, bytes: noise(4096, 50 + i) }));
    await sparseFile(path.join(src, 'cow.raw'), 16 * MiB, blocks);
    const before = await allocated(path.join(src, 'cow.raw'));
    for (const gzip of [true, false]) {
      const archive = await collect(exportArchive({ dir: src, config: { name: '' } }, { gzip }));
      const id = await importArchive(Readable.from([archive]), target, {});
      const cow = path.join(target.root, id, 'cow.raw');
      expect((await fs.readFile(cow)).equals(await fs.readFile(path.join(src, 'cow.raw')))).toBe(true);
      expect(await allocated(cow)).toBe(before);
    }
  });

  it('a raw (uncompressed) export imports the same', async () => {
    const archive = await collect(exportArchive({ dir: src, config: { name: '' } }, { gzip: false }));
    expect(archive.subarray(257, 262).toString()).toBe('ustar');
    const id = await importArchive(Readable.from([archive]), target, { name: 'renamed' });
    expect(target.records.get(id)?.config.name).toBe('renamed');
    expect(await dirDigest(path.join(target.root, id))).toEqual(await dirDigest(src));
  });

  it('packDataDir output extracts into an empty directory with the same files and holes', async () => {
    const out = await tempDir();
    try {
      const result = await extractDataTar(packDataDir(src), out);
      expect(result).toEqual({ files: 4, bytes: 64 * MiB + 3 * MiB + 17 + 11 });
      expect(await dirDigest(out)).toEqual(await dirDigest(src));
      expect(await allocated(path.join(out, 'cow.raw'))).toBeLessThan(1 * MiB);
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
  });

  it('guest memory with scattered zero pages: zero pages leave the archive as holes of the map and read back as zeros; runs of 64 KiB or more come back as holes', async () => {
    const page = (i: number): Buffer => (i % 4 === 1 || (i >= 200 && i < 264) ? Buffer.alloc(4096) : noise(4096, i));
    const memory = Buffer.concat(Array.from({ length: 400 }, (_, i) => page(i)));
    await fs.writeFile(path.join(src, 'memory-ranges'), memory);
    for (const other of ['cow.raw', 'empty.bin', 'config.json']) await fs.rm(path.join(src, other));
    const archive = await collect(exportArchive({ dir: src, config: { name: 'guest' } }, { gzip: false }));
    // The body holds the non-zero pages only: 400 pages minus 64 in the long run and one in four elsewhere.
    const zeroPages = 64 + Array.from({ length: 400 }, (_, i) => i).filter((i) => i % 4 === 1 && !(i >= 200 && i < 264)).length;
    const map = /COCOON\.sparse\.map=(\[[^\n]*\])\n/.exec(archive.toString('latin1', 0, 64 * 1024 * 1024))?.[1];
    expect(map).toBeDefined();
    const segments = JSON.parse(map ?? '[]') as { o: number; l: number }[];
    const mapped = segments.reduce((n, s) => n + s.l, 0);
    expect(mapped).toBe((400 - zeroPages) * 4096);
    const id = await importArchive(Readable.from([archive]), target, {});
    const file = path.join(target.root, id, 'memory-ranges');
    expect((await fs.readFile(file)).equals(memory)).toBe(true);
    // The 256 KiB zero run is a hole again; single zero pages between runs of data were written
    // (cheaper than a write each, and never more zeros than data).
    expect(await allocated(file)).toBeLessThanOrEqual(memory.length - 256 * 1024);
    expect(await allocated(file)).toBeGreaterThanOrEqual(memory.length - 256 * 1024 - 16 * 1024);
  });

  it('a gzip export of memory in many small runs (read a window at a time) imports byte-identical, its progress rising to the total', async () => {
    const page = (i: number): Buffer => (i % 4 === 1 || (i >= 700 && i < 800) ? Buffer.alloc(4096) : noise(4096, i));
    const memory = Buffer.concat(Array.from({ length: 1200 }, (_, i) => page(i)));
    await fs.writeFile(path.join(src, 'memory-ranges'), memory);
    const seen: { bytesDone: number; bytesTotal?: number }[] = [];
    const out = path.join(src, '..', `${path.basename(src)}.tgz`);
    try {
      await exportArchiveToFile({ dir: src, config: { name: 'guest' } }, out, { onProgress: (p) => seen.push(p) });
      const nonZero = Array.from({ length: 1200 }, (_, i) => i).filter((i) => !(i % 4 === 1 || (i >= 700 && i < 800))).length * 4096;
      // The disk image's data rounds up to whole 4 KiB blocks; zero pages are not data.
      const total = nonZero + 8192 + 74 * 4096 + 4096 + 11;
      expect(seen.every((p) => p.bytesTotal === total)).toBe(true);
      expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b));
      expect(seen.at(-1)?.bytesDone).toBe(total);
      const id = await importArchive(createReadStream(out), target, {});
      expect(await dirDigest(path.join(target.root, id))).toEqual(await dirDigest(src));
    } finally {
      await fs.rm(out, { force: true });
    }
  });

  it("import keeps each entry's permission bits and never setuid, setgid or sticky; create keeps source modes", async () => {
    await fs.chmod(path.join(src, 'config.json'), 0o640);
    await fs.chmod(path.join(src, 'memory-ranges'), 0o600);
    await fs.chmod(path.join(src, 'empty.bin'), 0o755);
    const id = await importArchive(exportArchive({ dir: src, config: { name: 'modes' } }), target, {});
    const mode = async (dir: string, name: string): Promise<number> => (await fs.stat(path.join(dir, name))).mode & 0o7777;
    const dir = path.join(target.root, id);
    expect(await mode(dir, 'config.json')).toBe(0o640);
    expect(await mode(dir, 'memory-ranges')).toBe(0o600);
    expect(await mode(dir, 'empty.bin')).toBe(0o755);
    // create --from-dir goes through packDataDir → extractDataTar.
    const out = await tempDir();
    try {
      await extractDataTar(packDataDir(src), out);
      expect(await mode(out, 'config.json')).toBe(0o640);
      expect(await mode(out, 'empty.bin')).toBe(0o755);
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
  });

  it('setuid, setgid and sticky bits of an archive entry are dropped on import, the permission bits kept', async () => {
    const env = serializeEnvelope({ name: 'suid' });
    const body = Buffer.from('#!/bin/sh\n');
    const tar = Buffer.concat([
      entryHeaders({ name: 'snapshot.json', size: env.length, mode: 0o644, mtime: 0 }),
      env,
      Buffer.alloc(padding(env.length)),
      entryHeaders({ name: 'tool', size: body.length, mode: 0o7755, mtime: 0 }),
      body,
      Buffer.alloc(padding(body.length)),
      entryHeaders({ name: 'readonly', size: 1, mode: 0o444, mtime: 0 }),
      Buffer.from('r'),
      Buffer.alloc(padding(1)),
      Buffer.alloc(1024),
    ]);
    const id = await importArchive(Readable.from([tar]), target, {});
    expect((await fs.stat(path.join(target.root, id, 'tool'))).mode & 0o7777).toBe(0o755);
    expect((await fs.stat(path.join(target.root, id, 'readonly'))).mode & 0o7777).toBe(0o444);
    expect(await fs.readFile(path.join(target.root, id, 'readonly'), 'utf8')).toBe('r');
  });

  it('exportArchiveToFile creates the archive readable by its owner only (0600), whatever the umask', async () => {
    const work = await tempDir('snapdesk-work-');
    const old = process.umask(0o000);
    try {
      const file = path.join(work, 'a.tgz');
      await exportArchiveToFile({ dir: src, config: { name: 'private' } }, file);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
