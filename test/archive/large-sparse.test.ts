/**
 * The edges of the sparse format without writing gigabytes: an entry whose
 * body is over 8 GiB (the ustar size field's limit) streamed as zeros that
 * become holes, a file whose real size is over 8 GiB, and maps with
 * hundreds of thousands of segments.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METADATA_NAME } from '../../src-core/archive/entry-name';
import { serializeEnvelope } from '../../src-core/archive/envelope';
import { exportArchive } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { fitMap } from '../../src-core/archive/map-fitting';
import { EXPORT_MAP_BUDGET, serializeCocoonMap, type Segment } from '../../src-core/archive/sparse-map';
import { decodePaxRecords, padding } from '../../src-core/archive/tar-header';
import { entryHeaders } from '../../src-core/archive/tar-pack';
import { allocated, dirTarget, noise, sparseFile, tempDir, type DirTarget } from './dir-target';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

function envelopeEntry(name: string): Buffer {
  const body = serializeEnvelope({ name });
  return Buffer.concat([entryHeaders({ name: METADATA_NAME, size: body.length, mode: 0o644, mtime: 0 }), body, Buffer.alloc(padding(body.length))]);
}

function sparseEntryHeaders(name: string, segments: Segment[], realSize: number): Buffer {
  const size = segments.reduce((n, s) => n + s.length, 0);
  return entryHeaders({ name, size, mode: 0o644, mtime: 0, pax: [['COCOON.sparse.map', serializeCocoonMap(segments)], ['COCOON.sparse.size', String(realSize)]] });
}

async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, offset);
    return buf;
  } finally {
    await fh.close();
  }
}

describe('large sparse entries', () => {
  let target: DirTarget;
  let work: string;
  beforeEach(async () => {
    target = await dirTarget();
    work = await tempDir('snapdesk-large-');
  });
  afterEach(async () => {
    await target.cleanup();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('an entry with more than 8 GiB of body round trips through import as holes, and GNU tar reads its header', { timeout: 180_000 }, async () => {
    const big = 8 * GiB + 8 * KiB;
    const segments = [
      { offset: 0, length: 4 * KiB },
      { offset: 1 * GiB, length: big },
    ];
    const realSize = 10 * GiB;
    const headers = sparseEntryHeaders('disk.raw', segments, realSize);
    // The ustar size field holds base-256 and the PAX header carries the exact size too.
    const paxLength = parseInt(headers.toString('latin1', 124, 135), 8);
    const records = decodePaxRecords(headers.subarray(512, 512 + paxLength));
    expect(records.get('size')).toBe(String(big + 4 * KiB));
    const ustar = headers.subarray(headers.length - 512);
    expect(ustar[124]).toBe(0x80);

    const a = noise(4 * KiB, 1);
    const b = noise(4 * KiB, 2);
    const c = noise(4 * KiB, 3);
    const zeros = Buffer.alloc(MiB);
    const bodySize = 4 * KiB + big;
    async function* archive(): AsyncGenerator<Buffer> {
      yield envelopeEntry('huge');
      yield headers;
      yield a;
      yield b;
      let left = big - 8 * KiB;
      while (left > 0) {
        const n = Math.min(left, zeros.length);
        yield zeros.subarray(0, n);
        left -= n;
      }
      yield c;
      yield Buffer.alloc(padding(bodySize) + 1024);
    }
    const id = await importArchive(Readable.from(archive(), { objectMode: false }), target, {});
    const file = path.join(target.root, id, 'disk.raw');
    expect((await fs.stat(file)).size).toBe(realSize);
    expect(await allocated(file)).toBeLessThan(MiB);
    expect(await readAt(file, 0, 4 * KiB)).toEqual(a);
    expect(await readAt(file, 1 * GiB, 4 * KiB)).toEqual(b);
    expect(await readAt(file, 1 * GiB + big - 4 * KiB, 4 * KiB)).toEqual(c);
    expect(await readAt(file, 5 * GiB, 4 * KiB)).toEqual(Buffer.alloc(4 * KiB));

    // The same archive as a sparse file on disk, for GNU tar to list (it seeks over the body).
    const tarFile = path.join(work, 'huge.tar');
    const fh = await fs.open(tarFile, 'w');
    const head = Buffer.concat([envelopeEntry('huge'), headers]);
    await fh.write(head, 0, head.length, 0);
    await fh.truncate(head.length + bodySize + padding(bodySize) + 1024);
    await fh.close();
    const listing = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(listing).toMatch(new RegExp(`\\b${bodySize}\\b.*disk\\.raw`));
  });

  it('a file of more than 8 GiB apparent size with little data exports as a small sparse entry and comes back the same', { timeout: 120_000 }, async () => {
    const src = await tempDir();
    try {
      const size = 9 * GiB + 123;
      await sparseFile(path.join(src, 'cow.raw'), size, [
        { offset: 0, bytes: noise(8 * KiB, 4) },
        { offset: 8 * GiB + 64 * KiB, bytes: noise(100 * KiB, 5) },
      ]);
      const parts: Buffer[] = [];
      for await (const chunk of exportArchive({ dir: src, config: { name: 'nine' } })) parts.push(chunk as Buffer);
      const archive = Buffer.concat(parts);
      expect(archive.length).toBeLessThan(MiB);
      const id = await importArchive(Readable.from([archive]), target, {});
      const file = path.join(target.root, id, 'cow.raw');
      expect((await fs.stat(file)).size).toBe(size);
      expect(await allocated(file)).toBeLessThan(MiB);
      expect(await readAt(file, 0, 8 * KiB)).toEqual(noise(8 * KiB, 4));
      expect(await readAt(file, 8 * GiB + 64 * KiB, 100 * KiB)).toEqual(noise(100 * KiB, 5));
    } finally {
      await fs.rm(src, { recursive: true, force: true });
    }
  });

  it('a sparse map of 200,000 segments imports every byte at its offset, and the result round trips', { timeout: 120_000 }, async () => {
    const count = 200_000;
    // Offsets past 1 GB make the map text ~4.8 MB: more than Go's 1 MiB and tar-stream's 4 MiB header limits.
    const base = 1_000_000_000;
    const segments: Segment[] = Array.from({ length: count }, (_, i) => ({ offset: base + 2 * i, length: 1 }));
    const body = Buffer.alloc(count);
    for (let i = 0; i < count; i++) body[i] = (i % 251) + 1;
    const realSize = base + 2 * count + 5;
    const headers = sparseEntryHeaders('ranges', segments, realSize);
    expect(headers.length).toBeGreaterThan(4 * MiB);
    const archive = Buffer.concat([envelopeEntry('many'), headers, body, Buffer.alloc(padding(body.length) + 1024)]);
    const id = await importArchive(Readable.from([archive]), target, {});
    const file = path.join(target.root, id, 'ranges');
    expect((await fs.stat(file)).size).toBe(realSize);
    expect(await allocated(file)).toBeLessThan(2 * MiB);
    const content = await readAt(file, base, 2 * count + 5);
    const want = Buffer.alloc(2 * count + 5);
    for (let i = 0; i < count; i++) want[2 * i] = body[i] ?? 0;
    expect(content.equals(want)).toBe(true);
    expect(await readAt(file, 0, 64 * KiB)).toEqual(Buffer.alloc(64 * KiB));

    // Export the imported snapshot again and import that: same bytes.
    const parts: Buffer[] = [];
    for await (const chunk of exportArchive({ dir: path.join(target.root, id), config: { name: 'again' } })) parts.push(chunk as Buffer);
    const id2 = await importArchive(Readable.from([Buffer.concat(parts)]), target, {});
    const file2 = path.join(target.root, id2, 'ranges');
    expect((await fs.stat(file2)).size).toBe(realSize);
    expect(await allocated(file2)).toBeLessThan(2 * MiB);
    expect((await readAt(file2, base, 2 * count + 5)).equals(want)).toBe(true);
  });

  it('map fitting merges exactly the K smallest holes (ties from the left), with K as small as fits or within 1/64 of the budget', async () => {
    // Against a plain reference, on small random maps with many equal holes.
    let x = 7;
    const rand = (n: number): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    const mergeSmallest = (segs: Segment[], k: number): Segment[] => {
      const holes = segs.slice(1).map((s, i) => ({ size: s.offset - (segs[i] as Segment).offset - (segs[i] as Segment).length, i }));
      const merged = new Set([...holes].sort((a, b) => a.size - b.size || a.i - b.i).slice(0, k).map((h) => h.i));
      const out: Segment[] = [{ ...(segs[0] as Segment) }];
      segs.slice(1).forEach((s, i) => {
        const last = out[out.length - 1] as Segment;
        if (merged.has(i)) last.length = s.offset + s.length - last.offset;
        else out.push({ ...s });
      });
      return out;
    };
    for (let round = 0; round < 20; round++) {
      const segs: Segment[] = [];
      for (let i = 0, at = rand(5000); i < 60 + rand(200); i++) {
        const length = 1 + rand(3) * 4096;
        segs.push({ offset: at, length });
        at += length + 1 + rand(4) * 4096 * (1 + rand(2));
      }
      const budget = 200 + rand(serializeCocoonMap(segs).length);
      const fitted = await fitMap(segs, budget);
      const k = segs.length - fitted.length;
      expect(fitted).toEqual(mergeSmallest(segs, k));
      const text = serializeCocoonMap(fitted).length;
      expect(text).toBeLessThanOrEqual(Math.max(budget, serializeCocoonMap(mergeSmallest(segs, segs.length - 1)).length));
      const fewer = k > 0 ? serializeCocoonMap(mergeSmallest(segs, k - 1)).length : Infinity;
      expect(fewer > budget || text >= budget - budget / 64).toBe(true);
    }
  });

  it('export coarsens a map of 300,000 segments by merging its smallest holes only, no more of them than the budget needs', async () => {
    // 4 KiB of data after holes of 4, 8, … 24 KiB in turn: ~8 MiB of map text.
    const segments: Segment[] = [];
    for (let i = 0, at = 0; i < 300_000; i++) {
      at += 4 * KiB * (1 + (i % 6));
      segments.push({ offset: at, length: 4 * KiB });
      at += 4 * KiB;
    }
    const fitted = await fitMap(segments);
    const text = serializeCocoonMap(fitted).length;
    expect(text).toBeLessThanOrEqual(EXPORT_MAP_BUDGET);
    expect(text).toBeGreaterThanOrEqual(EXPORT_MAP_BUDGET - EXPORT_MAP_BUDGET / 64);
    // Every hole kept is at least as large as every hole merged away, and every byte of data is covered.
    let j = 0;
    let largestMerged = 0;
    let uncovered = 0;
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1] as Segment;
      const s = segments[i] as Segment;
      while ((fitted[j] as Segment).offset + (fitted[j] as Segment).length <= prev.offset) j++;
      const f = fitted[j] as Segment;
      if (!(f.offset <= prev.offset && prev.offset + prev.length <= f.offset + f.length)) uncovered++;
      if (s.offset < f.offset + f.length) largestMerged = Math.max(largestMerged, s.offset - prev.offset - prev.length);
    }
    expect(uncovered).toBe(0);
    let smallestKept = Infinity;
    for (let k = 1; k < fitted.length; k++) smallestKept = Math.min(smallestKept, (fitted[k] as Segment).offset - (fitted[k - 1] as Segment).offset - (fitted[k - 1] as Segment).length);
    expect(largestMerged).toBeLessThanOrEqual(smallestKept);
  });

  it('export keeps a map of 200,000 segments under the 1 MiB PAX limit of Go readers, still covering every byte of data', async () => {
    const segments: Segment[] = Array.from({ length: 200_000 }, (_, i) => ({ offset: i * 8 * KiB + (i % 3) * 512, length: 4 * KiB }));
    expect(serializeCocoonMap(segments).length).toBeGreaterThan(EXPORT_MAP_BUDGET);
    const fitted = await fitMap(segments);
    expect(serializeCocoonMap(fitted).length).toBeLessThanOrEqual(EXPORT_MAP_BUDGET);
    let j = 0;
    let uncovered = 0;
    for (const s of segments) {
      while (j < fitted.length && (fitted[j]?.offset ?? 0) + (fitted[j]?.length ?? 0) <= s.offset) j++;
      const f = fitted[j];
      if (!(f !== undefined && f.offset <= s.offset && s.offset + s.length <= f.offset + f.length)) uncovered++;
    }
    expect(uncovered).toBe(0);
    // A map that fits is left alone.
    expect(await fitMap(segments.slice(0, 1000))).toEqual(segments.slice(0, 1000));
  });
});
