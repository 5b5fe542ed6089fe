/**
 * A strict streaming tar reader for snapshot archives: it yields regular
 * file entries only (with their sparse maps resolved) and turns everything
 * else — links, devices, directories, unknown types, malformed headers,
 * truncation, garbage after the end marker — into a typed error.
 */
import { invalidArchive, quoteArchiveText, unsupportedArchive } from './archive-errors';
import type { ByteReader } from './byte-reader';
import { assertPlainName, isArchiveRootDir, withoutDotSlash } from './entry-name';
import { LoopTurns } from './loop-turns';
import { COCOON_SPARSE_MAP, COCOON_SPARSE_SIZE, MAX_MAP_BYTES, parseCocoonSparse, parseDecimal, readGnuSparseMap, validateSegments, type Segment } from './sparse-map';
import { BLOCK, decodeHeader, decodePaxRecords, isZeroBlock, padding } from './tar-header';

export interface TarEntry {
  name: string;
  /** Apparent size of the file once extracted. */
  realSize: number;
  /** File bytes that follow in the body (after a GNU sparse map, if any). */
  dataSize: number;
  /** Data segments of a sparse entry; null for a plain entry (one segment covering the file). */
  segments: Segment[] | null;
  mode: number;
  mtime: number;
}

/**
 * Extended-header bytes (PAX 'x' and 'g' headers, GNU long names) allowed
 * before one entry, however many headers they are split into: one full
 * sparse map and room for the usual records. Every header's records live
 * until its entry is read, so without a bound across stacked headers a
 * small gzip could pile gigabytes of records into memory.
 */
export const MAX_ENTRY_EXTENDED_BYTES = MAX_MAP_BYTES + 1024 * 1024;
/** Extended-header bytes in the whole archive: a few entries with full maps. */
export const MAX_ARCHIVE_EXTENDED_BYTES = 4 * MAX_ENTRY_EXTENDED_BYTES;
/** PAX records before one entry: a snapshot file has a handful; each record costs memory beyond its bytes. */
export const MAX_ENTRY_PAX_RECORDS = 4096;
/** A snapshot has a handful of data files; millions of entries would only exhaust inodes. */
export const MAX_ENTRIES = 10_000;
const MAX_LONG_NAME = 4096;
const MiB = 1024 * 1024;
/**
 * Zero padding read after the end marker: tar writers pad to their record
 * size (10 KiB for GNU tar, at most a few MiB with a large blocking
 * factor); gigabytes of zeros there only cost time to inflate.
 */
export const MAX_TRAILING_ZEROS = 64 * MiB;

const NOT_REGULAR: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  K: 'a hard or symbolic link',
};

/**
 * Records that change how an entry is read: the only ones kept from a PAX
 * header, and the ones a global header must not set for every entry.
 */
const PER_ENTRY_KEYS = /^(path|linkpath|size|GNU\.sparse\..*|COCOON\..*)$/;
const isPerEntryKey = (key: string): boolean => PER_ENTRY_KEYS.test(key);

const ZEROS = Buffer.alloc(64 * 1024);

function isAllZero(buf: Buffer): boolean {
  for (let at = 0; at < buf.length; at += ZEROS.length) {
    const end = Math.min(buf.length, at + ZEROS.length);
    if (buf.compare(ZEROS, 0, end - at, at, end) !== 0) return false;
  }
  return true;
}

export class TarReader {
  private left = 0;
  private pad = 0;
  private current = '';
  private finished = false;
  private entries = 0;
  /** Extended-header bytes read in the whole archive so far. */
  private extendedBytes = 0;
  /**
   * `turns` paces the reading and checking of sparse maps, which can hold
   * hundreds of thousands of segments: they are handled in slices, with
   * turns of the event loop in between.
   */
  constructor(
    private readonly reader: ByteReader,
    private readonly turns = new LoopTurns(),
  ) {}

  /** Bytes of the tar stream consumed so far. */
  get position(): number {
    return this.reader.position;
  }

  /** Body bytes of the current entry not read yet. */
  get remaining(): number {
    return this.left;
  }

  private truncated(where: string): Error {
    return invalidArchive(`the archive is truncated (it ends ${where})`);
  }

  private async readExact(n: number, where: string): Promise<Buffer> {
    const buf = await this.reader.read(n);
    if (!buf) throw this.truncated(where);
    return buf;
  }

  /** Up to `max` bytes of the current entry's body (a view; consume before the next call). */
  async readData(max: number): Promise<Buffer> {
    const part = await this.reader.readSome(Math.min(max, this.left));
    if (!part) throw this.truncated(`inside the data of "${this.current}"`);
    this.left -= part.length;
    return part;
  }

  /** The next regular-file entry, or null at the end-of-archive marker. */
  async next(): Promise<TarEntry | null> {
    if (this.finished) return null;
    if (this.left + this.pad > 0) {
      if (!(await this.reader.skip(this.left + this.pad))) throw this.truncated(`inside the data of "${this.current}"`);
      this.left = 0;
      this.pad = 0;
    }
    const pax = new Map<string, string>();
    let longName: string | null = null;
    let sawPax = false;
    let entryExtended = 0;
    let entryRecords = 0;
    /**
     * Counts an extended header (its header block too, so a pile of empty
     * ones is bounded as well) against the entry's and the archive's budgets
     * before its body is read.
     */
    const budget = (size: number, headerOffset: number): void => {
      entryExtended += size;
      this.extendedBytes += size;
      if (entryExtended > MAX_ENTRY_EXTENDED_BYTES) {
        throw invalidArchive(
          `the extended headers before the entry at byte ${headerOffset} add up to more than ${MAX_ENTRY_EXTENDED_BYTES / MiB} MiB (stacked PAX or GNU long-name headers); a snapshot file needs a fraction of that`,
          { offset: headerOffset },
        );
      }
      if (this.extendedBytes > MAX_ARCHIVE_EXTENDED_BYTES) {
        throw invalidArchive(`the archive's extended headers add up to more than ${MAX_ARCHIVE_EXTENDED_BYTES / MiB} MiB (at byte ${headerOffset}); a snapshot archive needs a fraction of that`, {
          offset: headerOffset,
        });
      }
    };
    const recordsLeft = (): number => MAX_ENTRY_PAX_RECORDS - entryRecords;
    for (;;) {
      const headerOffset = this.reader.position;
      const block = await this.reader.read(BLOCK);
      if (!block) throw this.truncated(headerOffset === 0 ? 'before the first entry' : 'without an end-of-archive marker');
      if (isZeroBlock(block)) {
        if (pax.size > 0 || longName !== null) throw invalidArchive('the archive ends right after an extended header');
        this.finished = true;
        return null;
      }
      const h = decodeHeader(block, headerOffset);
      const where = `in the extended header at byte ${headerOffset}`;
      switch (h.typeflag) {
        case 'x': {
          // Go's archive/tar (cocoon's reader) keeps only the last of two, where this reader merged them: what this
          // app checked would not be what cocoon extracts.
          if (sawPax) throw invalidArchive(`the entry at byte ${headerOffset} follows two PAX extended headers; only one may describe an entry`, { offset: headerOffset });
          sawPax = true;
          if (h.size > MAX_ENTRY_EXTENDED_BYTES) throw invalidArchive(`the PAX extended header at byte ${headerOffset} is too large (${h.size} bytes)`, { offset: headerOffset });
          budget(BLOCK + h.size, headerOffset);
          const data = await this.readExact(h.size, where);
          const records = decodePaxRecords(data, recordsLeft(), isPerEntryKey);
          entryRecords += records.size;
          for (const [k, v] of records) pax.set(k, v);
          if (!(await this.reader.skip(padding(h.size)))) throw this.truncated(where);
          continue;
        }
        case 'g': {
          if (h.size > MiB) throw invalidArchive(`the PAX global header at byte ${headerOffset} is too large`);
          budget(BLOCK + h.size, headerOffset);
          const data = await this.readExact(h.size, where);
          const records = decodePaxRecords(data, recordsLeft(), isPerEntryKey);
          entryRecords += records.size;
          for (const key of records.keys()) {
            if (PER_ENTRY_KEYS.test(key)) throw invalidArchive(`a PAX global header sets ${quoteArchiveText(key)} for every entry`);
          }
          if (!(await this.reader.skip(padding(h.size)))) throw this.truncated(where);
          continue;
        }
        case 'L': {
          if (longName !== null) throw invalidArchive(`the entry at byte ${headerOffset} follows two GNU long-name extended headers; only one may name an entry`, { offset: headerOffset });
          if (h.size > MAX_LONG_NAME) throw invalidArchive(`a GNU long name at byte ${headerOffset} is too long`);
          budget(BLOCK + h.size, headerOffset);
          const data = await this.readExact(h.size, where);
          const end = data.indexOf(0);
          longName = data.toString('utf8', 0, end === -1 ? data.length : end);
          if (!(await this.reader.skip(padding(h.size)))) throw this.truncated(where);
          continue;
        }
        case 'S':
          throw unsupportedArchive(`entry ${quoteArchiveText(h.name)} uses the old GNU sparse format; re-create the archive with PAX sparse entries (tar --format=pax --sparse)`);
        case '0':
        case '7':
          break;
        default: {
          if (h.typeflag === '5' && h.size === 0 && isArchiveRootDir(pax.get('path') ?? longName ?? h.name)) {
            // The directory the archive was made from (tar -C DIR .): nothing to extract.
            pax.clear();
            longName = null;
            sawPax = false;
            continue;
          }
          const kind = NOT_REGULAR[h.typeflag];
          const name = quoteArchiveText(pax.get('path') ?? longName ?? h.name);
          if (kind) throw invalidArchive(`entry ${name} is ${kind}; snapshot archives hold regular files only`, { entry: name });
          throw unsupportedArchive(`entry ${name} has the unknown tar entry type ${quoteArchiveText(h.typeflag)}`, { entry: name });
        }
      }
      if (pax.has('path') && longName !== null) {
        // Go's archive/tar takes the long name, where this reader took the PAX path: the two must not both be there.
        throw invalidArchive(`the entry at byte ${headerOffset} is named twice, by a GNU long name (${quoteArchiveText(longName)}) and a PAX path (${quoteArchiveText(pax.get('path') ?? '')}); only one may name an entry`, {
          offset: headerOffset,
        });
      }
      if (!h.nameIsUtf8 && !pax.has('path') && longName === null) throw invalidArchive(`the name of the entry at byte ${headerOffset} is not valid UTF-8`);
      let name = withoutDotSlash(pax.get('path') ?? longName ?? h.name);
      const sizeRecord = pax.get('size');
      const size = sizeRecord === undefined ? h.size : parseDecimal(sizeRecord, `the PAX size of ${quoteArchiveText(name)}`);
      this.current = name;
      this.left = size;
      this.pad = padding(size);
      let realSize = size;
      let dataSize = size;
      let segments: Segment[] | null = null;

      const gnuMajor = pax.get('GNU.sparse.major');
      const gnuKeys = [...pax.keys()].filter((k) => k.startsWith('GNU.sparse.'));
      if (gnuMajor !== undefined || gnuKeys.length > 0) {
        if (gnuMajor !== '1' || pax.get('GNU.sparse.minor') !== '0') {
          const version = gnuMajor !== undefined ? `${quoteArchiveText(gnuMajor)}.${quoteArchiveText(pax.get('GNU.sparse.minor') ?? '?')}` : pax.has('GNU.sparse.map') ? '0.1' : '0.0';
          throw unsupportedArchive(
            `entry ${quoteArchiveText(pax.get('GNU.sparse.name') ?? name)} uses GNU PAX sparse format ${version}; only format 1.0 is read (re-create it with tar --sparse --sparse-version=1.0 --format=pax)`,
          );
        }
        if (pax.has(COCOON_SPARSE_MAP) || pax.has(COCOON_SPARSE_SIZE)) throw invalidArchive(`entry ${quoteArchiveText(name)} has two sparse maps`);
        const realName = pax.get('GNU.sparse.name');
        const realText = pax.get('GNU.sparse.realsize');
        if (realName === undefined || realText === undefined) throw invalidArchive(`the GNU sparse entry ${quoteArchiveText(name)} lacks its name or real size`);
        name = withoutDotSlash(realName);
        this.current = name;
        assertPlainName(name);
        realSize = parseDecimal(realText, `the GNU real size of ${quoteArchiveText(name)}`);
        const map = await readGnuSparseMap(this.reader, size, name, this.turns);
        this.left -= map.mapBytes;
        dataSize = this.left;
        segments = map.segments;
        await validateSegments(segments, realSize, dataSize, name, this.turns);
      } else if (pax.has(COCOON_SPARSE_MAP) || pax.has(COCOON_SPARSE_SIZE)) {
        assertPlainName(name);
        const parsed = await parseCocoonSparse(pax.get(COCOON_SPARSE_MAP), pax.get(COCOON_SPARSE_SIZE), size, name, this.turns);
        segments = parsed.segments;
        realSize = parsed.realSize;
      }
      assertPlainName(name);
      if (++this.entries > MAX_ENTRIES) throw invalidArchive(`the archive holds more than ${MAX_ENTRIES} files; a snapshot has a handful`);
      return { name, realSize, dataSize, segments, mode: h.mode, mtime: h.mtime };
    }
  }

  /** After the end marker: the rest of the stream may only be zero padding. Reads it all, so a gzip trailer gets checked. */
  async finish(): Promise<void> {
    if (!this.finished) throw new Error('TarReader.finish called before the end-of-archive marker');
    const start = this.reader.position;
    for (;;) {
      const part = await this.reader.readSome(MiB);
      if (!part) return;
      if (!isAllZero(part)) throw invalidArchive('there is data after the end-of-archive marker (trailing garbage, or two archives joined together)');
      if (this.reader.position - start > MAX_TRAILING_ZEROS) {
        throw invalidArchive(`the archive goes on with more than ${MAX_TRAILING_ZEROS / MiB} MiB of zeros after its end-of-archive marker; no tar writer pads that much`);
      }
    }
  }
}
