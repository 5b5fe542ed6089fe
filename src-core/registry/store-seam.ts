/**
 * Everything the registry code takes from the store and the archive codec,
 * in one place: a push reads a snapshot's data files exactly as export
 * would archive them (same file list, modes and sparse maps, from the
 * codec's planDataDir), under a shared lease so nothing deletes them
 * meanwhile; a pull writes a cocoon archive stream (the codec's own entry
 * headers) into the store's import, which reserves a pending record, fills
 * the data directory and commits only at the end of the stream.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { METADATA_NAME } from '../archive/entry-name';
import { serializeEnvelope } from '../archive/envelope';
import { COCOON_SPARSE_MAP, COCOON_SPARSE_SIZE, parseCocoonSparse, serializeCocoonMap, type Segment } from '../archive/sparse-map';
import { closePlan, entryHeaders, planDataDir } from '../archive/tar-pack';
import { padding, BLOCK } from '../archive/tar-header';
import { SnapDeskError } from '../errors';
import { holdLease } from '../lease';
import type { LocalFileStore } from '../localfile';
import type { ImportOptions, SnapshotConfig } from '../types';

export interface SourceFile {
  name: string;
  /** Tar mode bits, as export writes them. */
  mode: number;
  /** Apparent size. */
  size: number;
  /** Data segments of a file with holes; null for a plain file. */
  segments: Segment[] | null;
  /** The COCOON.sparse.map text export would write, for a file with holes. */
  sparseMap: string | null;
  /** Bytes of the archive entry body (= the layer). */
  dataBytes: number;
  /** Identity of the file's content on disk (device, inode, size, times), for the digest cache. */
  identity: string;
}

export interface SnapshotSource {
  id: string;
  config: SnapshotConfig;
  dir: string;
  files: SourceFile[];
  release(): Promise<void>;
}

/** Opens a committed snapshot for reading, leased like an export. */
export async function openSnapshotSource(store: LocalFileStore, ref: string, signal?: AbortSignal): Promise<SnapshotSource> {
  const first = await store.dataDir(ref);
  const lease = (await holdLease(store.paths, path.basename(first.dir), 'shared', { wait: true }))!;
  try {
    // Resolved again under the lease: it may have been deleted (or renamed) in between.
    const { dir, config } = await store.dataDir(first.config.id ?? ref);
    const plan = await planDataDir(dir, signal);
    const files: SourceFile[] = [];
    // The plan opens every file; the push reads them again by range, so these handles go now.
    try {
      for (const p of plan) {
        const st = await p.fh.stat({ bigint: true });
        files.push({
          name: p.name,
          mode: p.mode,
          size: p.size,
          segments: p.segments,
          sparseMap: p.segments ? serializeCocoonMap(p.segments) : null,
          dataBytes: p.dataBytes,
          identity: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
        });
      }
    } finally {
      await closePlan(plan);
    }
    return { id: config.id ?? '', config, dir, files, release: () => lease.release() };
  } catch (err) {
    await lease.release();
    throw err;
  }
}

const READ_CHUNK = 1024 * 1024;

/** Bytes [from, to) of a file's archive entry body: its data segments back to back. */
export async function* readEntryBody(dir: string, file: SourceFile, from: number, to: number): AsyncGenerator<Buffer> {
  const fh = await fs.open(path.join(dir, file.name), fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    let bodyAt = 0;
    for (const seg of file.segments ?? [{ offset: 0, length: file.size }]) {
      const segEnd = bodyAt + seg.length;
      let pos = Math.max(from, bodyAt);
      const stop = Math.min(to, segEnd);
      while (pos < stop) {
        const want = Math.min(READ_CHUNK, stop - pos);
        const buf = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await fh.read(buf, got, want - got, seg.offset + (pos - bodyAt) + got);
          if (bytesRead === 0) throw new SnapDeskError('io', `${file.name} became shorter while it was being pushed; push again once nothing writes to it`, { file: file.name });
          got += bytesRead;
        }
        yield buf;
        pos += want;
      }
      bodyAt = segEnd;
      if (bodyAt >= to) break;
    }
  } finally {
    await fh.close();
  }
}

/** Checks a layer's sparse description exactly as import will, before anything is written. */
export async function checkSparse(name: string, sparseMap: string, sparseSize: number, bodySize: number): Promise<void> {
  await parseCocoonSparse(sparseMap, String(sparseSize), bodySize, name);
}

export interface ImportEntry {
  name: string;
  mode: number;
  size: number;
  sparse: { map: string; size: number } | null;
  /** The entry body; must yield exactly `size` bytes (or throw). */
  body: () => AsyncIterable<Buffer>;
}

/** A cocoon archive (raw tar): snapshot.json, then the entries. */
function archiveStream(config: SnapshotConfig, entries: ImportEntry[], mtime: number): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    const envelope = serializeEnvelope(config);
    yield entryHeaders({ name: METADATA_NAME, size: envelope.length, mode: 0o644, mtime });
    yield Buffer.concat([envelope, Buffer.alloc(padding(envelope.length))]);
    for (const e of entries) {
      const pax: [string, string][] = e.sparse ? [[COCOON_SPARSE_MAP, e.sparse.map], [COCOON_SPARSE_SIZE, String(e.sparse.size)]] : [];
      yield entryHeaders({ name: e.name, size: e.size, mode: e.mode, mtime, pax });
      yield* e.body();
      const pad = padding(e.size);
      if (pad > 0) yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(generate(), { objectMode: false, highWaterMark: 4 * READ_CHUNK });
}

/**
 * Imports entries as a new snapshot through the store's two-phase import.
 * An error from an entry body (a digest mismatch, say) is the one reported,
 * not the truncated stream the import sees because of it.
 */
export async function importEntries(store: LocalFileStore, config: SnapshotConfig, entries: ImportEntry[], opts: ImportOptions): Promise<string> {
  let bodyError: unknown = null;
  const guarded = entries.map((e) => ({
    ...e,
    body: async function* (): AsyncGenerator<Buffer> {
      try {
        yield* e.body();
      } catch (err) {
        bodyError ??= err;
        throw err;
      }
    },
  }));
  const stream = archiveStream(config, guarded, Math.floor(Date.now() / 1000));
  try {
    return await store.import(stream, opts);
  } catch (err) {
    throw bodyError ?? err;
  } finally {
    stream.destroy();
  }
}
