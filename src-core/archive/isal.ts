/**
 * ISA-L's igzip (github.com/intel/isa-l), when the system has it, for the
 * compression workers' level-1 deflate runs. Measured here on 1 MiB chunks
 * of the bench's guest memory, single-threaded: ISA-L's level 3 took 1.16 s
 * and wrote 211.3 MB where libdeflate's level 1 took 2.76 s for 206.1 MB
 * (ISA-L's levels 1 and 2: 0.6 s for 235 and 232 MB). So our level 1 runs
 * on ISA-L's level 3: about the size gzip -1 gives, in well under half of
 * libdeflate's time. Levels 2–9 stay with libdeflate (or node:zlib), whose
 * higher levels compress better than anything ISA-L offers.
 *
 * It is called through koffi like libdeflate (see libdeflate.ts). ISA-L has
 * no whole-buffer call taking plain arguments: `isal_deflate_stateless`
 * takes a `struct isal_zstream`, so this module fills the public fields of
 * one in memory it owns, at the offsets igzip_lib.h (2.30) gives them on 64-bit
 * platforms, and lets `isal_deflate_stateless_init` set the rest. Opening
 * the library runs a round trip through node:zlib, so a build whose layout
 * differed is never used.
 *
 * `openIsal` is self-contained (no imports, no outer names) because the
 * worker is built from source text and embeds it with `toString()`.
 */
import type { DeflateEngine } from './libdeflate';

/** Shared-library names to try, per platform (the soname, so the runtime package is enough: libisal2 on Debian). */
export const ISAL_NAMES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['libisal.so.2'],
};

interface KoffiLike {
  load(name: string): { func(signature: string): (...args: unknown[]) => unknown };
  sizeof(type: string): number;
  address(value: Uint8Array): bigint;
}

/**
 * Binds ISA-L's stateless deflate through koffi (loaded with
 * `load(koffiPath)`); null when koffi or the library cannot be loaded, on a
 * 32-bit process, or when its output does not inflate back. The engine only
 * deflates at our level 1; it throws for any other level. Like libdeflate it
 * answers the bytes written, or 0 when they do not fit; unlike it, ISA-L
 * may also write past that answer inside `out` (a bit buffer flushed whole),
 * which the worker overwrites with what follows. One stream and
 * one level buffer per engine, reused by every call (a worker runs one call
 * at a time); they are ordinary Buffers, so nothing native outlives the
 * worker.
 */
export function openIsal(load: (id: string) => unknown, koffiPath: string, names: readonly string[]): DeflateEngine | null {
  // struct isal_zstream (igzip_lib.h): the public fields' byte offsets on 64-bit platforms. The
  // same in every release from 2.24 to 2.32; 2.21–2.23 had one 32-bit gzip_flag where gzip_flag
  // and hist_bits are, which the two zeros written there set the same way.
  const NEXT_IN = 0;
  const AVAIL_IN = 8;
  const TOTAL_IN = 12;
  const NEXT_OUT = 16;
  const AVAIL_OUT = 24;
  const TOTAL_OUT = 28;
  const LEVEL = 40;
  const LEVEL_BUF_SIZE = 44;
  const LEVEL_BUF = 48;
  const END_OF_STREAM = 56;
  const FLUSH = 58;
  const GZIP_FLAG = 60;
  const HIST_BITS = 62;
  // The whole struct is about 80 KiB with the default 32 KiB window (mostly its internal
  // history buffer and hash heads); this is room to spare for any build.
  const STREAM_BYTES = 256 * 1024;
  // ISAL_DEF_LVL3_DEFAULT: the level's hash tables and a 64 Ki-token buffer.
  const LEVEL_BUF_BYTES = 4 * 1024 + 16 * 1024 + 64 * 1024 + 4 * 64 * 1024;
  const ISAL_LEVEL = 3;
  const COMP_OK = 0;
  const STATELESS_OVERFLOW = -1;

  let koffi: KoffiLike;
  let inflateRawSync: (data: Uint8Array) => Buffer;
  try {
    const mod = load(koffiPath) as KoffiLike & { default?: KoffiLike };
    koffi = mod.default ?? mod;
    ({ inflateRawSync } = load('node:zlib') as { inflateRawSync: (data: Uint8Array) => Buffer });
    if (koffi.sizeof('void *') !== 8) return null;
  } catch {
    return null;
  }
  for (const name of names) {
    try {
      const lib = koffi.load(name);
      const init = lib.func('void isal_deflate_stateless_init(void *stream)');
      const stateless = lib.func('int isal_deflate_stateless(void *stream)');
      const stream = Buffer.allocUnsafeSlow(STREAM_BYTES);
      const levelBuf = Buffer.allocUnsafeSlow(LEVEL_BUF_BYTES);
      const fields = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
      const engine: DeflateEngine = {
        name: `ISA-L (${name}) at level 1`,
        deflateRaw(data: Uint8Array, level: number, out: Uint8Array): number {
          if (level !== 1) throw new Error(`ISA-L is used for level 1 only, not ${level}`);
          init(stream);
          // An empty view may have no address of its own; ISA-L reads nothing from it then.
          fields.setBigUint64(NEXT_IN, data.length > 0 ? koffi.address(data) : koffi.address(stream), true);
          fields.setUint32(AVAIL_IN, data.length, true);
          fields.setUint32(TOTAL_IN, 0, true);
          fields.setBigUint64(NEXT_OUT, koffi.address(out), true);
          fields.setUint32(AVAIL_OUT, Math.min(out.length, 0xffffffff), true);
          fields.setUint32(TOTAL_OUT, 0, true);
          fields.setUint32(LEVEL, ISAL_LEVEL, true);
          fields.setUint32(LEVEL_BUF_SIZE, LEVEL_BUF_BYTES, true);
          fields.setBigUint64(LEVEL_BUF, koffi.address(levelBuf), true);
          fields.setUint16(END_OF_STREAM, 1, true);
          fields.setUint16(FLUSH, 0, true);
          fields.setUint16(GZIP_FLAG, 0, true);
          fields.setUint16(HIST_BITS, 0, true);
          const rc = stateless(stream) as number;
          if (rc === STATELESS_OVERFLOW) return 0;
          if (rc !== COMP_OK) throw new Error(`ISA-L deflate failed (code ${rc})`);
          return fields.getUint32(TOTAL_OUT, true);
        },
      };
      // Text, noise and zeros, each large enough to use every part of the stream.
      const sample = Buffer.alloc(96 * 1024);
      for (let i = 0; i < 32 * 1024; i++) sample[i] = 97 + ((i * 7) % 23);
      for (let i = 32 * 1024, x = 12345; i < 64 * 1024; i++) sample[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      const out = Buffer.alloc(sample.length + 1024);
      const n = engine.deflateRaw(sample, 1, out);
      if (n <= 0 || !inflateRawSync(out.subarray(0, n)).equals(sample)) throw new Error('round trip failed');
      return engine;
    } catch {
      // Not this name, or not a build this layout fits; try the next.
    }
  }
  return null;
}
