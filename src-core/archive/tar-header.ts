/**
 * The 512-byte tar header block (POSIX ustar, with the GNU magic accepted on
 * read) and PAX extended records. Written here rather than taken from a
 * library because import must see every raw field (typeflag 'S', the prefix,
 * base-256 sizes) to refuse what it does not understand, and export must
 * control exactly which records a >8 GiB sparse entry carries.
 */
import { isUtf8 } from 'node:buffer';
import { invalidArchive, quoteArchiveText } from './archive-errors';

export const BLOCK = 512;
const USTAR_MAGIC = Buffer.from('ustar\u000000', 'latin1');
const GNU_MAGIC = Buffer.from('ustar  \u0000', 'latin1');
/** Largest size the 11 octal digits of the ustar size field hold (8 GiB - 1). */
export const MAX_OCTAL_SIZE = 0o77777777777;

export interface RawHeader {
  /** name field (with the ustar prefix joined by "/"), decoded as UTF-8. */
  name: string;
  /** The raw name bytes, to detect names that are not valid UTF-8. */
  nameIsUtf8: boolean;
  mode: number;
  size: number;
  mtime: number;
  /** One character; "\0" is normalized to "0". */
  typeflag: string;
  linkname: string;
  format: 'ustar' | 'gnu';
}

/** Bytes needed to pad `size` to whole blocks. */
export const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

export function isZeroBlock(block: Buffer, offset = 0): boolean {
  for (let i = offset; i < offset + BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(block: Buffer, start: number, width: number): Buffer {
  const end = block.indexOf(0, start);
  return block.subarray(start, end === -1 || end > start + width ? start + width : end);
}

/** The text of `bytes` and whether they were valid UTF-8 (checked in place: a PAX value can be megabytes). */
function decodeUtf8(bytes: Buffer): { text: string; ok: boolean } {
  return { text: bytes.toString('utf8'), ok: isUtf8(bytes) };
}

/**
 * A numeric field: octal text (spaces/NULs around it) or GNU base-256 (high
 * bit set). Negative base-256 numbers are refused unless `signed` (a time:
 * GNU tar writes files dated before 1970 that way, and Go reads them).
 */
export function parseNumeric(block: Buffer, start: number, width: number, field: string, signed = false): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    if (first === 0xff && signed) {
      // Two's complement over the field's bytes, the marker bit included.
      let value = 0n;
      for (let i = start; i < start + width; i++) value = (value << 8n) | BigInt(block[i] ?? 0);
      const negative = value - (1n << BigInt(8 * width));
      if (negative < BigInt(Number.MIN_SAFE_INTEGER)) throw invalidArchive(`tar header field "${field}" is too large`);
      return Number(negative);
    }
    if (first !== 0x80) throw invalidArchive(`tar header field "${field}" holds a negative base-256 number`);
    let value = 0;
    for (let i = start + 1; i < start + width; i++) value = value * 256 + (block[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw invalidArchive(`tar header field "${field}" is too large`);
    return value;
  }
  const text = block.toString('latin1', start, start + width).replace(/^[ \0]+|[ \0]+$/g, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw invalidArchive(`tar header field "${field}" is not an octal number (${quoteArchiveText(text)})`);
  const value = parseInt(text, 8);
  if (!Number.isSafeInteger(value)) throw invalidArchive(`tar header field "${field}" is too large`);
  return value;
}

/** Decodes a non-zero header block; a bad checksum or unknown format is invalid_archive. */
export function decodeHeader(block: Buffer, archiveOffset: number): RawHeader {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  let stored: number | null;
  try {
    stored = parseNumeric(block, 148, 8, 'checksum');
  } catch {
    // Not even a number where the checksum goes: random bytes, or another format.
    stored = null;
  }
  if (stored !== unsigned && stored !== signed) {
    if (archiveOffset === 0) throw invalidArchive('the file is not a tar archive (nor gzip-compressed tar): its first block is not a tar header', { offset: 0 });
    throw invalidArchive(`the tar header at byte ${archiveOffset} has a bad checksum (not a tar archive, or it is corrupt)`, { offset: archiveOffset });
  }
  const magic = block.subarray(257, 265);
  let format: RawHeader['format'];
  if (magic.subarray(0, 6).equals(USTAR_MAGIC.subarray(0, 6))) format = 'ustar';
  else if (magic.equals(GNU_MAGIC)) format = 'gnu';
  else throw invalidArchive(`the tar header at byte ${archiveOffset} is not in ustar, PAX or GNU format`, { offset: archiveOffset });

  let nameBytes = cString(block, 0, 100);
  if (format === 'ustar') {
    const prefix = cString(block, 345, 155);
    if (prefix.length > 0) nameBytes = Buffer.concat([prefix, Buffer.from('/'), nameBytes]);
  }
  const name = decodeUtf8(nameBytes);
  const flag = block[156] ?? 0;
  return {
    name: name.text,
    nameIsUtf8: name.ok,
    mode: parseNumeric(block, 100, 8, 'mode'),
    size: parseNumeric(block, 124, 12, 'size'),
    mtime: parseNumeric(block, 136, 12, 'mtime', true),
    typeflag: flag === 0 ? '0' : String.fromCharCode(flag),
    linkname: cString(block, 157, 100).toString('utf8'),
    format,
  };
}

function putOctal(block: Buffer, start: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, start, width, 'latin1');
}

export interface HeaderInit {
  /** At most 100 bytes; longer names go in a PAX "path" record. */
  name: string;
  size: number;
  mode?: number;
  mtime?: number;
  typeflag?: string;
}

/** One ustar header block. Sizes past 8 GiB use base-256 (the PAX "size" record carries them too). */
export function encodeHeader(init: HeaderInit): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(init.name, 0, 100, 'utf8');
  putOctal(block, 100, 8, init.mode ?? 0o644);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  if (init.size <= MAX_OCTAL_SIZE) {
    putOctal(block, 124, 12, init.size);
  } else {
    block[124] = 0x80;
    let v = init.size;
    for (let i = 135; i > 124; i--) {
      block[i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  putOctal(block, 136, 12, Math.max(0, Math.floor(init.mtime ?? 0)));
  block.write(init.typeflag ?? '0', 156, 1, 'latin1');
  USTAR_MAGIC.copy(block, 257);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i] ?? 0;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

/** PAX records "<len> <key>=<value>\n", where len counts the whole record in bytes. */
export function encodePaxRecords(records: [string, string][]): Buffer {
  const parts: string[] = [];
  for (const [key, value] of records) {
    const body = ` ${key}=${value}\n`;
    const bodyLen = Buffer.byteLength(body, 'utf8');
    let len = bodyLen + String(bodyLen).length;
    if (String(len).length !== String(bodyLen).length) len = bodyLen + String(len).length;
    parts.push(`${len}${body}`);
  }
  return Buffer.from(parts.join(''), 'utf8');
}

const MAX_PAX_KEY_BYTES = 1024;

/**
 * Parses PAX records strictly: any malformed record is invalid_archive (a
 * lenient parse could skip a path). Only records whose key passes `keep`
 * are decoded and returned: the values of the rest (comments, times,
 * xattrs) never become strings. More than `maxRecords` kept records is
 * invalid too: each costs memory beyond its bytes.
 */
export function decodePaxRecords(data: Buffer, maxRecords = Infinity, keep: (key: string) => boolean = () => true): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const lenText = space === -1 || space - at > 16 ? '' : data.toString('latin1', at, space);
    if (!/^[1-9][0-9]{0,15}$/.test(lenText)) throw invalidArchive('a PAX extended header record has a malformed length');
    const len = Number(lenText);
    const end = at + len;
    if (end > data.length || data[end - 1] !== 0x0a) throw invalidArchive('a PAX extended header record is truncated or malformed');
    const record = data.subarray(space + 1, end - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw invalidArchive('a PAX extended header record has no key');
    at = end;
    // No key this reader looks at is longer; a longer one is skipped without becoming a string.
    if (eq > MAX_PAX_KEY_BYTES) continue;
    const key = record.toString('utf8', 0, eq);
    if (!keep(key)) continue;
    if (records.size >= maxRecords) throw invalidArchive('an entry carries too many PAX extended header records (a snapshot file has a handful)');
    const value = decodeUtf8(record.subarray(eq + 1));
    if (!value.ok && (key === 'path' || key === 'linkpath' || key.startsWith('GNU.sparse.name'))) {
      throw invalidArchive(`the PAX record "${key}" is not valid UTF-8`);
    }
    records.set(key, value.text);
  }
  return records;
}
