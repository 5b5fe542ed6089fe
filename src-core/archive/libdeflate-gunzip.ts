/**
 * libdeflate's gzip decompressor, when the system has it, for the
 * decompression workers (inflate-pool.ts). A job there is a run of whole
 * members whose inflated size is known from their trailers: the
 * whole-buffer case libdeflate is built for. Measured here on the bench's
 * guest archive (430 MB inflated): 0.63–0.70 s against 1.23–1.51 s for
 * node:zlib's gunzip. It checks each member's CRC32 and length as zlib
 * does.
 *
 * It only ever answers "done" or "not done": a run it cannot inflate
 * exactly (corrupt data, a bad check, more output than announced) is left
 * to zlib, so a broken archive fails with zlib's errors, the same messages
 * as before.
 *
 * `openLibdeflateGunzip` is self-contained (no imports, no outer names)
 * because the worker is built from source text and embeds it with
 * `toString()`.
 */

/** Inflates a run of whole gzip members. */
export interface GunzipEngine {
  name: string;
  /** The members in `input` inflated into a fresh buffer of `limit` bytes; null when the run does not inflate cleanly within it. */
  gunzip(input: Uint8Array, limit: number): { output: Buffer; consumed: number } | null;
}

interface KoffiLike {
  load(name: string): { func(signature: string): (...args: unknown[]) => unknown };
}

/**
 * Binds libdeflate's gzip decompressor through koffi (loaded with
 * `load(koffiPath)`); null when koffi or the library cannot be loaded. A
 * decompressor (a few KiB) is allocated and freed per run, so nothing
 * native outlives a call when the worker is terminated.
 */
export function openLibdeflateGunzip(load: (id: string) => unknown, koffiPath: string, names: readonly string[]): GunzipEngine | null {
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
      const alloc = lib.func('void *libdeflate_alloc_decompressor(void)');
      const free = lib.func('void libdeflate_free_decompressor(void *d)');
      const decompress = lib.func(
        'int libdeflate_gzip_decompress_ex(void *d, const uint8_t *in, size_t in_nbytes, uint8_t *out, size_t out_nbytes_avail, _Out_ size_t *actual_in_nbytes_ret, _Out_ size_t *actual_out_nbytes_ret)',
      );
      const usedIn: unknown[] = [0];
      const usedOut: unknown[] = [0];
      return {
        name: `libdeflate (${name})`,
        gunzip(input: Uint8Array, limit: number): { output: Buffer; consumed: number } | null {
          const d = alloc();
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
            free(d);
          }
        },
      };
    } catch {
      // Not this name; try the next.
    }
  }
  return null;
}
