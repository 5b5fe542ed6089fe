/**
 * Parallel inflation of length-tagged gzip members: the output equals what
 * zlib's gunzip gives, damage of every kind is refused as invalid_archive
 * (whatever the recorded length claims), other writers' gzip streams take
 * the streaming path, and import leaves nothing behind on a damaged member.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { livePoolWorkers } from '../../src-core/archive/worker-pool';
import { inflateGzip } from '../../src-core/archive/gunzip-members';
import { frameMember, readMemberHead } from '../../src-core/archive/gzip-member';
import { GzipParallel } from '../../src-core/archive/gzip-parallel';
import { importArchive } from '../../src-core/archive/import';
import { exportArchive } from '../../src-core/archive/export';
import { dirTarget, noise, tempDir } from './dir-target';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const KiB = 1024;

/** Worker threads end shortly after the stream that started them. */
async function workersGone(): Promise<boolean> {
  for (let i = 0; i < 100 && livePoolWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return livePoolWorkers() === 0;
}

const member = (data: Buffer, level = 1): Buffer => Buffer.from(frameMember(deflateRawSync(data, { level }), crc32(data), data.length));

/** Feeds `bytes` in pieces of `piece` bytes and collects the inflated output. */
async function inflate(bytes: Buffer, piece = 7001, parallel?: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += piece) pieces.push(bytes.subarray(at, at + piece));
  const out: Buffer[] = [];
  for await (const chunk of inflateGzip(Readable.from(pieces)[Symbol.asyncIterator]() as AsyncIterator<Buffer>, parallel ? { parallel } : {})) out.push(chunk);
  return Buffer.concat(out);
}

async function parallelGzip(data: Buffer, chunkSize: number): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([data]),
    new GzipParallel({ chunkSize }),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

const refusal = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'no error', (e: unknown) => e);

describe('gunzip of length-tagged members', () => {
  const data = Buffer.concat(Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? noise(40 * KiB, i) : Buffer.from(`line ${i} `.repeat(5000)))));

  it('our compressor tags every member with its length, and the tags are exact', async () => {
    const gz = await parallelGzip(data, 64 * KiB);
    let members = 0;
    for (let at = 0; at < gz.length; members++) {
      const head = readMemberHead(gz.subarray(at));
      expect(head.kind).toBe('tagged');
      if (head.kind !== 'tagged') break;
      // Each member alone is a complete gzip file.
      gunzipSync(gz.subarray(at, at + head.memberLength));
      at += head.memberLength;
    }
    expect(members).toBeGreaterThan(10);
  });

  it('inflates members in parallel to exactly what zlib gunzips, whatever the input chunking', async () => {
    const gz = await parallelGzip(data, 64 * KiB);
    const want = gunzipSync(gz);
    for (const piece of [1, 13, 4096, 100_000, gz.length]) expect((await inflate(gz, piece)).equals(want)).toBe(true);
    expect((await inflate(gz, 5000, 1)).equals(want)).toBe(true);
  });

  it('reads a stream that switches from tagged members to a plain one, and a plain stream from the start', async () => {
    const a = noise(30 * KiB, 1);
    const b = Buffer.from('plain member '.repeat(3000));
    const c = Buffer.from('tagged again '.repeat(3000));
    expect((await inflate(Buffer.concat([member(a), gzipSync(b), member(c)]))).equals(Buffer.concat([a, b, c]))).toBe(true);
    expect((await inflate(Buffer.concat([gzipSync(a), member(b)]))).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('ignores zero bytes after the last member, as zlib does, and refuses other trailing bytes', async () => {
    const a = Buffer.from('abc'.repeat(1000));
    expect((await inflate(Buffer.concat([member(a), Buffer.alloc(4096)]))).equals(a)).toBe(true);
    // One zero byte is padding too (gzip -t and pigz -t agree), not the start of a cut member.
    expect((await inflate(Buffer.concat([member(a), Buffer.alloc(1)]))).equals(a)).toBe(true);
    await expect(inflate(Buffer.concat([member(a), Buffer.from([0x1f])]))).rejects.toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/truncated/) });
    await expect(inflate(Buffer.concat([member(a), Buffer.from('garbage')]))).rejects.toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/garbage/) });
    await expect(inflate(Buffer.concat([member(a), Buffer.from([0x1f, 0x8b, 0xff, 0xff])]))).rejects.toMatchObject({ code: 'invalid_archive' });
  });

  it('another writer’s gzip stream may end in zero padding, but junk behind the padding is refused as it is after this app’s members', async () => {
    const a = Buffer.from('plain member '.repeat(3000));
    for (const piece of [1, 97, 7001, 1 << 20]) {
      expect((await inflate(Buffer.concat([gzipSync(a), Buffer.alloc(5000)]), piece)).equals(a)).toBe(true);
      const junk = Buffer.concat([gzipSync(a), Buffer.alloc(10), Buffer.from('junk, not an archive')]);
      expect(await refusal(inflate(junk, piece))).toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/garbage/) });
    }
    // Junk far behind the stream, in a later chunk than the one where zlib stopped.
    const far = Buffer.concat([gzipSync(a), Buffer.alloc(300_000), Buffer.from([7])]);
    expect(await refusal(inflate(far, 4096))).toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/garbage/) });
  });

  const a = Buffer.from('some member data '.repeat(4000));
  const cases: [string, () => Buffer, RegExp][] = [
    ['a wrong CRC32', () => withByte(member(a), -8, 1), /CRC32/],
    ['a wrong length trailer', () => withByte(member(a), -4, 1), /length check/],
    ['a corrupt deflate body', () => withByte(member(a), 40, 0xff, 200), /corrupt/],
    ['a recorded length shorter than the member', () => withLength(member(a), (n) => n - 100), /corrupt|garbage/],
    ['a recorded length longer than the member (bytes of the next member swallowed)', () => Buffer.concat([withLength(member(a), (n) => n + 30), member(a)]), /corrupt|garbage/],
    ['a recorded length running past the end of the file', () => withLength(member(a), (n) => n + 5000), /truncated: it ends inside a member .*recorded length is damaged/],
    ['a member cut short', () => member(a).subarray(0, 300), /truncated/],
    ['a member cut inside its header', () => member(a).subarray(0, 15), /truncated/],
    ['an ISIZE larger than any member this app writes (a bomb claim)', () => withUint32(member(a), -4, 0xfffffff0), /more than this app ever writes in one member \(its recorded length or size is damaged\)/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what} as invalid_archive`, async () => {
      expect(await refusal(inflate(bytes()))).toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(message) });
    });
    // The first member is inflated on the thread pool, later ones on the decompression workers: the same refusals.
    it(`refuses ${what} after a good first member (inflated by a worker) the same way`, async () => {
      expect(await refusal(inflate(Buffer.concat([member(a), bytes()])))).toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(message) });
      expect(await workersGone()).toBe(true);
    });
  }

  it('members that span input chunks reach the workers without being joined first (one copy, into a reused buffer)', async () => {
    const data = Buffer.concat(Array.from({ length: 8 }, (_, i) => noise(240_000, i)));
    const gz = Buffer.concat([member(Buffer.from('{"name":"first"}')), ...Array.from({ length: 8 }, (_, i) => member(data.subarray(i * 240_000, (i + 1) * 240_000)))]);
    // Chunks of 100,000 bytes: every member of ~240 KB spans three of them.
    const pieces: Buffer[] = [];
    for (let at = 0; at < gz.length; at += 100_000) pieces.push(gz.subarray(at, at + 100_000));
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const out: Buffer[] = [];
      for await (const chunk of inflateGzip(Readable.from(pieces)[Symbol.asyncIterator]() as AsyncIterator<Buffer>, { threads: 1 })) out.push(chunk);
      const joined = concat.mock.calls.reduce((n, [list]) => n + list.reduce((m, b) => m + b.length, 0), 0);
      expect(joined).toBe(0);
      expect(Buffer.concat(out).subarray(16).equals(data)).toBe(true);
    } finally {
      concat.mockRestore();
    }
  });

  it('decompression workers start with the second job only (a preview of the first member starts none) and end with the stream', async () => {
    const data = Buffer.concat(Array.from({ length: 8 }, (_, i) => Buffer.from(`page ${i} `.repeat(30_000))));
    const gz = Buffer.concat([member(Buffer.from('{"name":"first"}')), ...Array.from({ length: 8 }, (_, i) => member(data.subarray(i * 240_000, (i + 1) * 240_000)))]);
    const iterator = inflateGzip(Readable.from([gz])[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
    const first = await iterator.next();
    expect(first.value?.toString()).toBe('{"name":"first"}');
    await iterator.return(undefined);
    expect(livePoolWorkers()).toBe(0);
    let sawWorkers = false;
    const out: Buffer[] = [];
    for await (const chunk of inflateGzip(Readable.from([gz])[Symbol.asyncIterator]() as AsyncIterator<Buffer>)) {
      sawWorkers ||= livePoolWorkers() > 0;
      out.push(chunk);
    }
    expect(sawWorkers).toBe(true);
    expect(Buffer.concat(out).subarray(16).equals(data.subarray(0, 8 * 240_000))).toBe(true);
    expect(await workersGone()).toBe(true);
  });

  it('an import of an export with one damaged member fails with invalid_archive and leaves nothing behind', async () => {
    const src = await tempDir();
    const target = await dirTarget();
    try {
      await fs.writeFile(path.join(src, 'memory-ranges'), Buffer.concat([noise(3 * 1024 * KiB, 3), Buffer.from('text '.repeat(400_000))]));
      const chunks: Buffer[] = [];
      for await (const c of exportArchive({ dir: src, config: { name: 'damaged' } })) chunks.push(c as Buffer);
      const gz = Buffer.concat(chunks);
      // Damage the deflate data of the third member.
      let at = 0;
      for (let m = 0; m < 2; m++) {
        const head = readMemberHead(gz.subarray(at));
        if (head.kind !== 'tagged') throw new Error('expected tagged members');
        at += head.memberLength;
      }
      gz[at + 100] = (gz[at + 100] ?? 0) ^ 0x55;
      expect(await refusal(importArchive(Readable.from([gz]), target, {}))).toMatchObject({ code: 'invalid_archive' });
      expect(await fs.readdir(target.root)).toEqual([]);
      expect(target.records.size).toBe(0);
    } finally {
      await fs.rm(src, { recursive: true, force: true });
      await target.cleanup();
    }
  });
});

function withByte(buf: Buffer, at: number, xor: number, count = 1): Buffer {
  const out = Buffer.from(buf);
  const start = at < 0 ? out.length + at : at;
  for (let i = start; i < start + count && i < out.length; i++) out[i] = (out[i] ?? 0) ^ xor;
  return out;
}

function withUint32(buf: Buffer, at: number, value: number): Buffer {
  const out = Buffer.from(buf);
  out.writeUInt32LE(value, at < 0 ? out.length + at : at);
  return out;
}

/** Rewrites the SD subfield's recorded member length. */
function withLength(buf: Buffer, f: (n: number) => number): Buffer {
  const out = Buffer.from(buf);
  out.writeUInt32LE(f(out.readUInt32LE(16)), 16);
  return out;
}
