import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportArchive } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { extractDataTar } from '../../src-core/archive/tar-extract';
import { packDataDir } from '../../src-core/archive/tar-pack';
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
});
