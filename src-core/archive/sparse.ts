/**
 * Finding and keeping holes. Export asks the kernel where a file's data is
 * (lseek SEEK_DATA/SEEK_HOLE, through koffi because Node exposes no lseek),
 * so a 50 GiB disk image with 2 GiB of data reads 2 GiB; where the kernel
 * cannot say, it scans for zero blocks. Import skips writing zero blocks, so
 * holes come back as holes whatever the archive looked like.
 */
import type { FileHandle } from 'node:fs/promises';
import type * as Koffi from 'koffi';
import type { Segment } from './sparse-map';

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

type Lseek = (fd: number, offset: number, whence: number) => number | bigint;
interface SeekApi {
  lseek: Lseek;
  errno: () => number;
  seekData: number;
  seekHole: number;
  enxio: number;
}

let seekApi: Promise<SeekApi | null> | undefined;

/** lseek from the C library, or null where it cannot be loaded (Windows, koffi missing). */
function loadSeekApi(): Promise<SeekApi | null> {
  seekApi ??= (async () => {
    const lib = process.platform === 'linux' ? 'libc.so.6' : process.platform === 'darwin' ? '/usr/lib/libSystem.B.dylib' : null;
    if (!lib) return null;
    try {
      const ns = (await import('koffi')) as typeof Koffi & { default?: typeof Koffi };
      const koffi = ns.default ?? ns;
      const lseek = koffi.load(lib).func('int64_t lseek(int fd, int64_t offset, int whence)') as Lseek;
      // macOS numbers them the other way round from Linux and the BSDs.
      const darwin = process.platform === 'darwin';
      return { lseek, errno: () => koffi.errno(), seekData: darwin ? 4 : 3, seekHole: darwin ? 3 : 4, enxio: koffi.os.errno.ENXIO ?? 6 };
    } catch {
      return null;
    }
  })();
  return seekApi;
}

/** Data extents from SEEK_DATA/SEEK_HOLE; null when the file system does not answer. */
async function seekExtents(fd: number, size: number): Promise<Segment[] | null> {
  const api = await loadSeekApi();
  if (!api) return null;
  const segments: Segment[] = [];
  let at = 0;
  while (at < size) {
    const data = Number(api.lseek(fd, at, api.seekData));
    if (data < 0) {
      if (api.errno() === api.enxio) break; // no data after `at`
      return null;
    }
    if (data >= size) break;
    const hole = Number(api.lseek(fd, data, api.seekHole));
    if (hole < 0) return null;
    const end = Math.min(hole, size);
    segments.push({ offset: data, length: end - data });
    at = end;
  }
  return segments;
}

/**
 * The data within `ranges` of a file, by reading them: runs of non-zero
 * HOLE_BLOCKs (aligned in the file), zero blocks left out. Reads 4 MiB at a
 * time into two buffers used in turn (one is read while the other is
 * scanned), so a scan of any size allocates 8 MiB once; the check per block
 * is a few byte compares.
 */
export async function scanDataRuns(fh: FileHandle, ranges: readonly Segment[], signal?: AbortSignal): Promise<Segment[]> {
  const segments: Segment[] = [];
  const CHUNK = 4 * 1024 * 1024;
  const pieces: [number, number][] = [];
  for (const r of ranges) for (let at = r.offset, end = r.offset + r.length; at < end; at += CHUNK) pieces.push([at, Math.min(CHUNK, end - at)]);
  const largest = pieces.reduce((n, [, want]) => Math.max(n, want), 0);
  const buffers = [Buffer.allocUnsafe(largest), Buffer.allocUnsafe(pieces.length > 1 ? largest : 0)] as const;
  const readAt = async ([pos, want]: [number, number], buf: Buffer): Promise<Buffer> => {
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  };
  let next = pieces.length > 0 ? readAt(pieces[0] as [number, number], buffers[0]) : null;
  for (let i = 0; i < pieces.length; i++) {
    signal?.throwIfAborted();
    const buf = await (next as Promise<Buffer>);
    next = i + 1 < pieces.length ? readAt(pieces[i + 1] as [number, number], buffers[(i + 1) % 2] as Buffer) : null;
    next?.catch(() => undefined);
    const pos = (pieces[i] as [number, number])[0];
    const runs = dataRuns(buf, pos);
    for (let k = 0; k < runs.length; k += 2) {
      const offset = pos + (runs[k] ?? 0);
      const length = (runs[k + 1] ?? 0) - (runs[k] ?? 0);
      const last = segments[segments.length - 1];
      if (last && last.offset + last.length === offset) last.length += length;
      else segments.push({ offset, length });
    }
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
  return (await seekExtents(fh.fd, size)) ?? scanExtents(fh, size, signal);
}

/**
 * Where a file's non-zero data is: the kernel's data extents when the file
 * has holes (the whole file otherwise, or where the kernel cannot say), each
 * read to leave out zero blocks.
 */
export async function nonZeroData(fh: FileHandle, size: number, allocated: number, signal?: AbortSignal): Promise<Segment[]> {
  if (size === 0) return [];
  const extents = allocated >= size ? null : await seekExtents(fh.fd, size);
  return scanDataRuns(fh, extents ?? [{ offset: 0, length: size }], signal);
}

/** Exposed for tests: extents by scanning, as used where SEEK_DATA is unavailable. */
export const scanExtentsForTest = scanExtents;
