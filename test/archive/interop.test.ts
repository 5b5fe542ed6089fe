/**
 * Archives written here must read with the standard tools (GNU tar, gzip),
 * and archives GNU tar writes must import.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportArchive, exportArchiveToFile } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { serializeEnvelope } from '../../src-core/archive/envelope';
import { GzipParallel } from '../../src-core/archive/gzip-parallel';
import { fitMap } from '../../src-core/archive/map-fitting';
import { COCOON_SPARSE_MAP, COCOON_SPARSE_SIZE, EXPORT_MAP_BUDGET, serializeCocoonMap, type Segment } from '../../src-core/archive/sparse-map';
import { entryHeaders, packDataDir } from '../../src-core/archive/tar-pack';
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

  it('a multi-member gzip export passes gzip -t and pigz -t, and GNU tar extracts every entry body: dense files whole, zero pages left out of sparse ones', async () => {
    const gz = path.join(work, 'a.tgz');
    await exportArchiveToFile({ dir: src, config }, gz, { level: 6 });
    sh('gzip', ['-t', gz]);
    sh('pigz', ['-t', gz]);
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
    // GNU tar does not know COCOON.sparse.map: it extracts a sparse entry's body, the data without its zero pages.
    const mem = await fs.readFile(path.join(src, 'mem'));
    const nonZero = Buffer.concat(Array.from({ length: 6 }, (_, i) => (i === 0 ? mem.subarray(0, MiB / 2) : mem.subarray(i * MiB, (i + 1) * MiB))));
    expect((await fs.readFile(path.join(out, 'mem'))).equals(nonZero)).toBe(true);
    expect(extracted.vmstate).toEqual((await dirDigest(src)).vmstate);
  });

  it('gunzip output of an export is byte-identical to the raw export (cmp)', async () => {
    const gz = path.join(work, 'a.tgz');
    const raw = path.join(work, 'a.tar');
    // The raw export, gzipped by the parallel compressor in small chunks (many members), must
    // come back from GNU gunzip byte for byte.
    await pipeline(exportArchive({ dir: src, config }, { gzip: false }), createWriteStream(raw));
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

/**
 * cocoon reads archives with Go's compress/gzip and archive/tar: a small Go
 * program (go-reader/main.go, standard library only) rebuilds the files from
 * an archive the way cocoon's extractor does, and they must equal the source.
 * Runs where `go` is installed (CI installs golang-go); builds offline.
 */
const hasGo = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasGo)("cocoon's readers: Go's archive/tar and compress/gzip", () => {
  let goTmp: string;
  let reader: string;
  let src: string;
  let work: string;
  const config = { name: 'go-interop', cpu: 1 };

  beforeAll(async () => {
    goTmp = await tempDir('snapdesk-go-');
    reader = path.join(goTmp, 'go-reader');
    const env = { ...process.env, GOCACHE: path.join(goTmp, 'cache'), GOPATH: path.join(goTmp, 'path'), GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '', GO111MODULE: 'off' };
    execFileSync('go', ['build', '-o', reader, path.join(__dirname, 'go-reader', 'main.go')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  }, 120_000);
  afterAll(async () => {
    await fs.rm(goTmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    src = await tempDir();
    work = await tempDir('snapdesk-work-');
  });
  afterEach(async () => {
    for (const d of [src, work]) await fs.rm(d, { recursive: true, force: true });
  });

  interface GoReport {
    gzip: boolean;
    extra: string;
    entries: { name: string; mode: number; size: number; segments: number; sparse: boolean; paxBytes: number }[];
  }
  const readWithGo = async (archive: string): Promise<{ report: GoReport; dir: string }> => {
    const dir = path.join(work, 'go-out');
    await fs.mkdir(dir);
    const report = JSON.parse(sh(reader, [archive, dir])) as GoReport;
    return { report, dir };
  };
  /** Guest-memory-like: single zero pages and runs of them between noise and text pages. */
  const guestMemory = (pages: number): Buffer =>
    Buffer.concat(Array.from({ length: pages }, (_, i) => (i % 3 === 1 || i % 7 === 0 ? Buffer.alloc(4096) : i % 5 === 0 ? noise(4096, i) : Buffer.from(`page ${i} `.repeat(410).slice(0, 4096)))));

  it('reads a gzip export byte-exact: length-tagged members, zero pages as sparse segments, holes, modes', async () => {
    await fs.writeFile(path.join(src, 'memory-ranges'), guestMemory(3000));
    await sparseFile(path.join(src, 'cow.raw'), 64 * MiB, [
      { offset: 0, bytes: noise(300 * 1024, 1) },
      { offset: 40 * MiB, bytes: Buffer.concat([noise(8192, 2), Buffer.alloc(64 * 1024), noise(8192, 3)]) },
    ]);
    await fs.writeFile(path.join(src, 'vmstate'), 'state\n', { mode: 0o640 });
    await fs.chmod(path.join(src, 'vmstate'), 0o640);
    const file = path.join(work, 'a.tgz');
    await exportArchiveToFile({ dir: src, config }, file);
    const { report, dir } = await readWithGo(file);
    // The first member's FEXTRA holds the SD subfield (its length) that Go skips over.
    expect(report.extra.slice(0, 8)).toBe('53440400');
    expect(report.entries.map((e) => e.name)).toEqual(['snapshot.json', 'cow.raw', 'memory-ranges', 'vmstate']);
    const memory = report.entries.find((e) => e.name === 'memory-ranges');
    expect(memory?.sparse).toBe(true);
    expect(memory?.segments).toBeGreaterThan(100);
    expect(report.entries.find((e) => e.name === 'vmstate')?.mode).toBe(0o640);
    const got = await dirDigest(dir);
    const want = await dirDigest(src);
    for (const name of ['memory-ranges', 'cow.raw', 'vmstate']) expect(got[name]).toEqual(want[name]);
  });

  it.each(['auto', 'libdeflate', 'zlib'] as const)('reads members from the %s deflaters byte-exact, at level 1 (ISA-L where it loads) and level 6', async (engine) => {
    await fs.writeFile(path.join(src, 'memory-ranges'), guestMemory(2000));
    for (const level of [1, 6]) {
      const tar = path.join(work, `${engine}-${level}.tar.gz`);
      await pipeline(packDataDir(src), new GzipParallel({ engine, level, chunkSize: 256 * 1024 }), createWriteStream(tar));
      const { report, dir } = await readWithGo(tar);
      expect(report.gzip).toBe(true);
      expect((await dirDigest(dir))['memory-ranges']).toEqual((await dirDigest(src))['memory-ranges']);
      await fs.rm(dir, { recursive: true });
    }
  });

  it('reads a raw tar export byte-exact', async () => {
    await fs.writeFile(path.join(src, 'memory-ranges'), guestMemory(500));
    const file = path.join(work, 'a.tar');
    await exportArchiveToFile({ dir: src, config }, file, { gzip: false });
    const { report, dir } = await readWithGo(file);
    expect(report.gzip).toBe(false);
    expect((await dirDigest(dir))['memory-ranges']).toEqual((await dirDigest(src))['memory-ranges']);
  });

  it('reads an export whose sparse map was coarsened to fit its budget: merged zero pages come back as zeros', async () => {
    await fs.writeFile(path.join(src, 'memory-ranges'), guestMemory(4000));
    const tar = path.join(work, 'small-budget.tar.gz');
    const budget = 8 * 1024;
    await pipeline(packDataDir(src, { mapBudget: budget }), new GzipParallel({ chunkSize: 256 * 1024 }), createWriteStream(tar));
    const { report, dir } = await readWithGo(tar);
    const memory = report.entries.find((e) => e.name === 'memory-ranges');
    expect(memory?.sparse).toBe(true);
    expect(memory?.paxBytes).toBeLessThanOrEqual(budget + 64);
    expect((await dirDigest(dir))['memory-ranges']).toEqual((await dirDigest(src))['memory-ranges']);
  });

  it('reads a sparse map at the full export budget (just under the 1 MiB PAX limit of archive/tar)', async () => {
    // 1-byte segments 8 KiB apart, as many as the export budget takes.
    const segments: Segment[] = [];
    for (let len = 2; ; ) {
      const next = { offset: segments.length * 8192, length: 1 };
      len += serializeCocoonMap([next]).length - 1;
      if (len > EXPORT_MAP_BUDGET) break;
      segments.push(next);
    }
    const mapText = serializeCocoonMap(segments);
    expect(await fitMap(segments)).toEqual(segments);
    expect(mapText.length).toBeGreaterThan(EXPORT_MAP_BUDGET - 64);
    const realSize = segments.length * 8192;
    const bodyBytes = segments.reduce((n, s) => n + s.length, 0);
    const body = Buffer.alloc(bodyBytes, 7);
    const tar = Buffer.concat([
      entryHeaders({ name: 'disk.raw', size: bodyBytes, mode: 0o600, mtime: 0, pax: [[COCOON_SPARSE_MAP, mapText], [COCOON_SPARSE_SIZE, String(realSize)]] }),
      body,
      Buffer.alloc((512 - (bodyBytes % 512)) % 512),
      Buffer.alloc(1024),
    ]);
    const file = path.join(work, 'big-map.tar');
    await fs.writeFile(file, tar);
    const { report } = await readWithGo(file);
    expect(report.entries[0]).toMatchObject({ name: 'disk.raw', sparse: true, size: realSize, segments: segments.length });
  });
});
