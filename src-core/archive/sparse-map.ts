/**
 * Sparse maps: the data segments of a file with holes. Cocoon stores them as
 * the PAX records COCOON.sparse.map (JSON) and COCOON.sparse.size; GNU tar's
 * PAX format 1.0 stores them as decimal text at the start of the entry body.
 * Both are untrusted input and checked here before a byte is written.
 */
import { invalidArchive, quoteArchiveText } from './archive-errors';
import type { ByteReader } from './byte-reader';
import { LoopTurns } from './loop-turns';
import { BLOCK } from './tar-header';

export interface Segment {
  offset: number;
  length: number;
}

export const COCOON_SPARSE_MAP = 'COCOON.sparse.map';
export const COCOON_SPARSE_SIZE = 'COCOON.sparse.size';

/**
 * Bound on a map's text on import: 8 MiB holds MAX_SEGMENTS segments even
 * with offsets in the terabytes (~30 bytes each as JSON); a bigger map is an
 * attack, not a snapshot. Go readers stop at 1 MiB, but archives from other
 * writers (and this app's own reader) may go beyond.
 */
export const MAX_MAP_BYTES = 8 * 1024 * 1024;
/**
 * Bound on one entry's segments, whatever the map's encoding: 256 Ki
 * segments (more than this app's or cocoon's exporter can write) cost
 * ~15 MiB as objects; tiny segments ("0\n0\n" in a GNU map, {"o":0,"l":0}
 * in JSON) would otherwise turn 8 MiB of text into millions.
 */
export const MAX_SEGMENTS = 256 * 1024;
/**
 * Go's archive/tar (and so cocoon) refuses PAX headers over 1 MiB, so export
 * keeps the map below this by merging segments across small holes; the zeros
 * read from those holes become holes again on import.
 */
export const EXPORT_MAP_BUDGET = 1024 * 1024 - 4096;

/** Parses a decimal size field of an archive (no sign, no exponent, safe integer). */
export function parseDecimal(text: string, what: string): number {
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidArchive(`${what} is not a valid size (${quoteArchiveText(text)})`);
  }
  return Number(text);
}

/** Segments parsed or checked between two chances for the event loop to turn (see LoopTurns). */
const SEGMENTS_PER_STEP = 512;

/**
 * Checks that segments are ordered, do not overlap, end within the real size,
 * and that their lengths add up to the bytes the entry body holds.
 */
export async function validateSegments(segments: Segment[], realSize: number, bodySize: number, entry: string, turns = new LoopTurns()): Promise<void> {
  await turns.run(checkSegments(segments, realSize, bodySize, entry));
}

function* checkSegments(segments: Segment[], realSize: number, bodySize: number, entry: string): Generator<void, void> {
  let previous = 0;
  let end = 0;
  let total = 0;
  for (let i = 0; i < segments.length; i++) {
    if (i % SEGMENTS_PER_STEP === SEGMENTS_PER_STEP - 1) yield;
    const s = segments[i] as Segment;
    if (s.offset < previous) throw invalidArchive(`the sparse map of "${entry}" is not in increasing offset order`, { entry });
    if (s.offset < end) throw invalidArchive(`the sparse map of "${entry}" has overlapping segments`, { entry });
    previous = s.offset;
    end = s.offset + s.length;
    if (end > realSize) throw invalidArchive(`the sparse map of "${entry}" runs past the file's real size (${realSize} bytes)`, { entry });
    total += s.length;
  }
  if (total !== bodySize) {
    throw invalidArchive(`the sparse map of "${entry}" describes ${total} bytes of data but the entry holds ${bodySize}`, { entry });
  }
}

/**
 * Reads the COCOON.sparse.* records of an entry. A map of JSON `null` is a
 * file that is all hole: cocoon's exporter marshals its nil segment list
 * that way, and its importer reads it back as no segments.
 */
export async function parseCocoonSparse(
  mapText: string | undefined,
  sizeText: string | undefined,
  bodySize: number,
  entry: string,
  turns = new LoopTurns(),
): Promise<{ segments: Segment[]; realSize: number }> {
  if (mapText === undefined || sizeText === undefined) {
    throw invalidArchive(`entry "${entry}" has only one of ${COCOON_SPARSE_MAP} and ${COCOON_SPARSE_SIZE}`, { entry });
  }
  const realSize = parseDecimal(sizeText, `the ${COCOON_SPARSE_SIZE} of "${entry}"`);
  const segments = await turns.run(scanCocoonMap(mapText, entry));
  await validateSegments(segments, realSize, bodySize, entry, turns);
  return { segments, realSize };
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The segments of a COCOON.sparse.map: JSON `null` or an array of
 * {"o": offset, "l": length} objects, as Go's json.Marshal writes a
 * []sparseSegment. Scanned straight into segments rather than through
 * JSON.parse, so a map of the largest allowed size costs its segments and
 * nothing more, and a map of too many is refused as soon as it says so.
 * A step-wise scan: it stops every SEGMENTS_PER_STEP segments, so that a
 * caller can let the event loop turn (a MiB of map is ~37,000 segments).
 */
function* scanCocoonMap(text: string, entry: string): Generator<void, Segment[]> {
  // Character codes only: a scan that made a string per number or key would fill the young heap.
  const QUOTE = 0x22;
  const COMMA = 0x2c;
  let at = 0;
  const bad = (what: string): never => {
    throw invalidArchive(`the ${COCOON_SPARSE_MAP} of "${entry}" ${what}`, { entry });
  };
  const notJson = (): never => bad('is not valid JSON of {"o": offset, "l": length} segments');
  const peek = (): number => {
    while (at < text.length && isJsonSpace(text.charCodeAt(at))) at++;
    return at < text.length ? text.charCodeAt(at) : -1;
  };
  const expect = (c: string): void => {
    if (peek() !== c.charCodeAt(0)) notJson();
    at++;
  };
  const count = (index: number): number => {
    const first = peek();
    if (first === 0x2d) bad(`has a negative number in segment ${index}`);
    let value = 0;
    let digits = 0;
    for (let c = first; c >= 0x30 && c <= 0x39; c = at < text.length ? text.charCodeAt(at) : -1) {
      value = value * 10 + (c - 0x30);
      digits++;
      at++;
    }
    if (digits === 0 || (digits > 1 && first === 0x30)) notJson();
    const next = at < text.length ? text.charCodeAt(at) : -1;
    if (next === 0x2e || next === 0x65 || next === 0x45) bad(`has a number that is not an integer in segment ${index}`);
    if (digits > 16 || !Number.isSafeInteger(value)) bad(`has a number too large in segment ${index}`);
    return value;
  };
  if (peek() === 0x6e) {
    if (!text.startsWith('null', at)) notJson();
    at += 4;
    if (peek() !== -1) notJson();
    return [];
  }
  if (peek() !== 0x5b) bad('is not a JSON array');
  at++;
  const segments: Segment[] = [];
  if (peek() === 0x5d) at++;
  else {
    for (;;) {
      if (segments.length >= MAX_SEGMENTS) bad(`holds more than ${MAX_SEGMENTS} segments`);
      const index = segments.length;
      if (index % SEGMENTS_PER_STEP === SEGMENTS_PER_STEP - 1) yield;
      expect('{');
      let offset = -1;
      let length = -1;
      for (let member = 0; member < 2; member++) {
        if (member > 0) expect(',');
        if (peek() !== QUOTE || text.charCodeAt(at + 2) !== QUOTE) bad(`has segment ${index} that is not {"o": offset, "l": length}`);
        const key = text.charCodeAt(at + 1);
        at += 3;
        expect(':');
        if (key === 0x6f && offset < 0) offset = count(index);
        else if (key === 0x6c && length < 0) length = count(index);
        else bad(`has segment ${index} that is not {"o": offset, "l": length}`);
      }
      expect('}');
      segments.push({ offset, length });
      if (peek() === COMMA) {
        at++;
        continue;
      }
      expect(']');
      break;
    }
  }
  if (peek() !== -1) notJson();
  return segments;
}

/** The COCOON.sparse.map text, as Go's json.Marshal writes it. */
export function serializeCocoonMap(segments: Segment[]): string {
  return `[${segments.map((s) => `{"o":${s.offset},"l":${s.length}}`).join(',')}]`;
}

/**
 * Reads a GNU PAX 1.0 sparse map from the start of an entry body: decimal
 * numbers, one per line (count, then offset/length pairs), padded to whole
 * blocks. Returns the map and how many body bytes it took.
 */
export async function readGnuSparseMap(reader: ByteReader, bodySize: number, entry: string, turns = new LoopTurns()): Promise<{ segments: Segment[]; mapBytes: number }> {
  const segments: Segment[] = [];
  // The count, then offset and length of each segment, straight into segments (no list of all numbers).
  let count = -1;
  let offset = -1;
  let pending = '';
  let mapBytes = 0;
  const done = (): boolean => count >= 0 && segments.length === count;
  while (!done()) {
    if (mapBytes + BLOCK > bodySize || mapBytes + BLOCK > MAX_MAP_BYTES) {
      throw invalidArchive(`the GNU sparse map of "${entry}" is larger than its entry`, { entry });
    }
    // Blocks already read resolve without the event loop turning: a map of many blocks gets turns of its own.
    await turns.pause();
    const block = await reader.read(BLOCK);
    if (!block) throw invalidArchive(`the archive is truncated inside the sparse map of "${entry}"`, { entry });
    mapBytes += BLOCK;
    const lines = (pending + block.toString('latin1')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (done()) break;
      const n = parseDecimal(line, `a number in the GNU sparse map of "${entry}"`);
      if (count < 0) {
        if (n > MAX_SEGMENTS) throw invalidArchive(`the GNU sparse map of "${entry}" claims more than ${MAX_SEGMENTS} segments`, { entry });
        count = n;
      } else if (offset < 0) {
        offset = n;
      } else {
        segments.push({ offset, length: n });
        offset = -1;
      }
    }
    if (pending.length > 20 && !done()) throw invalidArchive(`the GNU sparse map of "${entry}" is malformed`, { entry });
  }
  return { segments, mapBytes };
}
