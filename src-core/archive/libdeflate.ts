/**
 * libdeflate (github.com/ebiggers/libdeflate), when the system has it, for
 * the compression workers' deflate runs. Our gzip members are independent
 * ~1 MiB buffers, the whole-buffer case libdeflate is built for; measured
 * here on such chunks, its level 1 runs 1.6–2.1× as fast as zlib's level 1
 * with about the same output size (`npm run bench` names the deflater it
 * measured). Called through koffi, which the store already uses for flock
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
 * Binds libdeflate's compressor through koffi (loaded with `load(koffiPath)`);
 * null when koffi or the library cannot be loaded. A compressor is allocated
 * and freed per call: it is a few hundred KiB, cheap next to deflating a
 * MiB, and nothing native outlives a call when the worker is terminated.
 */
export function openLibdeflate(load: (id: string) => unknown, koffiPath: string, names: readonly string[]): DeflateEngine | null {
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
      };
    } catch {
      // Not this name; try the next.
    }
  }
  return null;
}
