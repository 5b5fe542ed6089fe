/**
 * Archives written here must read with the standard tools (GNU tar, gzip),
 * and archives GNU tar writes must import.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportArchive, exportArchiveToFile } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { serializeEnvelope } from '../../src-core/archive/envelope';
import { allocated, dirDigest, dirTarget, noise, sparseFile, tempDir, type DirTarget } from './dir-target';

const MiB = 1024 * 1024;
const sh = (cmd: string, args: string[], opts: { cwd?: string } = {}): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

describe('interoperability with GNU tar and gzip', () => {
  let src: string;
  let work: string;
  let target: DirTarget;
  const config = { name: 'interop', description: 'a <test> & more', cpu: 1, hypervisor: 'firecracker' };

  beforeEach(async () => {
    src = await tempDir();
    work = await tempDir('snapdesk-work-');
    target = await dirTarget();
    await sparseFile(path.join(src, 'cow.raw'), 32 * MiB, [
      { offset: 4 * MiB, bytes: noise(64 * 1024, 7) },
      { offset: 20 * MiB, bytes: noise(5000, 8) },
    ]);
    // Compressible and bigger than several gzip chunks, so the export has many members.
    await fs.writeFile(path.join(src, 'mem'), Buffer.concat(Array.from({ length: 6 }, (_, i) => Buffer.concat([noise(MiB / 2, i + 10), Buffer.alloc(MiB / 2, i)]))));
    await fs.writeFile(path.join(src, 'vmstate'), 'state\n');
  });
  afterEach(async () => {
    for (const d of [src, work]) await fs.rm(d, { recursive: true, force: true });
    await target.cleanup();
  });

  it('GNU tar lists an export with snapshot.json first and every data file after it, flat', async () => {
    const file = path.join(work, 'a.tgz');
    await exportArchiveToFile({ dir: src, config }, file);
    const names = sh('tar', ['-tzf', file]).trim().split('\n');
    expect(names).toEqual(['snapshot.json', 'cow.raw', 'mem', 'vmstate']);
    const listing = sh('tar', ['-tzvf', file]);
    expect(listing.split('\n')[0]).toMatch(/^-rw-r--r-- .* snapshot\.json$/);
  });

  it('snapshot.json is the envelope cocoon writes: config in field order, two-space indent, trailing newline', async () => {
    const file = path.join(work, 'a.tar');
    await exportArchiveToFile({ dir: src, config }, file, { gzip: false });
    const text = sh('tar', ['-xOf', file, 'snapshot.json']);
    expect(text).toBe(
      '{\n  "config": {\n    "cpu": 1,\n    "name": "interop",\n    "description": "a \\u003ctest\\u003e \\u0026 more",\n    "hypervisor": "firecracker"\n  },\n  "version": 1\n}\n',
    );
    expect(serializeEnvelope(config).toString()).toBe(text);
  });

  it('a multi-member gzip export passes gzip -t and gunzips to the same bytes as the raw export', async () => {
    const gz = path.join(work, 'a.tgz');
    await exportArchiveToFile({ dir: src, config }, gz, { level: 6 });
    sh('gzip', ['-t', gz]);
    // More than one member: a second gzip header follows the first member.
    const bytes = await fs.readFile(gz);
    let members = 0;
    for (let i = bytes.indexOf(Buffer.from([0x1f, 0x8b, 0x08])); i !== -1; i = bytes.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), i + 1)) members++;
    expect(members).toBeGreaterThan(3);
    sh('sh', ['-c', `gunzip -c '${gz}' > '${work}/unzipped.tar'`]);
    // The same content as GNU tar extracts from the raw tar: data files identical.
    const out = path.join(work, 'x');
    await fs.mkdir(out);
    sh('tar', ['-xf', path.join(work, 'unzipped.tar'), '-C', out], {});
    const extracted = await dirDigest(out);
    expect(extracted.mem).toEqual((await dirDigest(src)).mem);
    expect(extracted.vmstate).toEqual((await dirDigest(src)).vmstate);
  });

  it('gunzip output of an export is byte-identical to the raw export (cmp)', async () => {
    const gz = path.join(work, 'a.tgz');
    const raw = path.join(work, 'a.tar');
    // The raw export, gzipped by the parallel compressor in small chunks (many members), must
    // come back from GNU gunzip byte for byte.
    await pipeline(exportArchive({ dir: src, config }, { gzip: false }), createWriteStream(raw));
    const { GzipParallel } = await import('../../src-core/archive/gzip-parallel');
    await pipeline(createReadStream(raw), new GzipParallel({ level: 1, chunkSize: 256 * 1024 }), createWriteStream(gz));
    sh('sh', ['-c', `gunzip -c '${gz}' | cmp - '${raw}'`]);
  });

  it('a GNU PAX 1.0 sparse archive (tar --sparse --format=pax) imports with its holes', async () => {
    await fs.writeFile(path.join(src, 'snapshot.json'), serializeEnvelope({ name: 'from-gnu-tar' }));
    const tarFile = path.join(work, 'gnu.tar');
    sh('tar', ['--sparse', '--sparse-version=1.0', '--format=pax', '-C', src, '-cf', tarFile, 'snapshot.json', 'cow.raw', 'vmstate']);
    expect(sh('tar', ['-tvf', tarFile])).toMatch(/cow\.raw/);
    const id = await importArchive(createReadStream(tarFile), target, {});
    const dir = path.join(target.root, id);
    const digest = await dirDigest(dir);
    const want = await dirDigest(src);
    expect(digest['cow.raw']).toEqual(want['cow.raw']);
    expect(digest.vmstate).toEqual(want.vmstate);
    expect(await allocated(path.join(dir, 'cow.raw'))).toBeLessThan(MiB);
  });

  it('a GNU PAX 0.1 sparse archive (tar --sparse-version=0.1) is refused as unsupported, naming the format', async () => {
    await fs.writeFile(path.join(src, 'snapshot.json'), serializeEnvelope({ name: 'gnu-0.1' }));
    const tarFile = path.join(work, 'gnu0.tar');
    sh('tar', ['--sparse', '--sparse-version=0.1', '--format=pax', '-C', src, '-cf', tarFile, 'snapshot.json', 'cow.raw']);
    const err = await importArchive(createReadStream(tarFile), target, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unsupported_archive', message: expect.stringMatching(/GNU PAX sparse format 0\.1/) });
    expect(await fs.readdir(target.root)).toEqual([]);
  });

  it('an old GNU sparse archive (tar --format=gnu -S) is refused as unsupported, leaving nothing', async () => {
    await fs.writeFile(path.join(src, 'snapshot.json'), serializeEnvelope({ name: 'old-gnu' }));
    const tarFile = path.join(work, 'oldgnu.tar');
    sh('tar', ['--format=gnu', '-S', '-C', src, '-cf', tarFile, 'snapshot.json', 'cow.raw']);
    const err = await importArchive(createReadStream(tarFile), target, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unsupported_archive', message: expect.stringMatching(/old GNU sparse/) });
    expect(await fs.readdir(target.root)).toEqual([]);
    expect(target.records.size).toBe(0);
  });

  it('a plain GNU tar of the data files (no sparse handling) imports, and its zero blocks become holes', async () => {
    await fs.writeFile(path.join(src, 'snapshot.json'), serializeEnvelope({ name: 'plain' }));
    const tarFile = path.join(work, 'plain.tar.gz');
    sh('tar', ['--format=ustar', '-C', src, '-czf', tarFile, 'snapshot.json', 'cow.raw', 'mem']);
    const id = await importArchive(Readable.from([await fs.readFile(tarFile)]), target, {});
    const dir = path.join(target.root, id);
    expect((await dirDigest(dir))['cow.raw']).toEqual((await dirDigest(src))['cow.raw']);
    expect(await allocated(path.join(dir, 'cow.raw'))).toBeLessThan(MiB);
  });
});
