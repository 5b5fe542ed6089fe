import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ISAL_NAMES, openIsal } from '../../src-core/archive/isal';
import { noise } from './dir-target';

const KiB = 1024;
const text = (n: number): Buffer => Buffer.from('snapshot web-golden restored from memory-ranges at offset 4096\n'.repeat(Math.ceil(n / 64))).subarray(0, n);
/** The library as this process loads it, the way the compression workers do. */
const here = openIsal(require, require.resolve('koffi'), ISAL_NAMES[process.platform] ?? []);

/** A stand-in for koffi whose library answers `rc` and writes nothing, to see what openIsal does with a build it cannot trust. */
const fakeKoffi = (pointerSize: number, rc: number) => ({
  sizeof: () => pointerSize,
  address: () => 0n,
  load: () => ({ func: (signature: string) => () => (signature.startsWith('int') ? rc : undefined) }),
});

describe('ISA-L through koffi', () => {
  it.skipIf(!here)('deflates a view at an offset into a view at an offset, touching nothing outside them (inside, past the answer, it may)', () => {
    const data = Buffer.concat([text(300 * KiB), noise(100 * KiB, 4), Buffer.alloc(200 * KiB)]);
    const input = Buffer.concat([Buffer.alloc(777, 0x11), data]);
    const out = Buffer.alloc(data.length + 64 * KiB, 0xaa);
    const n = here!.deflateRaw(input.subarray(777), 1, out.subarray(100, out.length - 100));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(data.length / 2);
    expect(out.subarray(0, 100).every((b) => b === 0xaa)).toBe(true);
    expect(out.subarray(out.length - 100).every((b) => b === 0xaa)).toBe(true);
    expect(inflateRawSync(out.subarray(100, 100 + n)).equals(data)).toBe(true);
  });

  it.skipIf(!here)('compresses text about as well as gzip -1 does (ISA-L level 3, not its faster, larger levels)', () => {
    const data = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i}: value=${(i * 7919) % 1000} state=${i % 3 ? 'ok' : 'warn'}\n`).join(''));
    const out = Buffer.alloc(data.length + KiB);
    const n = here!.deflateRaw(data, 1, out);
    // zlib's level 1 on the same text, for the yardstick.
    const zlibSize = deflateRawSync(data, { level: 1 }).length;
    expect(n).toBeLessThan(zlibSize * 1.1);
    expect(inflateRawSync(out.subarray(0, n)).equals(data)).toBe(true);
  });

  it.skipIf(!here)('answers 0 when the output does not fit, rather than writing past it', () => {
    const data = noise(64 * KiB, 3);
    const out = Buffer.alloc(32 * KiB + 16, 0x55);
    expect(here!.deflateRaw(data, 1, out.subarray(0, 32 * KiB))).toBe(0);
    expect(out.subarray(32 * KiB).every((b) => b === 0x55)).toBe(true);
  });

  it.skipIf(!here)('deflates empty input into a stream that inflates to nothing, and many calls in a row reuse its state cleanly', () => {
    const out = Buffer.alloc(KiB);
    const n = here!.deflateRaw(Buffer.alloc(0), 1, out);
    expect(n).toBeGreaterThan(0);
    expect(inflateRawSync(out.subarray(0, n)).length).toBe(0);
    for (let i = 0; i < 50; i++) {
      const data = i % 2 ? noise(5000 + i, i) : text(7000 + i * 13);
      const o = Buffer.alloc(data.length + KiB);
      const m = here!.deflateRaw(data, 1, o);
      expect(inflateRawSync(o.subarray(0, m)).equals(data)).toBe(true);
    }
  });

  it.skipIf(!here)('is used for level 1 only: other levels are refused, not silently compressed at level 1', () => {
    expect(() => here!.deflateRaw(text(KiB), 6, Buffer.alloc(2 * KiB))).toThrow(/level 1 only/);
  });

  it('is not used when koffi cannot be loaded, no library name loads, the process is 32-bit, or its output does not inflate back', () => {
    expect(openIsal(() => { throw new Error('no koffi'); }, 'koffi', ['libisal.so.2'])).toBeNull();
    expect(openIsal(require, require.resolve('koffi'), ['libdoes-not-exist.so.9'])).toBeNull();
    const loader = (koffi: unknown) => (id: string): unknown => (id === 'fake-koffi' ? koffi : zlib);
    expect(openIsal(loader(fakeKoffi(4, 0)), 'fake-koffi', ['libisal.so.2'])).toBeNull();
    // A library that claims success but wrote nothing: the round trip at open catches it.
    expect(openIsal(loader(fakeKoffi(8, 0)), 'fake-koffi', ['libisal.so.2'])).toBeNull();
  });
});
