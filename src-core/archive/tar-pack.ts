/**
 * The tar side of restore and export: a stream of a data directory's
 * regular files, sorted by name, flat. Files with holes become one PAX entry
 * with COCOON.sparse.map/size records and only their data in the body.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { SnapDeskError, cancelled, toSnapDeskError } from '../errors';
import type { OperationOptions } from '../types';
import { METADATA_NAME, plainNameProblem } from './entry-name';
import { dataExtents } from './sparse';
import { COCOON_SPARSE_MAP, COCOON_SPARSE_SIZE, fitMap, serializeCocoonMap, type Segment } from './sparse-map';
import { BLOCK, MAX_OCTAL_SIZE, encodeHeader, encodePaxRecords, padding } from './tar-header';

const READ_CHUNK = 1024 * 1024;
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
}

/**
 * Opening never follows a symlink, and never blocks: without O_NONBLOCK a
 * FIFO planted in the directory would hang open(2) until a writer appears
 * (on regular files the flag changes nothing).
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** Opens one data file for archiving (a symlink is refused in words). */
export function openDataFile(file: string): Promise<fs.FileHandle> {
  return fs.open(file, OPEN_FLAGS).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new SnapDeskError('invalid_input', `cannot archive ${file}: it is a symbolic link, not a regular file`, { path: file });
    throw err;
  });
}

/**
 * Data files the caller opened before packing (name → handle): then the
 * directory is not listed again and these handles are read, never closed
 * here, so files removed meanwhile are still read in full.
 */
export type OpenedDataFiles = ReadonlyMap<string, fs.FileHandle>;

/** Lists the data files and where their data is, before any byte is streamed (so progress has a total). */
export async function planDataDir(dir: string, signal?: AbortSignal, opened?: OpenedDataFiles): Promise<PlannedFile[]> {
  const names = (opened ? [...opened.keys()] : await fs.readdir(dir)).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const plan: PlannedFile[] = [];
  for (const name of names) {
    if (signal?.aborted) throw cancelled('export');
    const problem = plainNameProblem(name);
    if (problem) throw new SnapDeskError('invalid_input', `cannot archive "${name}" in ${dir}: ${problem}`, { path: path.join(dir, name) });
    if (name === METADATA_NAME) {
      throw new SnapDeskError('invalid_input', `cannot archive ${dir}: it holds a file named ${METADATA_NAME}, a name the archive format reserves for its metadata`, { path: dir });
    }
    const file = path.join(dir, name);
    const fh = opened?.get(name) ?? (await openDataFile(file));
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new SnapDeskError('invalid_input', `cannot archive ${file}: it is not a regular file`, { path: file });
      const extents = await dataExtents(fh, st.size, st.blocks * 512, signal);
      const whole = extents.length === 1 && extents[0]?.offset === 0 && extents[0].length === st.size;
      const segments = st.size === 0 || whole ? null : fitMap(extents);
      const dataBytes = segments ? segments.reduce((n, s) => n + s.length, 0) : st.size;
      plan.push({ name, size: st.size, mode: st.mode & 0o777, mtime: Math.floor(st.mtimeMs / 1000), segments, dataBytes });
    } finally {
      if (!opened) await fh.close();
    }
  }
  return plan;
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

/** Reads `length` bytes at `offset` in fresh 1 MiB buffers, one read ahead of the consumer. */
async function* readRange(fh: fs.FileHandle, offset: number, length: number, file: string): AsyncGenerator<Buffer> {
  const end = offset + length;
  const readAt = async (pos: number): Promise<Buffer> => {
    const want = Math.min(READ_CHUNK, end - pos);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) throw new SnapDeskError('io', `${file} became shorter while it was being read; export again once nothing writes to it`, { path: file });
      got += bytesRead;
    }
    return buf;
  };
  let pos = offset;
  let next = pos < end ? readAt(pos) : null;
  while (next) {
    const buf = await next;
    pos += buf.length;
    next = pos < end ? readAt(pos) : null;
    // Keep a read-ahead failure from surfacing as "unhandled" if the consumer stops first.
    next?.catch(() => undefined);
    yield buf;
  }
}

export interface PackOptions extends OperationOptions {
  /** Entries written before the data files (export's snapshot.json). */
  prefix?: { name: string; data: Buffer; mtime: number }[];
  /** Files opened ahead by the caller (see OpenedDataFiles). */
  opened?: OpenedDataFiles;
}

async function* packEntries(dir: string, opts: PackOptions): AsyncGenerator<Buffer> {
  try {
    const plan = await planDataDir(dir, opts.signal, opts.opened);
    const total = plan.reduce((n, f) => n + f.dataBytes, 0);
    let done = 0;
    opts.onProgress?.({ bytesDone: 0, bytesTotal: total });
    for (const p of opts.prefix ?? []) {
      yield entryHeaders({ name: p.name, size: p.data.length, mode: 0o644, mtime: p.mtime });
      yield Buffer.concat([p.data, Buffer.alloc(padding(p.data.length))]);
    }
    for (const f of plan) {
      const pax: [string, string][] = f.segments
        ? [
            [COCOON_SPARSE_MAP, serializeCocoonMap(f.segments)],
            [COCOON_SPARSE_SIZE, String(f.size)],
          ]
        : [];
      yield entryHeaders({ name: f.name, size: f.dataBytes, mode: f.mode, mtime: f.mtime, pax });
      const file = path.join(dir, f.name);
      const fh = opts.opened?.get(f.name) ?? (await fs.open(file, OPEN_FLAGS));
      try {
        for (const seg of f.segments ?? [{ offset: 0, length: f.size }]) {
          for await (const buf of readRange(fh, seg.offset, seg.length, file)) {
            if (opts.signal?.aborted) throw cancelled('export');
            done += buf.length;
            opts.onProgress?.({ bytesDone: done, bytesTotal: total, file: f.name });
            yield buf;
          }
        }
      } finally {
        if (!opts.opened) await fh.close();
      }
      const pad = padding(f.dataBytes);
      if (pad > 0) yield Buffer.alloc(pad);
    }
    yield END_OF_ARCHIVE;
  } catch (err) {
    throw toSnapDeskError(err);
  }
}

/** Streams a data directory as a tar of its files (restore, create --from-dir, export). */
export function packDataDir(dir: string, opts: PackOptions = {}): Readable {
  const stream = Readable.from(packEntries(dir, opts), { objectMode: false, highWaterMark: 2 * READ_CHUNK });
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
