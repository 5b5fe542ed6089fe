/**
 * gzip wrappers for tests, including the ways a gzip stream breaks in the
 * wild: a flipped CRC32 or ISIZE trailer byte, a corrupted deflate body,
 * truncation, and garbage after the member.
 */
import { gzipSync } from 'node:zlib';

/** gzip at level 1 (what exports use by default). */
export function gzip(data: Buffer): Buffer {
  return gzipSync(data, { level: 1 });
}

/** The last 8 bytes of a gzip member are CRC32 then ISIZE, both little-endian. */
const TRAILER = 8;

/** Flips one bit of the CRC32 trailer: the body inflates fine, the check must fail. */
export function withBadCrc(gz: Buffer): Buffer {
  const out = Buffer.from(gz);
  const at = out.length - TRAILER;
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

/** Adds one to the ISIZE trailer (uncompressed length mod 2^32). */
export function withBadIsize(gz: Buffer): Buffer {
  const out = Buffer.from(gz);
  const at = out.length - 4;
  out.writeUInt32LE((out.readUInt32LE(at) + 1) >>> 0, at);
  return out;
}

/** Overwrites bytes in the middle of the deflate body (header and trailer kept intact). */
export function withCorruptBody(gz: Buffer, length = 64): Buffer {
  const out = Buffer.from(gz);
  const start = Math.max(10, Math.floor(out.length / 2) - Math.floor(length / 2));
  const end = Math.min(out.length - TRAILER, start + length);
  for (let i = start; i < end; i++) out[i] = (out[i] ?? 0) ^ 0xa5;
  return out;
}

/** The first `keep` bytes (negative: drop that many from the end). */
export function truncated(data: Buffer, keep: number): Buffer {
  return Buffer.from(data.subarray(0, keep < 0 ? data.length + keep : keep));
}

/** Appends bytes after the end (after the gzip trailer, or after a tar's end marker). */
export function withTrailing(data: Buffer, garbage: Buffer): Buffer {
  return Buffer.concat([data, garbage]);
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function randomBytesSeeded(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
