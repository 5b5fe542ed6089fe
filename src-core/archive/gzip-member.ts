/**
 * The gzip members this app writes carry their own compressed length, so an
 * importer can cut the stream into members without inflating it and inflate
 * several at once. The length sits in an FEXTRA subfield (RFC 1952 §2.3.1.1),
 * the way BGZF (samtools) records its block size: readers that do not know
 * the subfield skip it, so gzip, pigz, Go's compress/gzip and Node read these
 * files as ordinary multi-member gzip.
 *
 * Subfield: SI1 'S', SI2 'D', LEN 4, then the whole member's length in bytes
 * (header, deflate data and trailer) as a little-endian uint32.
 *
 * `writeMemberFrame` is self-contained (no imports, no outer names) because
 * the compression worker is built from source text and embeds it.
 */

/** Header bytes of a member written by `frameMember`: 10 fixed, XLEN, one 8-byte subfield. */
export const MEMBER_HEADER_BYTES = 20;
export const TRAILER_BYTES = 8;
/** Largest member the reader accepts as ours: far above the 1 MiB chunks written, far below memory trouble. */
export const MAX_TAGGED_MEMBER = 8 * 1024 * 1024;
/** Largest inflated size of one tagged member the reader accepts (its ISIZE). */
export const MAX_TAGGED_OUTPUT = 8 * 1024 * 1024;

/**
 * Frames deflate data already at out[at + 20, at + 20 + deflatedLength) as a
 * member: writes the header before it and the trailer after it; returns the
 * member's end. Compression workers deflate straight into place and call this.
 */
export function writeMemberFrame(out: Uint8Array, at: number, deflatedLength: number, crc: number, inputLength: number): number {
  const total = 20 + deflatedLength + 8;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  // ID1 ID2 CM=deflate FLG=FEXTRA, MTIME 0 (unknown), XFL 0, OS 255 (unknown).
  out.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 255], at);
  view.setUint16(at + 10, 8, true); // XLEN
  out[at + 12] = 0x53; // 'S'
  out[at + 13] = 0x44; // 'D'
  view.setUint16(at + 14, 4, true);
  view.setUint32(at + 16, total, true);
  view.setUint32(at + 20 + deflatedLength, crc >>> 0, true);
  view.setUint32(at + 24 + deflatedLength, inputLength >>> 0, true);
  return at + total;
}

/** A gzip member around raw deflate data, with its length recorded in the SD subfield. */
export function frameMember(deflated: Uint8Array, crc: number, inputLength: number): Uint8Array {
  const out = new Uint8Array(MEMBER_HEADER_BYTES + deflated.length + TRAILER_BYTES);
  out.set(deflated, MEMBER_HEADER_BYTES);
  writeMemberFrame(out, 0, deflated.length, crc, inputLength);
  return out;
}

export type MemberHead =
  /** More bytes are needed to decide. */
  | { kind: 'need'; bytes: number }
  /** A member that records its length: where its deflate data starts and where it ends. */
  | { kind: 'tagged'; headerLength: number; memberLength: number }
  /** A gzip member without a usable length (another writer's): read it as a plain stream. */
  | { kind: 'plain' }
  /** Not a gzip member at all. */
  | { kind: 'garbage' };

/**
 * Reads the start of a member from `buf` (the bytes at a member boundary).
 * Only the exact shape `frameMember` writes counts as tagged; any other
 * header, however valid, is left to the ordinary streaming reader.
 */
export function readMemberHead(buf: Buffer): MemberHead {
  // Decided on the first byte when it can be: a lone zero byte of padding at the very end is not a cut member.
  if (buf.length >= 1 && buf[0] !== 0x1f) return { kind: 'garbage' };
  if (buf.length < 2) return { kind: 'need', bytes: 2 };
  if (buf[1] !== 0x8b) return { kind: 'garbage' };
  if (buf.length < 12) return { kind: 'need', bytes: 12 };
  const flags = buf[3] as number;
  if (buf[2] !== 8 || flags !== 4) return { kind: 'plain' };
  const xlen = buf.readUInt16LE(10);
  if (xlen !== 8) return { kind: 'plain' };
  if (buf.length < MEMBER_HEADER_BYTES) return { kind: 'need', bytes: MEMBER_HEADER_BYTES };
  if (buf[12] !== 0x53 || buf[13] !== 0x44 || buf.readUInt16LE(14) !== 4) return { kind: 'plain' };
  const memberLength = buf.readUInt32LE(16);
  if (memberLength < MEMBER_HEADER_BYTES + TRAILER_BYTES + 2 || memberLength > MAX_TAGGED_MEMBER) return { kind: 'plain' };
  return { kind: 'tagged', headerLength: MEMBER_HEADER_BYTES, memberLength };
}

/** CRC32 and ISIZE from the last 8 bytes of a member. */
export function memberTrailer(member: Buffer): { crc: number; size: number } {
  return { crc: member.readUInt32LE(member.length - TRAILER_BYTES), size: member.readUInt32LE(member.length - 4) };
}
