/**
 * A byte-level tar writer for tests: every field of a ustar/GNU header can be
 * set (or broken) by hand, so a test can build any malformed archive an
 * attacker or a flaky disk could produce. Nothing here validates input on
 * purpose.
 */

export const BLOCK = 512;

export type Bytes = string | Buffer;

export interface HeaderFields {
  /** Raw bytes allowed (e.g. a NUL or control character inside the name). */
  name?: Bytes;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  /** Raw replacement for the 12-byte size field (e.g. non-octal text). */
  sizeField?: Bytes;
  mtime?: number;
  /** One character: '0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, 'x' PAX, 'g' global PAX, 'S' old GNU sparse, 'L' GNU long name. */
  typeflag?: string;
  linkname?: Bytes;
  /** 'ustar' (POSIX, "ustar\0" + "00"), 'gnu' ("ustar  \0"), or raw 8 bytes for magic+version. */
  magic?: 'ustar' | 'gnu' | Buffer;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  prefix?: Bytes;
  /** 'valid' (default), 'invalid' (valid + 1), or an exact value to store. */
  checksum?: 'valid' | 'invalid' | number;
  /** Writes raw bytes at offsets of the finished header (applied before the checksum). */
  patch?: { offset: number; bytes: Buffer }[];
}

const toBuf = (b: Bytes): Buffer => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b);

function put(block: Buffer, offset: number, width: number, value: Bytes): void {
  const bytes = toBuf(value);
  bytes.copy(block, offset, 0, Math.min(bytes.length, width));
}

/** An octal number field: width-1 digits and a NUL; base-256 when it does not fit (GNU/star extension). */
function putNumber(block: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8);
  if (value >= 0 && digits.length <= width - 1) {
    put(block, offset, width, digits.padStart(width - 1, '0') + '\0');
    return;
  }
  // Base-256: high bit of the first byte set, big-endian two's complement.
  let v = BigInt(value);
  for (let i = width - 1; i >= 1; i--) {
    block[offset + i] = Number(BigInt.asUintN(8, v));
    v >>= 8n;
  }
  block[offset] = value < 0 ? 0xff : 0x80;
}

/** The checksum as tar defines it: sum of all header bytes with the checksum field read as spaces. */
export function headerChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function writeChecksum(block: Buffer, value: number): void {
  put(block, 148, 8, value.toString(8).padStart(6, '0') + '\0 ');
}

/** One 512-byte header block. Defaults describe a regular file of `size` bytes, POSIX ustar as cocoon writes it. */
export function header(f: HeaderFields = {}): Buffer {
  const block = Buffer.alloc(BLOCK);
  put(block, 0, 100, f.name ?? 'file');
  putNumber(block, 100, 8, f.mode ?? 0o644);
  putNumber(block, 108, 8, f.uid ?? 0);
  putNumber(block, 116, 8, f.gid ?? 0);
  if (f.sizeField !== undefined) {
    block.fill(0, 124, 136);
    put(block, 124, 12, f.sizeField);
  } else {
    putNumber(block, 124, 12, f.size ?? 0);
  }
  putNumber(block, 136, 12, f.mtime ?? 1_764_288_000);
  put(block, 156, 1, f.typeflag ?? '0');
  put(block, 157, 100, f.linkname ?? '');
  const magic = f.magic ?? 'ustar';
  if (magic === 'ustar') put(block, 257, 8, 'ustar\x0000');
  else if (magic === 'gnu') put(block, 257, 8, 'ustar  \0');
  else put(block, 257, 8, magic);
  put(block, 265, 32, f.uname ?? '');
  put(block, 297, 32, f.gname ?? '');
  if (f.devmajor !== undefined) putNumber(block, 329, 8, f.devmajor);
  if (f.devminor !== undefined) putNumber(block, 337, 8, f.devminor);
  if (f.prefix !== undefined) put(block, 345, 155, f.prefix);
  for (const p of f.patch ?? []) p.bytes.copy(block, p.offset);
  const sum = headerChecksum(block);
  const cks = f.checksum ?? 'valid';
  writeChecksum(block, cks === 'valid' ? sum : cks === 'invalid' ? sum + 1 : cks);
  return block;
}

/** Zero padding that brings `length` bytes up to a whole number of blocks. */
export function padding(length: number): Buffer {
  const rest = length % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** Header + body + padding. `size` defaults to the body length (override it to lie). */
export function entry(fields: HeaderFields, body: Bytes = Buffer.alloc(0)): Buffer {
  const data = toBuf(body);
  return Buffer.concat([header({ size: data.length, ...fields }), data, padding(data.length)]);
}

/** A regular-file entry. */
export function fileEntry(name: Bytes, body: Bytes, fields: HeaderFields = {}): Buffer {
  return entry({ name, typeflag: '0', ...fields }, body);
}

/** PAX extended-header records, each "<len> <key>=<value>\n" where len counts the whole record. */
export function paxRecords(records: Record<string, Bytes> | [string, Bytes][]): Buffer {
  const list = Array.isArray(records) ? records : Object.entries(records);
  return Buffer.concat(
    list.map(([key, value]) => {
      const payload = Buffer.concat([Buffer.from(` ${key}=`), toBuf(value), Buffer.from('\n')]);
      let len = payload.length + 1;
      while (String(len).length + payload.length !== len) len = String(len).length + payload.length;
      return Buffer.concat([Buffer.from(String(len)), payload]);
    }),
  );
}

/** A PAX 'x' header entry carrying `records` (a Buffer is used verbatim, for malformed record text). */
export function paxEntry(records: Record<string, Bytes> | [string, Bytes][] | Buffer, fields: HeaderFields = {}): Buffer {
  const data = Buffer.isBuffer(records) ? records : paxRecords(records);
  return entry({ name: 'PaxHeaders/file', typeflag: 'x', mode: 0, ...fields }, data);
}

/** The end-of-archive marker: two zero blocks (GNU tar pads further to a 10 KiB record). */
export function endOfArchive(blocks = 2): Buffer {
  return Buffer.alloc(blocks * BLOCK);
}

/** Concatenates parts and, unless `end: false`, appends the end-of-archive marker. */
export function tarOf(parts: Buffer[], opts: { end?: boolean } = {}): Buffer {
  return Buffer.concat(opts.end === false ? parts : [...parts, endOfArchive()]);
}

/** A config that passes every check, named so it does not collide with seeded snapshots. */
export function goodConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { cpu: 2, memory: 1_073_741_824, id: 'CRAFTEDCRAFTEDCRAFTEDCRAFT', name: 'crafted', hypervisor: 'cloud-hypervisor', ...overrides };
}

/** Pass as the version to leave the "version" field out (undefined would take the default). */
export const OMIT = Symbol('omit');

/** The envelope text exactly as cocoon writes it: 2-space indentation and a trailing newline. */
export function envelopeText(config: unknown = goodConfig(), version: unknown = 1): string {
  const env: Record<string, unknown> = { config };
  if (version !== OMIT) env.version = version;
  return JSON.stringify(env, null, 2) + '\n';
}

/** The snapshot.json entry (body may be any bytes, for malformed envelopes). */
export function envelopeEntry(body: Bytes = envelopeText(), fields: HeaderFields = {}): Buffer {
  return fileEntry('snapshot.json', body, fields);
}

export interface Segment {
  o: number;
  l: number;
}

export interface SparseOptions {
  /** Replaces the COCOON.sparse.map value (any text, for malformed maps). */
  mapText?: string;
  /** Replaces the COCOON.sparse.size value. */
  sizeText?: string;
  /** Overrides the header size (defaults to the sum of segment lengths). */
  entrySize?: number;
  /** Body bytes; defaults to a recognizable pattern of the entry size. */
  body?: Buffer;
}

/** A deterministic, non-zero byte pattern (so data never looks like a hole). */
export function pattern(length: number, seed = 7): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = ((i * 31 + seed) % 251) + 1;
  return b;
}

/** A cocoon sparse file: a PAX entry with COCOON.sparse.map/size, then the packed segment bytes. */
export function sparseEntry(name: string, segments: Segment[], realSize: number, opts: SparseOptions = {}): Buffer {
  const dataLen = segments.reduce((n, s) => n + s.l, 0);
  const body = opts.body ?? pattern(opts.entrySize ?? dataLen);
  return Buffer.concat([
    paxEntry([
      ['COCOON.sparse.map', opts.mapText ?? JSON.stringify(segments)],
      ['COCOON.sparse.size', opts.sizeText ?? String(realSize)],
    ]),
    entry({ name, typeflag: '0', size: opts.entrySize ?? body.length }, body),
  ]);
}

/**
 * GNU writers end every sparse map with a zero-length segment at the real
 * size when the file ends in a hole; GNU tar sizes the file from the map.
 */
function gnuMap(segments: Segment[], realSize: number): Segment[] {
  const last = segments[segments.length - 1];
  return last && last.o + last.l < realSize ? [...segments, { o: realSize, l: 0 }] : segments;
}

/**
 * An old-GNU sparse entry (typeflag 'S'): up to four (offset, numbytes) pairs
 * in the header at byte 386, the real size at byte 483, then the data bytes.
 */
export function gnuOldSparseEntry(name: string, segments: Segment[], realSize: number): Buffer {
  const dataLen = segments.reduce((n, s) => n + s.l, 0);
  const patch: { offset: number; bytes: Buffer }[] = [];
  gnuMap(segments, realSize).slice(0, 4).forEach((s, i) => {
    const pair = Buffer.alloc(24);
    put(pair, 0, 12, s.o.toString(8).padStart(11, '0') + '\0');
    put(pair, 12, 12, s.l.toString(8).padStart(11, '0') + '\0');
    patch.push({ offset: 386 + i * 24, bytes: pair });
  });
  const real = Buffer.alloc(12);
  put(real, 0, 12, realSize.toString(8).padStart(11, '0') + '\0');
  patch.push({ offset: 483, bytes: real });
  const body = pattern(dataLen);
  return Buffer.concat([header({ name, typeflag: 'S', magic: 'gnu', size: dataLen, patch }), body, padding(dataLen)]);
}

/** A GNU PAX 0.0 sparse file: GNU.sparse.size / numblocks / offset / numbytes records. */
export function gnuPax00SparseEntry(name: string, segments: Segment[], realSize: number): Buffer {
  const records: [string, string][] = [
    ['GNU.sparse.size', String(realSize)],
    ['GNU.sparse.numblocks', String(gnuMap(segments, realSize).length)],
  ];
  for (const s of gnuMap(segments, realSize)) records.push(['GNU.sparse.offset', String(s.o)], ['GNU.sparse.numbytes', String(s.l)]);
  const dataLen = segments.reduce((n, s) => n + s.l, 0);
  return Buffer.concat([paxEntry(records), fileEntry(name, pattern(dataLen))]);
}

/** A GNU PAX 0.1 sparse file: one GNU.sparse.map record "off,len,off,len". */
export function gnuPax01SparseEntry(name: string, segments: Segment[], realSize: number): Buffer {
  const map = gnuMap(segments, realSize)
    .flatMap((s) => [s.o, s.l])
    .join(',');
  const dataLen = segments.reduce((n, s) => n + s.l, 0);
  return Buffer.concat([
    paxEntry([
      ['GNU.sparse.size', String(realSize)],
      ['GNU.sparse.numblocks', String(gnuMap(segments, realSize).length)],
      ['GNU.sparse.map', map],
    ]),
    fileEntry(name, pattern(dataLen)),
  ]);
}

export interface GnuPax10Options {
  /** Replaces the GNU.sparse.name record (the real name). */
  sparseName?: string;
  /** Replaces the GNU.sparse.realsize record. */
  realSizeText?: string;
  /** Data bytes after the map block (default: the sum of segment lengths). */
  dataLength?: number;
}

/** A GNU PAX 1.0 sparse file: the map is a text block at the start of the body. */
export function gnuPax10SparseEntry(name: string, segments: Segment[], realSize: number, opts: GnuPax10Options = {}): Buffer {
  const map = gnuMap(segments, realSize);
  const mapText = [String(map.length), ...map.flatMap((s) => [String(s.o), String(s.l)])].join('\n') + '\n';
  const mapBlock = Buffer.concat([Buffer.from(mapText), padding(mapText.length)]);
  const dataLen = opts.dataLength ?? segments.reduce((n, s) => n + s.l, 0);
  return Buffer.concat([
    paxEntry([
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.name', opts.sparseName ?? name],
      ['GNU.sparse.realsize', opts.realSizeText ?? String(realSize)],
    ]),
    fileEntry(`GNUSparseFile.0/${name}`, Buffer.concat([mapBlock, pattern(dataLen)])),
  ]);
}

/** A minimal valid archive body (envelope + one small file), without the end marker. */
export function validParts(config: unknown = goodConfig()): Buffer[] {
  return [envelopeEntry(envelopeText(config)), fileEntry('state.json', '{"ok":true}\n')];
}

/**
 * Archive layouts of gigabytes that compress to megabytes, as streams of
 * pieces for PieceGzip (gzip-craft): a piece repeated as the same Buffer
 * object costs its compressed size once. Each attacks one per-archive
 * accumulation of a reader; `count` scales the attack.
 */
export const bombLayouts = {
  /** `count` stacked PAX headers before snapshot.json, each with 100 records of distinct keys and 64 KiB values. */
  *stackedPax(count: number): Generator<Buffer> {
    const value = Buffer.alloc(64 * 1024, 'a');
    const perHeader = 100;
    const key = (h: number, r: number): string => `k${String(h).padStart(7, '0')}.${String(r).padStart(3, '0')}`;
    const recordLen = paxRecords([[key(0, 0), value]]).length;
    const size = perHeader * recordLen;
    const head = header({ name: 'PaxHeaders/stacked', typeflag: 'x', mode: 0, size });
    const pad = padding(size);
    const newline = Buffer.from('\n');
    for (let h = 0; h < count; h++) {
      yield head;
      for (let r = 0; r < perHeader; r++) {
        yield Buffer.from(`${recordLen} ${key(h, r)}=`);
        yield value;
        yield newline;
      }
      if (pad.length > 0) yield pad;
    }
    yield* validParts();
    yield endOfArchive();
  },

  /** `count` GNU long-name headers of 4 KiB before snapshot.json (each replaces the last). */
  *repeatedLongNames(count: number): Generator<Buffer> {
    const long = entry({ name: '././@LongLink', typeflag: 'L', magic: 'gnu' }, `${'n'.repeat(4095)}\0`);
    for (let i = 0; i < count; i++) yield long;
    yield* validParts();
    yield endOfArchive();
  },

  /** `count` global PAX headers of 1 MiB (a harmless comment) before snapshot.json. */
  *repeatedGlobals(count: number): Generator<Buffer> {
    const comment = 'c'.repeat(1024 * 1024 - 32);
    const global = paxEntry([['comment', comment]], { typeflag: 'g', name: 'pax_global_header' });
    for (let i = 0; i < count; i++) yield global;
    yield* validParts();
    yield endOfArchive();
  },

  /** `count` data files, each after a PAX header of 7.5 MiB (one comment record): the whole archive's extended bytes. */
  *bigHeaderPerEntry(count: number): Generator<Buffer> {
    yield envelopeEntry();
    const pax = paxEntry([['comment', 'c'.repeat(7.5 * 1024 * 1024)]]);
    for (let i = 0; i < count; i++) {
      yield pax;
      yield fileEntry(`f${i}`, 'x');
    }
    yield endOfArchive();
  },

  /** A COCOON.sparse.map of `count` empty segments {"o":0,"l":0} (about 14 bytes of map text each). */
  *tinyCocoonSegments(count: number): Generator<Buffer> {
    yield envelopeEntry();
    const map = `[${'{"o":0,"l":0},'.repeat(count - 1)}{"o":0,"l":0}]`;
    yield paxEntry([
      ['COCOON.sparse.map', map],
      ['COCOON.sparse.size', '4096'],
    ]);
    yield fileEntry('cow.raw', '');
    yield endOfArchive();
  },

  /**
   * A COCOON.sparse.map of `count` one-byte segments far apart (about 27
   * bytes of map text each), the costliest map that parses; the entry holds
   * one byte less than the map describes, so it is refused after parsing.
   */
  *fullCocoonMap(count: number): Generator<Buffer> {
    yield envelopeEntry();
    const base = 1_000_000_000_000;
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(`{"o":${base + i * 4096},"l":1}`);
    yield paxEntry([
      ['COCOON.sparse.map', `[${parts.join(',')}]`],
      ['COCOON.sparse.size', String(base + count * 4096)],
    ]);
    yield fileEntry('cow.raw', pattern(count - 1));
    yield endOfArchive();
  },

  /** The same as a GNU PAX 1.0 sparse map. */
  *fullGnuMap(count: number): Generator<Buffer> {
    yield envelopeEntry();
    const base = 1_000_000_000_000;
    const lines: string[] = [String(count)];
    for (let i = 0; i < count; i++) lines.push(String(base + i * 4096), '1');
    const text = `${lines.join('\n')}\n`;
    yield paxEntry([
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.name', 'cow.raw'],
      ['GNU.sparse.realsize', String(base + count * 4096)],
    ]);
    yield fileEntry('GNUSparseFile.0/cow.raw', Buffer.concat([Buffer.from(text), padding(text.length), pattern(count - 1)]));
    yield endOfArchive();
  },

  /** A GNU PAX 1.0 sparse map of `count` empty segments ("0\n0\n" each). */
  *tinyGnuSegments(count: number): Generator<Buffer> {
    yield envelopeEntry();
    const text = `${count}\n${'0\n0\n'.repeat(count)}`;
    const mapBlock = Buffer.concat([Buffer.from(text), padding(text.length)]);
    yield paxEntry([
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.name', 'cow.raw'],
      ['GNU.sparse.realsize', '4096'],
    ]);
    yield fileEntry('GNUSparseFile.0/cow.raw', mapBlock);
    yield endOfArchive();
  },
};

export type BombLayout = keyof typeof bombLayouts;
