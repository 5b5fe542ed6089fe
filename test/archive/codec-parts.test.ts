import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainNameProblem } from '../../src-core/archive/entry-name';
import { parseEnvelope, serializeEnvelope } from '../../src-core/archive/envelope';
import { dataExtents, dataRuns, scanDataRuns, scanExtentsForTest } from '../../src-core/archive/sparse';
import { decodeHeader, decodePaxRecords, encodeHeader, encodePaxRecords, parseNumeric } from '../../src-core/archive/tar-header';
import { extractDataTar } from '../../src-core/archive/tar-extract';
import { packDataDir } from '../../src-core/archive/tar-pack';
import { dirDigest, noise, sparseFile, tempDir } from './dir-target';

const KiB = 1024;

describe('data file names', () => {
  it('accepts plain names, including spaces and unicode', () => {
    for (const ok of ['cow.raw', 'memory-ranges', 'data-my disk.raw', 'snapshot état ✓', 'a'.repeat(255)]) expect(plainNameProblem(ok)).toBeNull();
  });
  it('refuses anything that could leave the directory or confuse a terminal', () => {
    for (const bad of ['', '.', '..', 'a/b', '/etc/passwd', '../x', 'a\\b', 'bell\u0007', 'nul\u0000x', 'del\u007f', 'a'.repeat(256), 'é'.repeat(128)]) {
      expect(plainNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
  });
});

describe('tar headers', () => {
  it('encode and decode agree, sizes past 8 GiB in base-256', () => {
    for (const size of [0, 1, 0o77777777777, 0o77777777777 + 1, 3 * 2 ** 40 + 7]) {
      const h = decodeHeader(encodeHeader({ name: 'disk.raw', size, mtime: 1_700_000_000 }), 0);
      expect(h).toMatchObject({ name: 'disk.raw', size, mtime: 1_700_000_000, typeflag: '0', format: 'ustar', mode: 0o644 });
    }
  });
  it('a flipped byte fails the checksum with invalid_archive', () => {
    const block = encodeHeader({ name: 'x', size: 5 });
    block[0] = 0x79;
    expect(() => decodeHeader(block, 1024)).toThrow(expect.objectContaining({ code: 'invalid_archive', message: expect.stringMatching(/byte 1024 has a bad checksum/) }));
  });
  it('numeric fields must be octal', () => {
    const block = Buffer.alloc(512);
    block.write('12a4\0', 124, 'latin1');
    expect(() => parseNumeric(block, 124, 12, 'size')).toThrow(/not an octal number/);
  });
  it('PAX records round trip at the length-digit boundaries and with multi-byte text', () => {
    const records: [string, string][] = [
      ['path', 'é'.repeat(40)],
      ['k', 'v'.repeat(92)],
      ['k2', 'v'.repeat(93)],
      ['COCOON.sparse.map', '[{"o":0,"l":1}]'],
    ];
    expect([...decodePaxRecords(encodePaxRecords(records))]).toEqual(records);
  });
  it('a PAX record with a wrong length is refused, not skipped', () => {
    expect(() => decodePaxRecords(Buffer.from('30 path=a\n'))).toThrow(expect.objectContaining({ code: 'invalid_archive' }));
    expect(() => decodePaxRecords(Buffer.from('x path=a\n'))).toThrow(/malformed length/);
  });
});

describe('snapshot.json', () => {
  it('keeps only known config fields and refuses other versions as unsupported', () => {
    const env = parseEnvelope(Buffer.from('{"config":{"name":"a","cpu":2,"future_field":1},"version":1}'));
    expect(env).toEqual({ config: { name: 'a', cpu: 2 }, version: 1 });
    expect(() => parseEnvelope(Buffer.from('{"config":{"name":"a"},"version":2}'))).toThrow(expect.objectContaining({ code: 'unsupported_archive' }));
    expect(() => parseEnvelope(Buffer.from('{"config":{"name":"a","memory":"1G"},"version":1}'))).toThrow(/memory/);
  });
  it('omits empty fields but always writes the name', () => {
    expect(serializeEnvelope({ name: '', cpu: 0, memory: 5, windows: false }).toString()).toBe('{\n  "config": {\n    "memory": 5,\n    "name": ""\n  },\n  "version": 1\n}\n');
  });
});

describe('holes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('zero blocks are left out of writes, aligned to the file offset', () => {
    const buf = Buffer.concat([Buffer.alloc(4 * KiB), Buffer.from('x'), Buffer.alloc(8 * KiB - 1), Buffer.alloc(100, 1)]);
    expect(dataRuns(buf, 0)).toEqual([4 * KiB, 8 * KiB, 12 * KiB, 12 * KiB + 100]);
    // Shifted by 1 KiB in the file, the block boundaries move with it.
    expect(dataRuns(buf, 1 * KiB)).toEqual([3 * KiB, 7 * KiB, 11 * KiB, 12 * KiB + 100]);
    expect(dataRuns(Buffer.alloc(10 * KiB), 0)).toEqual([]);
  });

  it('SEEK_DATA and the zero-block scan find the same data extents', async () => {
    const file = path.join(dir, 'disk');
    await sparseFile(file, 10 * 1024 * KiB, [
      { offset: 0, bytes: noise(4 * KiB, 1) },
      { offset: 1024 * KiB, bytes: noise(12 * KiB, 2) },
      { offset: 9 * 1024 * KiB, bytes: noise(4 * KiB, 3) },
    ]);
    const fh = await fs.open(file, 'r');
    try {
      const st = await fh.stat();
      const seek = await dataExtents(fh, st.size, st.blocks * 512);
      const scan = await scanExtentsForTest(fh, st.size);
      const want = [
        { offset: 0, length: 4 * KiB },
        { offset: 1024 * KiB, length: 12 * KiB },
        { offset: 9 * 1024 * KiB, length: 4 * KiB },
      ];
      expect(scan).toEqual(want);
      // File systems may report data in larger units; every byte of data must be covered.
      for (const w of want) expect(seek.some((s) => s.offset <= w.offset && w.offset + w.length <= s.offset + s.length)).toBe(true);
      expect(seek.reduce((n, s) => n + s.length, 0)).toBeLessThan(st.size / 4);
    } finally {
      await fh.close();
    }
  });

  it('a scan of a file fragmented past its segment bound keeps at most that many, merging the smallest holes, with every data byte covered', async () => {
    // 300 blocks of data 4 KiB each, after zero runs of 1, 2 or 3 blocks in turn.
    const file = path.join(dir, 'fragmented');
    const blocks: { offset: number; bytes: Buffer }[] = [];
    for (let i = 0, at = 0; i < 300; i++) {
      at += 4 * KiB * (1 + (i % 3));
      blocks.push({ offset: at, bytes: noise(4 * KiB, i + 1) });
      at += 4 * KiB;
    }
    const size = (blocks[blocks.length - 1]?.offset ?? 0) + 4 * KiB;
    await fs.writeFile(file, Buffer.alloc(size));
    const fh = await fs.open(file, 'r+');
    try {
      for (const b of blocks) await fh.write(b.bytes, 0, b.bytes.length, b.offset);
      const whole = await scanDataRuns(fh, [{ offset: 0, length: size }]);
      expect(whole).toHaveLength(300);
      const bounded = await scanDataRuns(fh, [{ offset: 0, length: size }], undefined, 64);
      expect(bounded.length).toBeLessThanOrEqual(64);
      expect(bounded.every((s, i) => i === 0 || s.offset > (bounded[i - 1]?.offset ?? 0) + (bounded[i - 1]?.length ?? 0))).toBe(true);
      const uncovered = blocks.filter((b) => !bounded.some((s) => s.offset <= b.offset && b.offset + 4 * KiB <= s.offset + s.length));
      expect(uncovered).toEqual([]);
      // Merging takes the smallest holes first: of the holes left, most are of the largest kind (3 blocks).
      const kept = bounded.slice(1).map((s, i) => s.offset - (bounded[i]?.offset ?? 0) - (bounded[i]?.length ?? 0));
      expect(kept.filter((h) => h === 12 * KiB).length).toBeGreaterThan(kept.filter((h) => h === 4 * KiB).length);
    } finally {
      await fh.close();
    }
  });

  it('a file that is all hole packs as an empty sparse entry and extracts to the same size', async () => {
    const src = path.join(dir, 'src');
    const out = path.join(dir, 'out');
    await fs.mkdir(src);
    await fs.mkdir(out);
    await sparseFile(path.join(src, 'blank.raw'), 5 * 1024 * KiB + 3, []);
    const long = 'n'.repeat(200);
    await fs.writeFile(path.join(src, long), 'long name');
    expect(await extractDataTar(packDataDir(src), out)).toMatchObject({ files: 2, bytes: 5 * 1024 * KiB + 3 + 9 });
    expect(await dirDigest(out)).toEqual(await dirDigest(src));
    expect((await fs.stat(path.join(out, 'blank.raw'))).blocks).toBe(0);
  });

  it('packing refuses what the format cannot carry: subdirectories and symlinks', async () => {
    const src = path.join(dir, 'src');
    await fs.mkdir(path.join(src, 'sub'), { recursive: true });
    const drain = async (r: Readable): Promise<void> => {
      for await (const _ of r) void _;
    };
    await expect(drain(packDataDir(src))).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/sub: it is not a regular file/) });
    await fs.rmdir(path.join(src, 'sub'));
    await fs.symlink('/etc/passwd', path.join(src, 'link'));
    await expect(drain(packDataDir(src))).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/symbolic link/) });
  });
});

describe('entry count', () => {
  it('an archive with more data files than any snapshot has is refused before it exhausts inodes', async () => {
    const { verifyArchive } = await import('../../src-core/archive/verify');
    const { entryHeaders } = await import('../../src-core/archive/tar-pack');
    const { MAX_ENTRIES } = await import('../../src-core/archive/tar-reader');
    const env = serializeEnvelope({ name: 'many' });
    const parts = [entryHeaders({ name: 'snapshot.json', size: env.length, mode: 0o644, mtime: 0 }), env, Buffer.alloc(512 - env.length)];
    for (let i = 0; i <= MAX_ENTRIES; i++) parts.push(entryHeaders({ name: `f${i}`, size: 0, mode: 0o644, mtime: 0 }));
    parts.push(Buffer.alloc(1024));
    await expect(verifyArchive(Readable.from([Buffer.concat(parts)]))).rejects.toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/more than 10000 files/) });
  });
});

describe('extended header bounds', () => {
  it('a PAX header larger than any sparse map a snapshot needs is refused from its header alone', async () => {
    const { verifyArchive } = await import('../../src-core/archive/verify');
    const { entryHeaders } = await import('../../src-core/archive/tar-pack');
    const env = serializeEnvelope({ name: 'huge-map' });
    const archive = Buffer.concat([
      entryHeaders({ name: 'snapshot.json', size: env.length, mode: 0o644, mtime: 0 }),
      env,
      Buffer.alloc(512 - env.length),
      encodeHeader({ name: 'PaxHeaders/cow.raw', size: 17 * 1024 * 1024, typeflag: 'x' }),
    ]);
    await expect(verifyArchive(Readable.from([archive]))).rejects.toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/PAX extended header .* is too large/) });
  });
});
