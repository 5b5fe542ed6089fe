/**
 * Verify: reads a whole archive exactly as import would — every header,
 * sparse map, name and the gzip trailer — without storing anything.
 */
import type { Readable } from 'node:stream';
import type { OperationOptions, VerifyReport } from '../types';
import { openArchiveSource } from './archive-source';
import { METADATA_NAME } from './entry-name';
import { readMetadata } from './metadata';
import { walkDataEntries } from './tar-extract';

export async function verifyArchive(input: Readable, opts: OperationOptions = {}): Promise<VerifyReport> {
  // Nothing is written: inflating is all the work, spread on libuv's thread pool (see inflateGzip).
  const source = await openArchiveSource(input, { ...opts, what: 'verification', inflateThreads: 0 });
  try {
    const { config } = await readMetadata(source);
    const { entries, bytes } = await walkDataEntries(source, [METADATA_NAME], async () => {
      // The body must be read (not just skipped by size) for the gzip check to cover it.
      while (source.tar.remaining > 0) await source.tar.readData(4 * 1024 * 1024);
    });
    return { config, gzip: source.gzip, files: entries, dataSize: bytes, archiveBytes: source.inputBytes };
  } catch (err) {
    throw await source.explain(err);
  } finally {
    source.close();
  }
}
