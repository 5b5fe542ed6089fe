/**
 * The tar side of restore and export: a stream of a data directory's
 * regular files, sorted by name, flat. Files with holes or zero blocks become
 * one PAX entry with COCOON.sparse.map/size records and only their non-zero
 * data in the body: the kernel says where a sparse file's data is, and the
 * data is read once before streaming to find the zero pages in it (guest
 * memory is full of them), so they are neither compressed nor written back.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { SnapDeskError, cancelled, toSnapDeskError } from '../errors';
import type { OperationOptions } from '../types';
import { METADATA_NAME, plainNameProblem } from './entry-name';
import { readFileBody } from './file-body';
import { nonZeroData } from './sparse';
import { fitMap } from './map-fitting';
import { COCOON_SPARSE_MAP, COCOON_SPARSE_SIZE, EXPORT_MAP_BUDGET, serializeCocoonMap, type Segment } from './sparse-map';
import { BLOCK, MAX_OCTAL_SIZE, encodeHeader, encodePaxRecords, padding } from './tar-header';

const STREAM_BUFFER = 1024 * 1024;
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export interface PlannedFile {
  name: string;
  size: number;
  mode: number;
  mtime: number;
  /** Data segments; null for a file without holes (a plain entry). */
  segments: Segment[] | null;
  /** Bytes the entry body will hold. */
  dataBytes: number;
  /** The file, open from planning until its body is streamed (so nothing can swap or shorten it in between). */
  fh: fs.FileHandle;
  /** Whether the plan opened `fh` (and so closes it), or the caller handed it in. */
  owned: boolean;
}

/**
 * Data files the caller opened before packing (name → handle): then the
 * directory is not listed again and these handles are read, never closed
 * here, so files removed meanwhile are still read in full.
 */
export type OpenedDataFiles = ReadonlyMap<string, fs.FileHandle>;

/**
 * Opening never follows a symlink, and never blocks: without O_NONBLOCK a
 * FIFO planted in the directory would hang open(2) until a writer appears
 * (on regular files the flag changes nothing).
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Lists the data files and where their data is, before any byte is streamed
 * (so progress has a total), and opens every one of them. The caller closes
 * the handles (closePlan). `mapBudget` bounds each sparse map's text.
 */
export async function planDataDir(dir: string, signal?: AbortSignal, mapBudget = EXPORT_MAP_BUDGET, opened?: OpenedDataFiles): Promise<PlannedFile[]> {
  const names = (opened ? [...opened.keys()] : await fs.readdir(dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const plan: PlannedFile[] = [];
  try {
    for (const name of names) {
      if (signal?.aborted) throw cancelled('export');
      const problem = plainNameProblem(name);
      if (problem) throw new SnapDeskError('invalid_input', `cannot archive "${name}" in ${dir}: ${problem}`, { path: path.join(dir, name) });
      if (name === METADATA_NAME) {
        throw new SnapDeskError('invalid_input', `cannot archive ${dir}: it holds a file named ${METADATA_NAME}, a name the archive format reserves for its metadata`, { path: dir });
      }
      plan.push(await planFile(dir, name, mapBudget, signal, opened?.get(name)));
    }
  } catch (err) {
    await closePlan(plan);
    throw err;
  }
  return plan;
}

/** Opens one data file for archiving (a symlink is refused in words). */
export function openDataFile(file: string): Promise<fs.FileHandle> {
  return fs.open(file, OPEN_FLAGS).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new SnapDeskError('invalid_input', `cannot archive ${file}: it is a symbolic link, not a regular file`, { path: file });
    throw err;
  });
}

async function planFile(dir: string, name: string, mapBudget: number, signal?: AbortSignal, given?: fs.FileHandle): Promise<PlannedFile> {
  const file = path.join(dir, name);
  const owned = !given;
  const fh = given ?? (await openDataFile(file));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SnapDeskError('invalid_input', `cannot archive ${file}: it is not a regular file`, { path: file });
    const runs = await nonZeroData(fh, st.size, st.blocks * 512, signal);
    const whole = runs.length === 1 && runs[0]?.offset === 0 && runs[0].length === st.size;
    const segments = st.size === 0 || whole ? null : await fitMap(runs, mapBudget);
    const dataBytes = segments ? segments.reduce((n, s) => n + s.length, 0) : st.size;
    return { name, size: st.size, mode: st.mode & 0o777, mtime: Math.floor(st.mtimeMs / 1000), segments, dataBytes, fh, owned };
  } catch (err) {
    if (owned) await fh.close();
    throw err;
  }
}

/** Closes every file the plan itself opened (handed-in handles stay the caller's). */
export async function closePlan(plan: readonly PlannedFile[]): Promise<void> {
  await Promise.all(plan.filter((f) => f.owned).map((f) => f.fh.close().catch(() => undefined)));
}

/** The header blocks of one entry: a PAX header when needed, then the ustar header. */
export function entryHeaders(init: { name: string; size: number; mode: number; mtime: number; pax?: [string, string][] }): Buffer {
  const records: [string, string][] = [...(init.pax ?? [])];
  if (Buffer.byteLength(init.name) > 100) records.push(['path', init.name]);
  if (init.size > MAX_OCTAL_SIZE) records.push(['size', String(init.size)]);
  const header = encodeHeader({ name: init.name, size: init.size, mode: init.mode, mtime: init.mtime });
  if (records.length === 0) return header;
  const pax = encodePaxRecords(records);
  const paxHeader = encodeHeader({ name: `PaxHeaders/${init.name}`.slice(0, 99), size: pax.length, mode: 0o644, mtime: init.mtime, typeflag: 'x' });
  return Buffer.concat([paxHeader, pax, Buffer.alloc(padding(pax.length)), header]);
}

export interface PackOptions extends OperationOptions {
  /** Entries written before the data files (export's snapshot.json). */
  prefix?: { name: string; data: Buffer; mtime: number }[];
  /** Bound on each sparse map's text; default EXPORT_MAP_BUDGET (tests use small ones). */
  mapBudget?: number;
  /** Files opened ahead by the caller (see OpenedDataFiles). */
  opened?: OpenedDataFiles;
}

/** One piece of the tar stream: bytes as they are, or a planned file's body (its data segments, read from its handle). */
export type TarPiece = { bytes: Buffer } | { file: PlannedFile; path: string };

/** Where the archive's bytes come from, in order: prefix entries, each file's header, body and padding, the end marker. */
export function* tarPieces(dir: string, plan: readonly PlannedFile[], prefix: PackOptions['prefix'] = []): Generator<TarPiece> {
  for (const p of prefix) {
    yield { bytes: entryHeaders({ name: p.name, size: p.data.length, mode: 0o644, mtime: p.mtime }) };
    yield { bytes: Buffer.concat([p.data, Buffer.alloc(padding(p.data.length))]) };
  }
  for (const f of plan) {
    const pax: [string, string][] = f.segments
      ? [
          [COCOON_SPARSE_MAP, serializeCocoonMap(f.segments)],
          [COCOON_SPARSE_SIZE, String(f.size)],
        ]
      : [];
    yield { bytes: entryHeaders({ name: f.name, size: f.dataBytes, mode: f.mode, mtime: f.mtime, pax }) };
    if (f.dataBytes > 0) yield { file: f, path: path.join(dir, f.name) };
    const pad = padding(f.dataBytes);
    if (pad > 0) yield { bytes: Buffer.alloc(pad) };
  }
  yield { bytes: END_OF_ARCHIVE };
}

/** The segments of a planned file's body (the whole file when it has no holes). */
export const bodySegments = (f: PlannedFile): Segment[] => f.segments ?? [{ offset: 0, length: f.size }];

async function* packEntries(dir: string, opts: PackOptions): AsyncGenerator<Buffer> {
  let plan: PlannedFile[] = [];
  try {
    plan = await planDataDir(dir, opts.signal, opts.mapBudget, opts.opened);
    const total = plan.reduce((n, f) => n + f.dataBytes, 0);
    let done = 0;
    opts.onProgress?.({ bytesDone: 0, bytesTotal: total });
    for (const piece of tarPieces(dir, plan, opts.prefix)) {
      if ('bytes' in piece) {
        yield piece.bytes;
        continue;
      }
      for await (const buf of readFileBody(piece.file.fh, bodySegments(piece.file), piece.path)) {
        if (opts.signal?.aborted) throw cancelled('export');
        done += buf.length;
        opts.onProgress?.({ bytesDone: done, bytesTotal: total, file: piece.file.name });
        yield buf;
      }
    }
  } catch (err) {
    throw toSnapDeskError(err);
  } finally {
    await closePlan(plan);
  }
}

/** Streams a data directory as a tar of its files (restore, create --from-dir, export). */
export function packDataDir(dir: string, opts: PackOptions = {}): Readable {
  const stream = Readable.from(packEntries(dir, opts), { objectMode: false, highWaterMark: STREAM_BUFFER });
  if (opts.signal) {
    const signal = opts.signal;
    if (signal.aborted) stream.destroy(cancelled('export'));
    else {
      const onAbort = (): void => {
        stream.destroy(cancelled('export'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return stream;
}
