import { inflateRawSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CompressPool } from '../../src-core/archive/compress-pool';
import { livePoolWorkers } from '../../src-core/archive/worker-pool';
import { ISAL_NAMES, openIsal } from '../../src-core/archive/isal';
import { LIBDEFLATE_NAMES, openLibdeflate } from '../../src-core/archive/libdeflate';
import { noise } from './dir-target';

const KiB = 1024;
const text = (n: number): Buffer => Buffer.from('snapshot web-golden restored from memory-ranges at offset 4096\n'.repeat(Math.ceil(n / 64))).subarray(0, n);
/** The library as this process loads it, the way the workers do. */
const here = openLibdeflate(require, require.resolve('koffi'), LIBDEFLATE_NAMES[process.platform] ?? []);
const isalHere = openIsal(require, require.resolve('koffi'), ISAL_NAMES[process.platform] ?? []);

/** A buffer that owns its whole ArrayBuffer (what the pool transfers), holding `data` at its start. */
const owned = (size: number, data: Buffer = Buffer.alloc(0)): Buffer => {
  const b = Buffer.allocUnsafeSlow(size);
  data.copy(b);
  return b;
};

let pools: CompressPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.terminate()));
  pools = [];
});
const pool = (...args: ConstructorParameters<typeof CompressPool>): CompressPool => {
  const p = new CompressPool(...args);
  pools.push(p);
  return p;
};

describe('libdeflate through koffi', () => {
  it.skipIf(!here)('deflates into a view at its offset, and stores at level 0', () => {
    const lib = here!;
    const data = text(200 * KiB);
    const out = Buffer.alloc(300 * KiB, 0xaa);
    const n = lib.deflateRaw(data, 1, out.subarray(100));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(data.length / 4);
    // Nothing before the view was touched, and the data inflates back.
    expect(out.subarray(0, 100).every((b) => b === 0xaa)).toBe(true);
    expect(inflateRawSync(out.subarray(100, 100 + n)).equals(data)).toBe(true);
    const stored = lib.deflateRaw(data, 0, out);
    expect(stored).toBeGreaterThan(data.length);
    expect(inflateRawSync(out.subarray(0, stored)).equals(data)).toBe(true);
  });

  it.skipIf(!here)('answers 0 when the output does not fit, rather than writing past it', () => {
    const data = noise(64 * KiB, 3);
    const out = Buffer.alloc(32 * KiB + 16, 0x55);
    expect(here!.deflateRaw(data, 1, out.subarray(0, 32 * KiB))).toBe(0);
    expect(out.subarray(32 * KiB).every((b) => b === 0x55)).toBe(true);
  });

  it('is not used when koffi cannot be loaded or no library name loads', () => {
    expect(openLibdeflate(() => { throw new Error('no koffi'); }, 'koffi', ['libdeflate.so.0'])).toBeNull();
    expect(openLibdeflate(require, require.resolve('koffi'), ['libdoes-not-exist.so.9'])).toBeNull();
  });
});

describe.each(['auto', 'libdeflate', 'zlib'] as const)('the compression pool (engine %s)', (choice) => {
  it('says which deflaters its workers use: ISA-L (auto only) and libdeflate exactly when they load here', async () => {
    const p = pool(1, 1, 256 * KiB, choice);
    await p.compress(owned(256 * KiB), 0);
    const expected = [choice === 'auto' ? isalHere : null, choice !== 'zlib' ? here : null].flatMap((e) => (e ? [e.name] : []));
    expect(p.engine).toBe(expected.join(', ') || 'zlib');
  });

  it('hands the input chunk and the output buffer back, the members inside the output', async () => {
    const data = Buffer.concat([text(100 * KiB), noise(60 * KiB, 5), text(96 * KiB)]);
    const p = pool(2, 1, 256 * KiB, choice);
    const r = await p.compress(owned(256 * KiB, data), data.length, owned(320 * KiB));
    expect(r.input.length).toBe(256 * KiB);
    expect(r.input.subarray(0, data.length).equals(data)).toBe(true);
    expect(r.output.length).toBe(320 * KiB);
    expect(r.spare).toBeNull();
    expect(gunzipSync(r.output.subarray(0, r.length)).equals(data)).toBe(true);
  });

  it('members that do not fit the output given come in a new buffer, and the small one comes back as spare', async () => {
    const data = noise(256 * KiB, 8);
    const p = pool(1, 1, 256 * KiB, choice);
    const r = await p.compress(owned(256 * KiB, data), data.length, owned(1 * KiB));
    expect(r.spare?.length).toBe(1 * KiB);
    expect(r.output.length).toBe(r.length);
    expect(gunzipSync(r.output).equals(data)).toBe(true);
  });

  it('without an output buffer the members come in one of exactly their size', async () => {
    const data = text(200 * KiB);
    const p = pool(1, 6, 256 * KiB, choice);
    const r = await p.compress(owned(256 * KiB, data), data.length);
    expect(r.output.length).toBe(r.length);
    expect(gunzipSync(r.output).equals(data)).toBe(true);
  });
});

describe('stopping the pool', () => {
  it('a pool stopped while its workers still start up (loading koffi and libdeflate) ends them cleanly, the process lives on', async () => {
    for (let i = 0; i < 25; i++) {
      const p = new CompressPool(2, 1, 64 * KiB);
      if (i % 2) await new Promise((r) => setTimeout(r, i));
      await p.terminate();
    }
    expect(livePoolWorkers()).toBe(0);
  });
});
