/**
 * Reading many small segments of a file in few calls. Guest memory files
 * hold thousands of data runs between holes and zero pages; one read per
 * run is one thread-pool round trip each (tens of microseconds), which left
 * the export waiting far longer than the copying takes. Runs close together
 * are read in one call, gaps included, and picked out of the buffer: the
 * kernel copies a few hundred KiB in less time than one extra round trip.
 */
import type { Segment } from './sparse-map';

/** One read: [offset, offset + length) of the file, and the segments (or pieces of one) inside it, in order. */
export interface ReadWindow {
  offset: number;
  length: number;
  segments: Segment[];
}

/** Gap up to which neighbouring segments share a read (see above). */
export const READ_ALONG_GAP = 256 * 1024;

/**
 * Groups ordered, non-overlapping segments into reads of at most `span`
 * bytes; a segment longer than `span` is cut into pieces, each its own read.
 */
export function* readWindows(segments: readonly Segment[], span: number, maxGap = READ_ALONG_GAP): Generator<ReadWindow> {
  let open: ReadWindow | null = null;
  for (const seg of segments) {
    for (let at = seg.offset, end = seg.offset + seg.length; at < end; ) {
      const length = Math.min(end - at, span);
      const piece = { offset: at, length };
      if (open && at - (open.offset + open.length) <= maxGap && at + length - open.offset <= span) {
        open.segments.push(piece);
        open.length = at + length - open.offset;
      } else {
        if (open) yield open;
        open = { offset: at, length, segments: [piece] };
      }
      at += length;
    }
  }
  if (open) yield open;
}
