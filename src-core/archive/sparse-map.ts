/**
 * Sparse maps: the data segments of a file with holes. Cocoon stores them as
 * the PAX records COCOON.sparse.map (JSON) and COCOON.sparse.size; GNU tar's
 * PAX format 1.0 stores them as decimal text at the start of the entry body.
 * Both are untrusted input and checked here before a byte is written.
 */
import { invalidArchive, quoteArchiveText } from './archive-errors';
import type { ByteReader } from './byte-reader';
import { BLOCK } from './tar-header';

export interface Segment {
  offset: number;
  length: number;
}

export const COCOON_SPARSE_MAP = 'COCOON.sparse.map';
export const COCOON_SPARSE_SIZE = 'COCOON.sparse.size';

/**
 * Bound on a map's text on import: ~16 MiB is half a million segments or
 * more (a disk image fragmented at 4 KiB granularity over tens of GiB), and
 * parsing it costs tens of MiB of memory; a bigger map is an attack, not a
 * snapshot. Go readers stop at 1 MiB, but archives from other writers (and
 * this app's own reader) may go beyond.
 */
export const MAX_MAP_BYTES = 16 * 1024 * 1024;
/**
 * Go's archive/tar (and so cocoon) refuses PAX headers over 1 MiB, so export
 * keeps the map below this by merging segments across small holes; the zeros
 * read from those holes become holes again on import.
 */
export const EXPORT_MAP_BUDGET = 1024 * 1024 - 4096;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses a decimal size field of an archive (no sign, no exponent, safe integer). */
export function parseDecimal(text: string, what: string): number {
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidArchive(`${what} is not a valid size (${quoteArchiveText(text)})`);
  }
  return Number(text);
}

/**
 * Checks that segments are ordered, do not overlap, end within the real size,
 * and that their lengths add up to the bytes the entry body holds.
 */
export function validateSegments(segments: Segment[], realSize: number, bodySize: number, entry: string): void {
  let end = 0;
  let total = 0;
  for (const [i, s] of segments.entries()) {
    if (i > 0 && s.offset < (segments[i - 1]?.offset ?? 0)) throw invalidArchive(`the sparse map of "${entry}" is not in increasing offset order`, { entry });
    if (s.offset < end) throw invalidArchive(`the sparse map of "${entry}" has overlapping segments`, { entry });
    end = s.offset + s.length;
    if (end > realSize) throw invalidArchive(`the sparse map of "${entry}" runs past the file's real size (${realSize} bytes)`, { entry });
    total += s.length;
  }
  if (total !== bodySize) {
    throw invalidArchive(`the sparse map of "${entry}" describes ${total} bytes of data but the entry holds ${bodySize}`, { entry });
  }
}

/** Reads the COCOON.sparse.* records of an entry. */
export function parseCocoonSparse(mapText: string | undefined, sizeText: string | undefined, bodySize: number, entry: string): { segments: Segment[]; realSize: number } {
  if (mapText === undefined || sizeText === undefined) {
    throw invalidArchive(`entry "${entry}" has only one of ${COCOON_SPARSE_MAP} and ${COCOON_SPARSE_SIZE}`, { entry });
  }
  const realSize = parseDecimal(sizeText, `the ${COCOON_SPARSE_SIZE} of "${entry}"`);
  let raw: unknown;
  try {
    raw = JSON.parse(mapText);
  } catch {
    throw invalidArchive(`the ${COCOON_SPARSE_MAP} of "${entry}" is not valid JSON`, { entry });
  }
  if (!Array.isArray(raw)) throw invalidArchive(`the ${COCOON_SPARSE_MAP} of "${entry}" is not a JSON array`, { entry });
  const segments: Segment[] = new Array<Segment>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    const o = typeof item === 'object' && item !== null ? (item as { o?: unknown }).o : undefined;
    const l = typeof item === 'object' && item !== null ? (item as { l?: unknown }).l : undefined;
    if (!isCount(o) || !isCount(l)) {
      throw invalidArchive(`segment ${i} of the ${COCOON_SPARSE_MAP} of "${entry}" is not {"o": offset, "l": length} with non-negative integers`, { entry });
    }
    segments[i] = { offset: o, length: l };
  }
  validateSegments(segments, realSize, bodySize, entry);
  return { segments, realSize };
}

/** The COCOON.sparse.map text, as Go's json.Marshal writes it. */
export function serializeCocoonMap(segments: Segment[]): string {
  return `[${segments.map((s) => `{"o":${s.offset},"l":${s.length}}`).join(',')}]`;
}

const mapTextLength = (segments: Segment[]): number => {
  let n = 2 + Math.max(0, segments.length - 1);
  for (const s of segments) n += 11 + String(s.offset).length + String(s.length).length; // {"o":,"l":} is 11 characters
  return n;
};

/** Merges segments across the smallest holes until the map text fits `budget` bytes. */
export function fitMap(segments: Segment[], budget = EXPORT_MAP_BUDGET): Segment[] {
  let current = segments;
  for (let gap = 4096; mapTextLength(current) > budget; gap *= 2) {
    const merged: Segment[] = [];
    for (const s of current) {
      const last = merged[merged.length - 1];
      if (last && s.offset - (last.offset + last.length) <= gap) last.length = s.offset + s.length - last.offset;
      else merged.push({ ...s });
    }
    current = merged;
  }
  return current;
}

/**
 * Reads a GNU PAX 1.0 sparse map from the start of an entry body: decimal
 * numbers, one per line (count, then offset/length pairs), padded to whole
 * blocks. Returns the map and how many body bytes it took.
 */
export async function readGnuSparseMap(reader: ByteReader, bodySize: number, entry: string): Promise<{ segments: Segment[]; mapBytes: number }> {
  const numbers: number[] = [];
  let wanted = 1;
  let pending = '';
  let mapBytes = 0;
  while (numbers.length < wanted) {
    if (mapBytes + BLOCK > bodySize || mapBytes + BLOCK > MAX_MAP_BYTES) {
      throw invalidArchive(`the GNU sparse map of "${entry}" is larger than its entry`, { entry });
    }
    const block = await reader.read(BLOCK);
    if (!block) throw invalidArchive(`the archive is truncated inside the sparse map of "${entry}"`, { entry });
    mapBytes += BLOCK;
    const text = pending + block.toString('latin1');
    const lines = text.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (numbers.length >= wanted) break;
      numbers.push(parseDecimal(line, `a number in the GNU sparse map of "${entry}"`));
      if (numbers.length === 1) {
        const count = numbers[0] ?? 0;
        if (count > MAX_MAP_BYTES / 4) throw invalidArchive(`the GNU sparse map of "${entry}" claims too many segments`, { entry });
        wanted = 1 + 2 * count;
      }
    }
    if (pending.length > 20 && numbers.length < wanted) throw invalidArchive(`the GNU sparse map of "${entry}" is malformed`, { entry });
  }
  const segments: Segment[] = [];
  for (let i = 1; i < numbers.length; i += 2) segments.push({ offset: numbers[i] ?? 0, length: numbers[i + 1] ?? 0 });
  return { segments, mapBytes };
}
