/**
 * The hostile-archive catalogue shared by the import, verify and preview
 * suites: every way an attacker or a flaky disk can break an archive, with
 * the error code an import must answer and a pattern its message must match
 * (the message must name the problem, usually the offending entry).
 *
 * Codes: `unsupported_archive` is for well-formed input this format does not
 * read (a future envelope version, GNU sparse encodings written by other
 * tools); everything malformed or dangerous is `invalid_archive`.
 *
 * End-of-archive marker: Go's archive/tar (cocoon's reader) and GNU tar both
 * treat a clean EOF at a header boundary as the end, but every writer (Go's
 * tar.Writer.Close, GNU tar, tar-stream) writes the two zero blocks. Here an
 * archive without any end marker is refused as truncated, because for a raw
 * tar that is the only way to notice a copy cut exactly between two entries
 * (a snapshot silently missing its memory file). One zero block then EOF is
 * accepted: that is an end marker, just a short one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SEGMENTS } from '../../src-core/archive/sparse-map';
import { MAX_ENTRY_PAX_RECORDS } from '../../src-core/archive/tar-reader';
import { gzip, PieceGzip, randomBytesSeeded, truncated, withBadCrc, withBadIsize, withCorruptBody, withTrailing } from '../helpers/gzip-craft';
import {
  bombLayouts,
  endOfArchive,
  entry,
  envelopeEntry,
  envelopeText,
  fileEntry,
  gnuOldSparseEntry,
  gnuPax00SparseEntry,
  gnuPax01SparseEntry,
  gnuPax10SparseEntry,
  goodConfig,
  header,
  OMIT,
  paxEntry,
  pattern,
  sparseEntry,
  tarOf,
  validParts,
  type Segment,
} from '../helpers/tar-craft';

export type HostileCode = 'invalid_archive' | 'unsupported_archive';

export interface HostileCase {
  /** Completes "import refuses …". */
  title: string;
  /** The archive bytes as a file would hold them. */
  bytes: () => Buffer;
  code: HostileCode;
  /** The message must match this (names the entry or the problem). */
  message: RegExp;
  /** A raw-tar case that is also run gzip-wrapped (the same code is expected either way). */
  alsoGzip?: boolean;
  /** The problem is in or before snapshot.json, so preview must refuse it too. */
  inEnvelope?: boolean;
}

const HOSTILE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hostile');
const fixture = (name: string): Buffer => readFileSync(path.join(HOSTILE_DIR, name));

/** An archive whose second entry is `bad` (after a good snapshot.json). */
const afterEnvelope = (...bad: Buffer[]): Buffer => tarOf([envelopeEntry(), ...bad]);

/** An archive whose envelope body is `text`. */
const withEnvelope = (text: string): Buffer => tarOf([envelopeEntry(text), fileEntry('state.json', '{}\n')]);

const withConfig = (overrides: Record<string, unknown>): Buffer => withEnvelope(envelopeText(goodConfig(overrides)));

const SPARSE_REAL = 65_536;
const sparse = (segments: Segment[], opts: Parameters<typeof sparseEntry>[3] = {}, realSize = SPARSE_REAL): Buffer =>
  afterEnvelope(sparseEntry('cow.raw', segments, realSize, opts));

const valid = (): Buffer => tarOf(validParts());
/** A layout of many repeated pieces, gzip-compressed piece by piece (small however large it inflates). */
const bomb = (pieces: Iterable<Buffer>): Buffer => Buffer.concat([...new PieceGzip().stream(pieces)]);
const MiB = 1024 * 1024;
const ZERO_MIB = Buffer.alloc(MiB);
function* emptyPaxHeaders(count: number): Generator<Buffer> {
  const empty = paxEntry([]);
  for (let i = 0; i < count; i++) yield empty;
  yield* validParts();
  yield endOfArchive();
}

export const hostileCases: HostileCase[] = [
  // The reference archives.
  { title: 'the reference path-traversal archive', bytes: () => fixture('traversal.tar.gz'), code: 'invalid_archive', message: /escape\.txt/ },
  { title: 'the reference symlink archive', bytes: () => fixture('symlink.tar.gz'), code: 'invalid_archive', message: /link/i },
  { title: 'the reference archive without snapshot.json', bytes: () => fixture('no-metadata.tar.gz'), code: 'invalid_archive', message: /snapshot\.json/, inEnvelope: true },
  { title: 'the reference truncated gzip archive', bytes: () => fixture('truncated.tar.gz'), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of (the )?(data|file|stream|input)/i },

  // Entry names that are not one flat file name.
  { title: 'an absolute path', bytes: () => afterEnvelope(fileEntry('/etc/cron.d/evil', 'x')), code: 'invalid_archive', message: /\/etc\/cron\.d\/evil/, alsoGzip: true },
  // A leading "./" is dropped (tar -C DIR . writes it); what follows it must still be one flat name.
  { title: 'a ../ path behind a "./" prefix', bytes: () => afterEnvelope(fileEntry('./../state.json', 'x')), code: 'invalid_archive', message: /\.\.\/state\.json/, alsoGzip: true },
  { title: 'a nested name behind a "./" prefix', bytes: () => afterEnvelope(fileEntry('./sub/state.json', 'x')), code: 'invalid_archive', message: /sub\/state\.json/, alsoGzip: true },
  { title: 'a nested name a/b', bytes: () => afterEnvelope(fileEntry('sub/state.json', 'x')), code: 'invalid_archive', message: /sub\/state\.json/, alsoGzip: true },
  { title: 'a ../ path hidden in the ustar prefix field', bytes: () => afterEnvelope(fileEntry('evil', 'x', { prefix: '../..' })), code: 'invalid_archive', message: /\.\.\/\.\.\/evil/, alsoGzip: true },
  { title: 'a ../ path given by a PAX path record', bytes: () => afterEnvelope(paxEntry({ path: '../evil' }), fileEntry('innocent', 'x')), code: 'invalid_archive', message: /\.\.\/evil/, alsoGzip: true },
  { title: 'a ../ path given by a GNU long-name entry', bytes: () => afterEnvelope(entry({ name: '././@LongLink', typeflag: 'L', magic: 'gnu' }, '../../evil\0'), fileEntry('innocent', 'x', { magic: 'gnu' })), code: 'invalid_archive', message: /\.\.\/\.\.\/evil/, alsoGzip: true },
  { title: 'a name with a NUL byte (PAX path)', bytes: () => afterEnvelope(paxEntry({ path: 'state\0.json' }), fileEntry('state.json', 'x')), code: 'invalid_archive', message: /state/, alsoGzip: true },
  { title: 'a name with a terminal escape sequence', bytes: () => afterEnvelope(fileEntry('state\x1b[31m.json', 'x')), code: 'invalid_archive', message: /state/, alsoGzip: true },
  { title: 'a name with a newline', bytes: () => afterEnvelope(fileEntry('state\n.json', 'x')), code: 'invalid_archive', message: /state/, alsoGzip: true },
  { title: 'a name with a backslash', bytes: () => afterEnvelope(fileEntry('..\\..\\evil', 'x')), code: 'invalid_archive', message: /evil/, alsoGzip: true },
  { title: 'the name "."', bytes: () => afterEnvelope(fileEntry('.', 'x')), code: 'invalid_archive', message: /"\."|'\.'|name|path/i, alsoGzip: true },
  { title: 'the name ".."', bytes: () => afterEnvelope(fileEntry('..', 'x')), code: 'invalid_archive', message: /\.\./, alsoGzip: true },
  { title: 'an empty name', bytes: () => afterEnvelope(fileEntry('', 'x')), code: 'invalid_archive', message: /empty|name/i, alsoGzip: true },
  { title: 'a 300-character name (PAX path)', bytes: () => afterEnvelope(paxEntry({ path: 'n'.repeat(300) }), fileEntry('n', 'x')), code: 'invalid_archive', message: /name|long/i, alsoGzip: true },

  // Entries that are not regular files.
  { title: 'a hardlink entry', bytes: () => afterEnvelope(fileEntry('state.json', 'x'), entry({ name: 'hard', typeflag: '1', linkname: 'state.json' })), code: 'invalid_archive', message: /hard/, alsoGzip: true },
  { title: 'a symlink entry', bytes: () => afterEnvelope(entry({ name: 'soft', typeflag: '2', linkname: '/etc/shadow' })), code: 'invalid_archive', message: /soft/, alsoGzip: true },
  { title: 'a character device entry', bytes: () => afterEnvelope(entry({ name: 'ttyS0', typeflag: '3', devmajor: 4, devminor: 64 })), code: 'invalid_archive', message: /ttyS0/, alsoGzip: true },
  { title: 'a block device entry', bytes: () => afterEnvelope(entry({ name: 'sda', typeflag: '4', devmajor: 8, devminor: 0 })), code: 'invalid_archive', message: /sda/, alsoGzip: true },
  { title: 'a fifo entry', bytes: () => afterEnvelope(entry({ name: 'pipe', typeflag: '6' })), code: 'invalid_archive', message: /pipe/, alsoGzip: true },
  { title: 'a directory entry', bytes: () => afterEnvelope(entry({ name: 'subdir/', typeflag: '5', mode: 0o755 })), code: 'invalid_archive', message: /subdir/, alsoGzip: true },
  {
    // A reader that skips a directory's declared body would parse the smuggled header inside it.
    title: 'a directory entry with a body that hides a header',
    bytes: () => afterEnvelope(entry({ name: 'subdir/', typeflag: '5', mode: 0o755 }, fileEntry('../smuggled', 'x'))),
    code: 'invalid_archive',
    message: /subdir|smuggled/,
    alsoGzip: true,
  },
  { title: 'a global PAX header', bytes: () => afterEnvelope(paxEntry({ path: '../global' }, { typeflag: 'g', name: 'pax_global_header' }), fileEntry('state.json', 'x')), code: 'invalid_archive', message: /global|\.\.\/global|pax/i, alsoGzip: true },

  // Archive structure.
  { title: 'two data files with the same name', bytes: () => afterEnvelope(fileEntry('state.json', 'a'), fileEntry('state.json', 'b')), code: 'invalid_archive', message: /state\.json/, alsoGzip: true },
  { title: 'snapshot.json that is not the first entry', bytes: () => tarOf([fileEntry('state.json', 'x'), envelopeEntry()]), code: 'invalid_archive', message: /snapshot\.json/, alsoGzip: true, inEnvelope: true },
  { title: 'snapshot.json twice', bytes: () => tarOf([envelopeEntry(), fileEntry('state.json', 'x'), envelopeEntry()]), code: 'invalid_archive', message: /snapshot\.json/, alsoGzip: true },
  { title: 'snapshot.json that is a symlink', bytes: () => tarOf([entry({ name: 'snapshot.json', typeflag: '2', linkname: '/etc/passwd' })]), code: 'invalid_archive', message: /snapshot\.json/, alsoGzip: true, inEnvelope: true },
  {
    title: 'a snapshot.json over 1 MiB',
    bytes: () => tarOf([envelopeEntry(envelopeText(goodConfig({ description: 'd'.repeat(MiB + 1024) })))]),
    code: 'invalid_archive',
    message: /snapshot\.json/,
    alsoGzip: true,
    inEnvelope: true,
  },
  { title: 'an archive with no entries at all', bytes: () => endOfArchive(), code: 'invalid_archive', message: /snapshot\.json|empty/i, alsoGzip: true, inEnvelope: true },

  // The envelope.
  { title: 'envelope version 2', bytes: () => withEnvelope(envelopeText(goodConfig(), 2)), code: 'unsupported_archive', message: /version\D{0,12}2/i, alsoGzip: true, inEnvelope: true },
  { title: 'an envelope without a version', bytes: () => withEnvelope(envelopeText(goodConfig(), OMIT)), code: 'invalid_archive', message: /version/i, alsoGzip: true, inEnvelope: true },
  { title: 'an envelope whose version is the string "1"', bytes: () => withEnvelope(envelopeText(goodConfig(), '1')), code: 'invalid_archive', message: /version/i, inEnvelope: true },
  { title: 'an envelope without a config', bytes: () => withEnvelope('{\n  "version": 1\n}\n'), code: 'invalid_archive', message: /config/i, inEnvelope: true },
  { title: 'an envelope that is a JSON array', bytes: () => withEnvelope('[1, 2, 3]\n'), code: 'invalid_archive', message: /snapshot\.json|object|envelope/i, inEnvelope: true },
  { title: 'an envelope that is not JSON', bytes: () => withEnvelope('{"config": {"name": "x"}, "version": 1'), code: 'invalid_archive', message: /JSON/i, alsoGzip: true, inEnvelope: true },
  { title: 'an envelope with garbage after the JSON', bytes: () => withEnvelope(envelopeText() + 'garbage'), code: 'invalid_archive', message: /JSON|snapshot\.json/i, inEnvelope: true },
  { title: 'cpu given as a string', bytes: () => withConfig({ cpu: '2' }), code: 'invalid_archive', message: /cpu/, alsoGzip: true, inEnvelope: true },
  { title: 'name given as a number', bytes: () => withConfig({ name: 5 }), code: 'invalid_archive', message: /name/, inEnvelope: true },
  { title: 'image_blob_ids given as an array', bytes: () => withConfig({ image_blob_ids: ['8ba0d06b'] }), code: 'invalid_archive', message: /image_blob_ids/, inEnvelope: true },
  { title: 'a fractional memory size', bytes: () => withConfig({ memory: 1.5 }), code: 'invalid_archive', message: /memory/, inEnvelope: true },
  { title: 'a config that is null', bytes: () => withEnvelope('{\n  "config": null,\n  "version": 1\n}\n'), code: 'invalid_archive', message: /config/i, inEnvelope: true },

  // COCOON.sparse records.
  { title: 'a sparse map with overlapping segments', bytes: () => sparse([{ o: 0, l: 8192 }, { o: 4096, l: 4096 }]), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a sparse map out of order', bytes: () => sparse([{ o: 8192, l: 4096 }, { o: 0, l: 4096 }]), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a sparse segment past the real size', bytes: () => sparse([{ o: 61_440, l: 8192 }]), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'sparse segments whose sum is not the entry size', bytes: () => sparse([{ o: 0, l: 4096 }], { entrySize: 4096 + 512 }), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'sparse segments longer than the entry', bytes: () => sparse([{ o: 0, l: 8192 }], { entrySize: 4096 }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a negative sparse offset', bytes: () => sparse([{ o: -4096, l: 4096 }]), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a fractional sparse offset', bytes: () => sparse([{ o: 0.5, l: 4096 }]), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a negative sparse length', bytes: () => sparse([{ o: 0, l: 4096 }], { mapText: '[{"o":8192,"l":-4096}]', entrySize: 4096 }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'sparse offsets given as strings', bytes: () => sparse([{ o: 0, l: 4096 }], { mapText: '[{"o":"0","l":"4096"}]' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a sparse map that is not valid JSON', bytes: () => sparse([{ o: 0, l: 4096 }], { mapText: '[{"o":0,"l":4096}' }), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a sparse map that is an object, not an array', bytes: () => sparse([{ o: 0, l: 4096 }], { mapText: '{"o":0,"l":4096}' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a sparse size in hexadecimal', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '0x10000' }), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a sparse size in exponent notation', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '6.5536e4' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a sparse size with trailing text', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '65536abc' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a negative sparse size', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '-65536' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'an empty sparse size', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '' }), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a sparse size beyond 2^53', bytes: () => sparse([{ o: 0, l: 4096 }], { sizeText: '18446744073709551616' }), code: 'invalid_archive', message: /cow\.raw/ },
  {
    // Maps of hundreds of thousands of segments must import (fragmented memory files), so the bound
    // is 8 MiB of map text, not Go's 1 MiB; past it a small archive could make the importer parse
    // hundreds of MB of JSON into millions of objects.
    title: 'a sparse map over 8 MiB',
    bytes: () => {
      const segments = Array.from({ length: 1_100_000 }, (_, i) => ({ o: i * 2, l: 1 }));
      return sparse(segments, {}, 2_200_000);
    },
    code: 'invalid_archive',
    message: /cow\.raw|PAX|large|MiB/i,
  },
  { title: 'a sparse map without a sparse size', bytes: () => afterEnvelope(paxEntry({ 'COCOON.sparse.map': '[{"o":0,"l":4096}]' }), fileEntry('cow.raw', pattern(4096))), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a sparse size without a sparse map', bytes: () => afterEnvelope(paxEntry({ 'COCOON.sparse.size': '65536' }), fileEntry('cow.raw', pattern(4096))), code: 'invalid_archive', message: /cow\.raw/ },

  // Sparse encodings of other writers.
  { title: 'an old GNU sparse entry (typeflag S)', bytes: () => afterEnvelope(gnuOldSparseEntry('cow.raw', [{ o: 0, l: 4096 }, { o: 32_768, l: 4096 }], SPARSE_REAL)), code: 'unsupported_archive', message: /sparse/i, alsoGzip: true },
  { title: 'GNU PAX 0.0 sparse records', bytes: () => afterEnvelope(gnuPax00SparseEntry('cow.raw', [{ o: 0, l: 4096 }], SPARSE_REAL)), code: 'unsupported_archive', message: /sparse/i, alsoGzip: true },
  { title: 'GNU PAX 0.1 sparse records', bytes: () => afterEnvelope(gnuPax01SparseEntry('cow.raw', [{ o: 0, l: 4096 }], SPARSE_REAL)), code: 'unsupported_archive', message: /sparse/i },
  // GNU PAX 1.0 sparse files are read (see hostile-edges), so their records are attack surface too.
  { title: 'a GNU PAX 1.0 sparse name that climbs out with ../', bytes: () => afterEnvelope(gnuPax10SparseEntry('cow.raw', [{ o: 0, l: 4096 }], SPARSE_REAL, { sparseName: '../evil' })), code: 'invalid_archive', message: /\.\.\/evil/, alsoGzip: true },
  { title: 'a GNU PAX 1.0 sparse map describing more data than the entry holds', bytes: () => afterEnvelope(gnuPax10SparseEntry('cow.raw', [{ o: 0, l: 8192 }], SPARSE_REAL, { dataLength: 4096 })), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a GNU PAX 1.0 real size that is not decimal', bytes: () => afterEnvelope(gnuPax10SparseEntry('cow.raw', [{ o: 0, l: 4096 }], SPARSE_REAL, { realSizeText: '0x10000' })), code: 'invalid_archive', message: /cow\.raw/ },
  { title: 'a GNU PAX 1.0 sparse segment past the real size', bytes: () => afterEnvelope(gnuPax10SparseEntry('cow.raw', [{ o: 61_440, l: 8192 }], SPARSE_REAL)), code: 'invalid_archive', message: /cow\.raw/ },

  // Accumulations bounded in total (the 6 MB, gigabytes-inflated versions are in hostile-memory.test.ts).
  {
    title: 'global PAX headers adding up past 9 MiB before one entry',
    bytes: () => afterEnvelope(...Array.from({ length: 10 }, (_, i) => paxEntry([['comment', String(i).repeat(MiB - 64)]], { typeflag: 'g', name: 'pax_global_header' })), fileEntry('state.json', 'x')),
    code: 'invalid_archive',
    message: /add up to more than 9 MiB/,
  },
  // Go's archive/tar (cocoon's reader) keeps the last of two PAX headers and takes a GNU long name over a PAX path, where this
  // reader merged them and took the path. What preview and verify show must be what cocoon extracts, so such stacks are refused.
  {
    title: 'two PAX headers before one entry (Go keeps only the last)',
    bytes: () => afterEnvelope(paxEntry({ path: 'state.json' }), paxEntry({ comment: 'c' }), fileEntry('other', 'x')),
    code: 'invalid_archive',
    message: /two PAX extended headers/,
    alsoGzip: true,
  },
  {
    title: 'a GNU long name and a PAX path naming one entry',
    bytes: () => afterEnvelope(paxEntry({ path: 'state.json' }), entry({ name: '././@LongLink', typeflag: 'L', magic: 'gnu' }, 'decoy\0'), fileEntry('x', 'x', { magic: 'gnu' })),
    code: 'invalid_archive',
    message: /named twice, by a GNU long name \("decoy"\) and a PAX path \("state\.json"\)/,
    alsoGzip: true,
  },
  {
    title: 'two GNU long names before one entry',
    bytes: () => afterEnvelope(entry({ name: '././@LongLink', typeflag: 'L', magic: 'gnu' }, 'first\0'), entry({ name: '././@LongLink', typeflag: 'L', magic: 'gnu' }, 'second\0'), fileEntry('x', 'x', { magic: 'gnu' })),
    code: 'invalid_archive',
    message: /two GNU long-name extended headers/,
  },
  { title: '2,100 GNU long-name headers before one entry', bytes: () => bomb(bombLayouts.repeatedLongNames(2100)), code: 'invalid_archive', message: /extended headers/, inEnvelope: true },
  { title: '10 global PAX headers of 1 MiB before one entry', bytes: () => bomb(bombLayouts.repeatedGlobals(10)), code: 'invalid_archive', message: /extended headers/, inEnvelope: true },
  { title: 'entries whose PAX headers add up past 36 MiB in one archive', bytes: () => bomb(bombLayouts.bigHeaderPerEntry(5)), code: 'invalid_archive', message: /archive's extended headers/ },
  {
    title: 'more PAX records before one entry than a file could need',
    bytes: () => afterEnvelope(paxEntry(Array.from({ length: MAX_ENTRY_PAX_RECORDS + 1 }, (_, i): [string, string] => [`COCOON.k${i}`, '1'])), fileEntry('state.json', 'x')),
    code: 'invalid_archive',
    message: /PAX .*records/,
  },
  { title: 'a COCOON.sparse.map of more segments than allowed', bytes: () => bomb(bombLayouts.tinyCocoonSegments(MAX_SEGMENTS + 1)), code: 'invalid_archive', message: /cow\.raw.*segments/ },
  { title: 'a GNU sparse map claiming more segments than allowed', bytes: () => bomb(bombLayouts.tinyGnuSegments(MAX_SEGMENTS + 1)), code: 'invalid_archive', message: /cow\.raw.*segments/ },
  { title: 'a sparse map of null over an entry that holds data', bytes: () => sparse([], { mapText: 'null', entrySize: 4096 }), code: 'invalid_archive', message: /cow\.raw/, alsoGzip: true },
  { title: 'a sparse map of null followed by more JSON', bytes: () => sparse([], { mapText: 'null []' }), code: 'invalid_archive', message: /cow\.raw/ },
  {
    // JSON.stringify of a value nested this deep overflows the stack; the message must not try.
    title: 'a config field nested 150,000 levels deep',
    bytes: () => withEnvelope(`{"config": {"name": "deep", "cpu": ${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}, "version": 1}\n`),
    code: 'invalid_archive',
    message: /cpu/,
    inEnvelope: true,
  },

  {
    title: 'an envelope version nested 150,000 levels deep',
    bytes: () => withEnvelope(`{"config": {"name": "deep"}, "version": ${'['.repeat(150_000)}1${']'.repeat(150_000)}}\n`),
    code: 'invalid_archive',
    message: /version/,
    inEnvelope: true,
  },

  { title: '20,000 empty PAX headers before one entry', bytes: () => bomb(emptyPaxHeaders(20_000)), code: 'invalid_archive', message: /extended headers/, inEnvelope: true },
  { title: '100 MiB of zeros after the end-of-archive marker', bytes: () => bomb([...validParts(), ...Array.from({ length: 100 }, () => ZERO_MIB)]), code: 'invalid_archive', message: /zeros after its end-of-archive marker/ },

  // gzip damage.
  { title: 'a gzip stream with a corrupt body', bytes: () => withCorruptBody(gzip(Buffer.concat([valid(), pattern(256 * 1024)]))), code: 'invalid_archive', message: /gzip|compress|corrupt|deflate|inflate/i },
  { title: 'a gzip stream with a wrong CRC32', bytes: () => withBadCrc(gzip(valid())), code: 'invalid_archive', message: /CRC|checksum|corrupt/i },
  { title: 'a gzip stream with a wrong length trailer', bytes: () => withBadIsize(gzip(valid())), code: 'invalid_archive', message: /length|size|corrupt|trailer/i },
  { title: 'a gzip stream missing its trailer', bytes: () => truncated(gzip(valid()), -8), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of|trailer/i },
  { title: 'a gzip stream of only its 10-byte header', bytes: () => truncated(gzip(valid()), 10), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of|empty/i, inEnvelope: true },
  { title: 'garbage after the gzip trailer', bytes: () => withTrailing(gzip(valid()), Buffer.from('this is not gzip, it is trailing garbage')), code: 'invalid_archive', message: /trailing|after|garbage|gzip/i },
  { title: 'a gzip of random bytes', bytes: () => gzip(randomBytesSeeded(MiB, 3)), code: 'invalid_archive', message: /tar|header|snapshot\.json|checksum/i, inEnvelope: true },

  // tar framing damage.
  { title: 'a tar cut in the middle of a header', bytes: () => truncated(valid(), 1536 + 100), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of/i, alsoGzip: true },
  { title: 'a tar cut in the middle of snapshot.json', bytes: () => truncated(valid(), 512 + 40), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of/i, alsoGzip: true, inEnvelope: true },
  { title: 'a tar cut in the middle of a file body', bytes: () => truncated(afterEnvelope(fileEntry('memory-ranges', pattern(64 * 1024))), 1536 + 512 + 10_000), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of/i, alsoGzip: true },
  { title: 'a tar without the end-of-archive marker', bytes: () => tarOf(validParts(), { end: false }), code: 'invalid_archive', message: /end|truncat|incomplete/i, alsoGzip: true },
  { title: 'non-zero garbage after the end-of-archive marker', bytes: () => withTrailing(valid(), randomBytesSeeded(4096, 5)), code: 'invalid_archive', message: /after|trailing|garbage|end/i, alsoGzip: true },
  { title: 'a second archive appended after the end-of-archive marker', bytes: () => withTrailing(valid(), afterEnvelope(fileEntry('../appended', 'x'))), code: 'invalid_archive', message: /after|trailing|garbage|end|appended/i, alsoGzip: true },
  { title: 'a header with a wrong checksum', bytes: () => afterEnvelope(entry({ name: 'state.json', checksum: 'invalid' }, 'x')), code: 'invalid_archive', message: /checksum|header|corrupt/i, alsoGzip: true },
  { title: 'a header whose size is not octal', bytes: () => afterEnvelope(entry({ name: 'state.json', sizeField: '12345678zz9\0' }, 'x')), code: 'invalid_archive', message: /state\.json|size|header/i, alsoGzip: true },
  { title: 'a file declaring 1 TiB (base-256 size) in a small archive', bytes: () => afterEnvelope(Buffer.concat([header({ name: 'memory-ranges', size: 2 ** 40 }), pattern(8192)])), code: 'invalid_archive', message: /truncat|unexpected end|ended early|incomplete|end of/i },
  { title: 'a PAX record whose length lies', bytes: () => afterEnvelope(paxEntry(Buffer.from('99 path=state.json\n')), fileEntry('state.json', 'x')), code: 'invalid_archive', message: /PAX|header|record/i, alsoGzip: true },
  { title: 'an empty file', bytes: () => Buffer.alloc(0), code: 'invalid_archive', message: /empty|snapshot\.json|no data|nothing/i, inEnvelope: true },
  { title: 'one MiB of random bytes', bytes: () => randomBytesSeeded(MiB, 11), code: 'invalid_archive', message: /tar|header|snapshot\.json|checksum/i, inEnvelope: true },
];

/** The case list with gzip-wrapped twins of the raw-tar cases that ask for one. */
export function expandedCases(): HostileCase[] {
  return hostileCases.flatMap((c) => (c.alsoGzip ? [c, { ...c, title: `${c.title}, gzip-wrapped`, bytes: () => gzip(c.bytes()) }] : [c]));
}
