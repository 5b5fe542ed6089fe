/**
 * Finding and keeping holes. Export asks the kernel where a file's data is
 * (file-extents.ts), so a 50 GiB disk image with 2 GiB of data reads 2 GiB;
 * where the kernel cannot say, it scans for zero blocks. Import skips writing zero blocks, so
 * holes come back as holes whatever the archive looked like.
 */
import type { FileHandle } from 'node:fs/promises';
import { kernelExtents } from './file-extents';
import { readWindows, type ReadWindow } from './read-windows';
import { mergeSmallestHoles } from './map-fitting';
import { MAX_SEGMENTS, type Segment } from './sparse-map';

/** Hole granularity: the usual file system block. */
export const HOLE_BLOCK = 4096;
const ZERO_BLOCK = Buffer.alloc(HOLE_BLOCK);

/** True when the HOLE_BLOCK at buf[start] is all zero. */
export function isZeroBlock(buf: Buffer, start: number): boolean {
  return isZeroRange(buf, start, start + HOLE_BLOCK);
}

/** True when buf[start, end) (at most one HOLE_BLOCK) is all zero. */
function isZeroRange(buf: Buffer, start: number, end: number): boolean {
  // Data blocks almost always have a non-zero byte at one of these: skip the compare.
  if (buf[start] !== 0 || buf[end - 1] !== 0 || buf[(start + end) >>> 1] !== 0) return false;
  return buf.compare(ZERO_BLOCK, 0, end - start, start, end) === 0;
}

/**
 * The byte ranges of `buf` worth writing when it lands at `fileOffset` of a
 * fresh file: zero blocks (aligned to HOLE_BLOCK in the file) are left out,
 * as flat [start, end) pairs.
 */
export function dataRuns(buf: Buffer, fileOffset: number): number[] {
  const runs: number[] = [];
  let runStart = -1;
  let s = 0;
  let e = Math.min(buf.length, HOLE_BLOCK - (fileOffset % HOLE_BLOCK));
  while (s < buf.length) {
    if (isZeroRange(buf, s, e)) {
      if (runStart >= 0) runs.push(runStart, s);
      runStart = -1;
    } else if (runStart < 0) {
      runStart = s;
    }
    s = e;
    e = Math.min(buf.length, s + HOLE_BLOCK);
  }
  if (runStart >= 0) runs.push(runStart, buf.length);
  return runs;
}

/**
 * The data within `ranges` of a file, by reading them: runs of non-zero
 * HOLE_BLOCKs (aligned in the file), zero blocks left out. Reads up to 4 MiB
 * at a time, nearby ranges together (read-windows.ts), into two buffers used
 * in turn (one is read while the other is scanned), so a scan of any size
 * allocates 8 MiB once; the check per block is a few byte compares. Past
 * `maxSegments` runs (a memory file of many GiB with scattered zero pages),
 * the smallest holes found so far are merged away to keep half as many:
 * the list stays a few MiB however large the file, and far finer than the
 * map export can write anyway (see fitMap).
 */
export async function scanDataRuns(fh: FileHandle, ranges: readonly Segment[], signal?: AbortSignal, maxSegments = MAX_SEGMENTS): Promise<Segment[]> {
  let segments: Segment[] = [];
  const SPAN = 4 * 1024 * 1024;
  const windows = [...readWindows(ranges, SPAN)];
  const largest = windows.reduce((n, w) => Math.max(n, w.length), 0);
  const buffers = [Buffer.allocUnsafe(largest), Buffer.allocUnsafe(windows.length > 1 ? largest : 0)] as const;
  const readAt = async (w: ReadWindow, buf: Buffer): Promise<Buffer> => {
    let got = 0;
    while (got < w.length) {
      const { bytesRead } = await fh.read(buf, got, w.length - got, w.offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  };
  let next = windows.length > 0 ? readAt(windows[0] as ReadWindow, buffers[0]) : null;
  for (let i = 0; i < windows.length; i++) {
    signal?.throwIfAborted();
    const buf = await (next as Promise<Buffer>);
    next = i + 1 < windows.length ? readAt(windows[i + 1] as ReadWindow, buffers[(i + 1) % 2] as Buffer) : null;
    next?.catch(() => undefined);
    const w = windows[i] as ReadWindow;
    for (const part of w.segments) {
      const from = part.offset - w.offset;
      // A file shorter than its ranges said (truncated meanwhile) ends the scan where its data ends.
      const runs = dataRuns(buf.subarray(from, Math.min(buf.length, from + part.length)), part.offset);
      for (let k = 0; k < runs.length; k += 2) {
        const offset = part.offset + (runs[k] ?? 0);
        const length = (runs[k + 1] ?? 0) - (runs[k] ?? 0);
        const last = segments[segments.length - 1];
        if (last && last.offset + last.length === offset) last.length += length;
        else segments.push({ offset, length });
      }
    }
    if (segments.length > maxSegments) segments = await mergeSmallestHoles(segments, segments.length - Math.floor(maxSegments / 2));
  }
  return segments;
}

/** Data extents by reading: runs of non-zero HOLE_BLOCKs. */
function scanExtents(fh: FileHandle, size: number, signal?: AbortSignal): Promise<Segment[]> {
  return scanDataRuns(fh, [{ offset: 0, length: size }], signal);
}

/**
 * Where a file's data is. A file whose allocation covers its size has no
 * holes worth finding, so only sparse-looking files pay for the lookup.
 */
export async function dataExtents(fh: FileHandle, size: number, allocated: number, signal?: AbortSignal): Promise<Segment[]> {
  if (size === 0) return [];
  if (allocated >= size) return [{ offset: 0, length: size }];
  return (await kernelExtents(fh.fd, size)) ?? scanExtents(fh, size, signal);
}

/**
 * Where a file's non-zero data is: the kernel's data extents when the file
 * has holes (the whole file otherwise, or where the kernel cannot say), each
 * read to leave out zero blocks.
 */
export async function nonZeroData(fh: FileHandle, size: number, allocated: number, signal?: AbortSignal): Promise<Segment[]> {
  if (size === 0) return [];
  const extents = allocated >= size ? null : await kernelExtents(fh.fd, size);
  return scanDataRuns(fh, extents ?? [{ offset: 0, length: size }], signal);
}

/** Exposed for tests: extents by scanning, as used where SEEK_DATA is unavailable. */
export const scanExtentsForTest = scanExtents;
