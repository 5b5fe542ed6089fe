import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { frameMember } from '../../src-core/archive/gzip-member';
import { InflatePool } from '../../src-core/archive/inflate-pool';
import { LIBDEFLATE_NAMES, openLibdeflate } from '../../src-core/archive/libdeflate';
import { noise } from './dir-target';

const KiB = 1024;
/** The library as this process loads it, the way the decompression workers do. */
const here = openLibdeflate(require, require.resolve('koffi'), LIBDEFLATE_NAMES[process.platform] ?? []);
const member = (data: Buffer): Buffer => Buffer.from(frameMember(deflateRawSync(data, { level: 1 }), crc32(data), data.length));
const withByte = (b: Buffer, at: number, xor: number): Buffer => {
  const c = Buffer.from(b);
  const i = at < 0 ? c.length + at : at;
  c[i] = (c[i] as number) ^ xor;
  return c;
};
const parts = [Buffer.from('first member '.repeat(3000)), noise(50 * KiB, 2), Buffer.alloc(0), Buffer.from('last '.repeat(100))];
const run = Buffer.concat(parts.map(member));
const total = parts.reduce((n, p) => n + p.length, 0);

describe('libdeflate gunzip through koffi', () => {
  it.skipIf(!here)('inflates a run of whole members, empty ones included, and says how many bytes it took', () => {
    const r = here!.gunzip(run, total + 1);
    expect(r?.consumed).toBe(run.length);
    expect(r?.output.equals(Buffer.concat(parts))).toBe(true);
  });

  it.skipIf(!here)('reads a run held at an offset in a larger buffer', () => {
    const held = Buffer.concat([Buffer.alloc(333, 7), run, Buffer.alloc(50, 9)]);
    expect(here!.gunzip(held.subarray(333, 333 + run.length), total)?.output.equals(Buffer.concat(parts))).toBe(true);
  });

  it.skipIf(!here)('leaves a run it cannot inflate exactly to the caller: bad CRC32, bad length, corrupt body, more output than the limit, bytes after the members', () => {
    const one = member(parts[0]!);
    expect(here!.gunzip(withByte(one, -8, 1), total)).toBeNull();
    expect(here!.gunzip(withByte(one, -4, 1), total)).toBeNull();
    expect(here!.gunzip(withByte(one, 40, 0xff), total)).toBeNull();
    expect(here!.gunzip(run, total - 1)).toBeNull();
    expect(here!.gunzip(Buffer.concat([one, Buffer.from('garbage')]), total)).toBeNull();
    expect(here!.gunzip(one.subarray(0, one.length - 3), total)).toBeNull();
  });
});

describe.each(['auto', 'zlib'] as const)('the decompression pool (engine %s)', (engine) => {
  let pool: InflatePool;
  afterEach(() => pool.terminate());
  const job = (bytes: Buffer, size: number) => {
    const input = pool.inputBuffer(bytes.length);
    bytes.copy(input);
    return pool.gunzip(input, bytes.length, size);
  };

  it('says which inflater its workers use (libdeflate exactly when it loads here) and inflates a run of members', async () => {
    pool = new InflatePool(1, engine);
    const r = await job(run, total);
    expect(r.consumed).toBe(run.length);
    expect(r.buffer.equals(Buffer.concat(parts))).toBe(true);
    expect(pool.engine).toBe(engine === 'auto' && here ? here.name : 'zlib');
  });

  it('fails a damaged run with zlib’s own error, whichever inflater ran first', async () => {
    pool = new InflatePool(1, engine);
    await expect(job(withByte(member(parts[0]!), -8, 1), total)).rejects.toThrow(/incorrect data check/);
    await expect(job(run, total - 10)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
  });
});
