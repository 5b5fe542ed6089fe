/**
 * gzip wrappers for tests, including the ways a gzip stream breaks in the
 * wild: a flipped CRC32 or ISIZE trailer byte, a corrupted deflate body,
 * truncation, and garbage after the member.
 */
import { constants as zlibConstants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

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

/**
 * A gzip stream assembled from pieces, for archives of gigabytes that
 * compress to megabytes (the shape of a decompression bomb) without running
 * deflate over gigabytes. A piece given as the same Buffer object again is
 * compressed once and its deflate blocks repeated; every piece is flushed to
 * a byte boundary and compressed on its own, so blocks can be concatenated.
 * Small unique pieces go in stored blocks. The stream is produced as it is
 * read (the CRC32 is computed on the way), so a reader that stops early
 * costs only what it read.
 */
export class PieceGzip {
  private readonly cache = new Map<Buffer, Buffer>();

  /** The deflate blocks of one piece (not final, byte-aligned). */
  blocks(piece: Buffer): Buffer {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    let out: Buffer;
    if (piece.length <= 1024) {
      // A stored block: 3 header bits (not final, type 00), padding to the byte, LEN, NLEN, the bytes.
      const head = Buffer.alloc(5);
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      out = Buffer.concat([head, piece]);
    } else {
      out = deflateRawSync(piece, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    }
    if (piece.length > 1024) this.cache.set(piece, out);
    return out;
  }

  /** Compressed size of the whole stream for `pieces` (compresses each distinct piece once, no CRC). */
  size(pieces: Iterable<Buffer>): number {
    let n = 10 + 2 + 8;
    for (const p of pieces) n += this.blocks(p).length;
    return n;
  }

  /** The gzip stream, in chunks of about `chunk` bytes. */
  *stream(pieces: Iterable<Buffer>, chunk = 64 * 1024): Generator<Buffer> {
    let crc = 0;
    let length = 0;
    let out: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
    let pending = 10;
    for (const p of pieces) {
      crc = crc32(p, crc);
      length += p.length;
      const b = this.blocks(p);
      out.push(b);
      pending += b.length;
      if (pending >= chunk) {
        yield Buffer.concat(out);
        out = [];
        pending = 0;
      }
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    // The final, empty block (fixed Huffman, end-of-block code only).
    out.push(Buffer.from([0x03, 0x00]), trailer);
    yield Buffer.concat(out);
  }
}
