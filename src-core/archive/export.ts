/**
 * Export: snapshot.json, then the data files, as a tar stream that is
 * gzip-wrapped (in parallel) unless raw tar is asked for.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { cancelled, toSnapDeskError } from '../errors';
import type { ExportOptions, SnapshotConfig } from '../types';
import { METADATA_NAME } from './entry-name';
import { serializeEnvelope } from './envelope';
import { GzipParallel } from './gzip-parallel';
import { packDataDir, type OpenedDataFiles } from './tar-pack';

export interface ExportSource {
  dir: string;
  config: SnapshotConfig;
  /** Data files the store opened before the export began (read in full even if removed meanwhile). */
  opened?: OpenedDataFiles;
}

/** The archive as a stream. Progress counts data bytes read, out of the total data (not apparent) size. */
export function exportArchive(src: ExportSource, opts: ExportOptions = {}): Readable {
  const metadata = serializeEnvelope(src.config);
  const tar = packDataDir(src.dir, { ...opts, prefix: [{ name: METADATA_NAME, data: metadata, mtime: Math.floor(Date.now() / 1000) }], ...(src.opened ? { opened: src.opened } : {}) });
  if (opts.gzip === false) return tar;
  let gzip: GzipParallel;
  try {
    gzip = new GzipParallel({ level: opts.level ?? 1 });
  } catch (err) {
    tar.destroy();
    throw err;
  }
  // Errors travel downstream (the consumer sees them on the gzip stream); a consumer
  // that destroys the gzip stream stops the tar side too.
  tar.on('error', (err) => gzip.destroy(err));
  gzip.on('close', () => tar.destroy());
  tar.pipe(gzip);
  if (opts.signal) {
    const signal = opts.signal;
    const onAbort = (): void => {
      gzip.destroy(cancelled('export'));
    };
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      gzip.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return gzip;
}

/**
 * Writes the archive to `target` atomically: a temp file beside it, flushed
 * to disk, then renamed; on any failure or abort the temp file is removed and
 * nothing is left at `target`.
 */
export async function exportArchiveToFile(src: ExportSource, target: string, opts: ExportOptions = {}): Promise<{ bytes: number }> {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    if (opts.signal?.aborted) throw cancelled('export');
    // 0600: an archive holds guest memory, readable by its owner only.
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    await pipeline(exportArchive(src, opts), out, opts.signal ? { signal: opts.signal } : {});
    const fh = await fs.open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.signal?.aborted) throw cancelled('export');
    const { size } = await fs.stat(temp);
    await fs.rename(temp, target);
    return { bytes: size };
  } catch (err) {
    await fs.rm(temp, { force: true });
    const e = toSnapDeskError(err);
    throw e.code === 'cancelled' ? cancelled('export') : e;
  }
}
