/**
 * libdeflate (github.com/ebiggers/libdeflate), when the system has it, for
 * the compression workers' deflate runs and the decompression workers' runs
 * of members. Our gzip members are independent ~1 MiB buffers, the
 * whole-buffer case libdeflate is built for; measured here on such chunks,
 * its level 1 runs 1.6–2.1× as fast as zlib's level 1 with about the same
 * output size (`npm run bench` names the deflater it measured), and it
 * inflated the bench's guest archive (430 MB) in 0.63–0.70 s against
 * 1.23–1.51 s for node:zlib's gunzip, checking each member's CRC32 and
 * length as zlib does. Its gunzip only ever answers "done" or "not done": a
 * run it cannot inflate exactly (corrupt data, a bad check, more output than
 * announced) is left to zlib, so a broken archive fails with zlib's errors. Called through koffi, which the store already uses for flock
 * and lseek, so there is no native addon to build per Electron version.
 * Where the library is missing (on Debian it is the libdeflate0 package,
 * which libtiff depends on) export uses node:zlib, with the same archive
 * format either way.
 *
 * `openLibdeflate` is self-contained (no imports, no outer names) because
 * the worker is built from source text and embeds it with `toString()`.
 */

/**
 * Raw deflate of one buffer into `out` at a level (0 stores); the bytes
 * written, 0 when `out` is too small. What lies in `out` past the answer is
 * undefined (an engine may use it as scratch).
 */
export interface DeflateEngine {
  name: string;
  deflateRaw(data: Uint8Array, level: number, out: Uint8Array): number;
}

/** Inflates a run of whole gzip members. */
export interface GunzipEngine {
  /** The members in `input` inflated into a fresh buffer of `limit` bytes; null when the run does not inflate cleanly within it. */
  gunzip(input: Uint8Array, limit: number): { output: Buffer; consumed: number } | null;
}

interface KoffiLike {
  load(name: string): { func(signature: string): (...args: unknown[]) => unknown };
}

/** Shared-library names to try, per platform (sonames, so a runtime package is enough). */
export const LIBDEFLATE_NAMES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['libdeflate.so.0'],
  darwin: ['libdeflate.0.dylib', '/opt/homebrew/lib/libdeflate.0.dylib', '/usr/local/lib/libdeflate.0.dylib'],
  win32: ['libdeflate.dll'],
};

/**
 * Binds libdeflate's compressor and gzip decompressor through koffi (loaded
 * with `load(koffiPath)`); null when koffi or the library cannot be loaded.
 * A compressor (a few hundred KiB) or decompressor (a few KiB) is allocated
 * and freed per call, cheap next to a MiB of data, so nothing native
 * outlives a call when the worker is terminated.
 */
export function openLibdeflate(load: (id: string) => unknown, koffiPath: string, names: readonly string[]): (DeflateEngine & GunzipEngine) | null {
  const SUCCESS = 0;
  let koffi: KoffiLike;
  try {
    const mod = load(koffiPath) as KoffiLike & { default?: KoffiLike };
    koffi = mod.default ?? mod;
  } catch {
    return null;
  }
  for (const name of names) {
    try {
      const lib = koffi.load(name);
      const alloc = lib.func('void *libdeflate_alloc_compressor(int level)');
      const free = lib.func('void libdeflate_free_compressor(void *c)');
      const compress = lib.func('size_t libdeflate_deflate_compress(void *c, const uint8_t *in, size_t n, uint8_t *out, size_t avail)');
      const allocInflater = lib.func('void *libdeflate_alloc_decompressor(void)');
      const freeInflater = lib.func('void libdeflate_free_decompressor(void *d)');
      const decompress = lib.func(
        'int libdeflate_gzip_decompress_ex(void *d, const uint8_t *in, size_t in_nbytes, uint8_t *out, size_t out_nbytes_avail, _Out_ size_t *actual_in_nbytes_ret, _Out_ size_t *actual_out_nbytes_ret)',
      );
      const usedIn: unknown[] = [0];
      const usedOut: unknown[] = [0];
      // Stored runs use level 0: a library that refuses it (or level 1) is not used.
      for (const level of [0, 1]) {
        const c = alloc(level);
        if (!c) throw new Error(`no level ${level}`);
        free(c);
      }
      return {
        name: `libdeflate (${name})`,
        deflateRaw(data: Uint8Array, level: number, out: Uint8Array): number {
          const c = alloc(level);
          if (!c) throw new Error(`libdeflate could not allocate a level ${level} compressor`);
          try {
            return Number(compress(c, data, data.length, out, out.length));
          } finally {
            free(c);
          }
        },
        gunzip(input: Uint8Array, limit: number): { output: Buffer; consumed: number } | null {
          const d = allocInflater();
          if (!d) return null;
          try {
            const output = Buffer.allocUnsafeSlow(Math.max(1, limit));
            let consumed = 0;
            let written = 0;
            while (consumed < input.length) {
              const rc = decompress(d, input.subarray(consumed), input.length - consumed, output.subarray(written), output.length - written, usedIn, usedOut);
              if (rc !== SUCCESS || Number(usedIn[0]) === 0) return null;
              consumed += Number(usedIn[0]);
              written += Number(usedOut[0]);
            }
            return { output: output.subarray(0, written), consumed };
          } finally {
            freeInflater(d);
          }
        },
      };
    } catch {
      // Not this name; try the next.
    }
  }
  return null;
}
