/**
 * Export: snapshot.json, then the data files, as a tar stream that is
 * gzip-wrapped (in parallel) unless raw tar is asked for.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { cancelled, SnapDeskError, toSnapDeskError } from '../errors';
import type { ExportOptions, SnapshotConfig } from '../types';
import { METADATA_NAME } from './entry-name';
import { serializeEnvelope } from './envelope';
import { writeGzipArchive, type ArchiveSink } from './export-engine';
import { checkedGzipOptions } from './gzip-parallel';
import { packDataDir, type OpenedDataFiles, type PackOptions } from './tar-pack';
import { startWriteback } from './writeback';

const STREAM_BUFFER = 1024 * 1024;
/** Bytes written between write-back requests. */
const WRITEBACK_STRETCH = 8 * 1024 * 1024;

export interface ExportSource {
  dir: string;
  config: SnapshotConfig;
  /** Data files the store opened before the export began (read in full even if removed meanwhile). */
  opened?: OpenedDataFiles;
}

/** The archive as a stream. Progress counts data bytes read, out of the total data (not apparent) size. */
export function exportArchive(src: ExportSource, opts: ExportOptions = {}): Readable {
  const pack = packOptions(src, opts);
  if (opts.gzip === false) return packDataDir(src.dir, pack);
  checkedGzipOptions({ level: opts.level ?? 1 });
  // The engine stops when the consumer does: destroying the stream aborts it.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let wake: (() => void) | null = null;
  const out = new Readable({
    highWaterMark: STREAM_BUFFER,
    read() {
      wake?.();
      wake = null;
    },
    destroy(err, cb) {
      stop.abort();
      wake?.();
      cb(err);
    },
  });
  const sink: ArchiveSink = {
    async write(data) {
      if (signal.aborted) throw cancelled('export');
      // The engine reuses `data`'s buffer: the consumer gets a copy it may keep.
      if (!out.push(Buffer.from(data))) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
  const onAbort = (): void => {
    out.destroy(cancelled('export'));
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  writeGzipArchive(src.dir, sink, { ...pack, level: opts.level ?? 1, signal })
    .then(
      () => out.push(null),
      (err: unknown) => out.destroy(opts.signal?.aborted ? cancelled('export') : toSnapDeskError(err)),
    )
    .finally(() => opts.signal?.removeEventListener('abort', onAbort));
  return out;
}

/**
 * Writes the archive to `target` atomically: a temp file beside it, flushed
 * to disk, then renamed; on any failure or abort the temp file is removed and
 * nothing is left at `target`.
 */
/** The tar side of an export: snapshot.json first, then the data files (handles opened ahead when given). */
function packOptions(src: ExportSource, opts: ExportOptions): PackOptions {
  const prefix = [{ name: METADATA_NAME, data: serializeEnvelope(src.config), mtime: Math.floor(Date.now() / 1000) }];
  return {
    prefix,
    ...(src.opened ? { opened: src.opened } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
}

/**
 * Members straight to a file, in order. The kernel is asked to start writing
 * each stretch back at once, so the final flush has little left to do.
 */
function fileSink(fh: fs.FileHandle): ArchiveSink & { settle(): Promise<void> } {
  let position = 0;
  let unflushed = 0;
  const writebacks: Promise<void>[] = [];
  return {
    async write(data) {
      for (let from = 0; from < data.length; ) {
        const { bytesWritten } = await fh.write(data, from, data.length - from, position + from);
        from += bytesWritten;
      }
      position += data.length;
      unflushed += data.length;
      if (unflushed >= WRITEBACK_STRETCH) {
        writebacks.push(startWriteback(fh.fd, position - unflushed, unflushed));
        if (writebacks.length > 4) await writebacks.shift();
        unflushed = 0;
      }
    },
    /** Every write-back request made (they name the descriptor): await before closing it. */
    async settle() {
      await Promise.all(writebacks.splice(0));
    },
  };
}

export async function exportArchiveToFile(src: ExportSource, target: string, opts: ExportOptions = {}): Promise<{ bytes: number }> {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    if (opts.signal?.aborted) throw cancelled('export');
    // 0600: an archive holds guest memory, readable by its owner only.
    if (opts.gzip === false) {
      await pipeline(exportArchive(src, opts), createWriteStream(temp, { flags: 'wx', mode: 0o600 }), opts.signal ? { signal: opts.signal } : {});
    } else {
      const fh = await fs.open(temp, 'wx', 0o600);
      try {
        const sink = fileSink(fh);
        try {
          await writeGzipArchive(src.dir, sink, { ...packOptions(src, opts), level: opts.level ?? 1 });
        } finally {
          await sink.settle();
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    if (opts.gzip === false) {
      const fh = await fs.open(temp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    if (opts.signal?.aborted) throw cancelled('export');
    const { size } = await fs.stat(temp);
    await fs.rename(temp, target);
    return { bytes: size };
  } catch (err) {
    await fs.rm(temp, { force: true });
    const e = toSnapDeskError(targetError(err, target, temp));
    throw e.code === 'cancelled' ? cancelled('export') : e;
  }
}

/**
 * An error writing the target (or the hidden temp file beside it), in words
 * about the target the person chose; errors reading the snapshot pass as
 * they are.
 */
function targetError(err: unknown, target: string, temp: string): unknown {
  const e = err as (NodeJS.ErrnoException & { dest?: string }) | null;
  const errno = e?.code;
  if (!e || (e.path !== temp && e.path !== target && e.dest !== target)) return err;
  const dir = path.dirname(path.resolve(target));
  const why =
    errno === 'ENOENT' || errno === 'ENOTDIR'
      ? `the folder ${dir} does not exist`
      : errno === 'EACCES' || errno === 'EPERM'
        ? `no permission to write in ${dir}`
        : errno === 'EROFS'
          ? `${dir} is on a read-only file system`
          : errno === 'EISDIR'
            ? `${target} is a folder; give a file name`
            : null;
  return why && errno ? new SnapDeskError('io', `cannot write ${target}: ${why}`, { path: target, errno }, { cause: err }) : err;
}
