/**
 * Verify: reads a whole archive exactly as import would — every header,
 * sparse map, name and the gzip trailer — without storing anything.
 */
import type { Readable } from 'node:stream';
import type { OperationOptions, VerifyReport } from '../types';
import { invalidArchive, quoteArchiveText } from './archive-errors';
import { openArchiveSource } from './archive-source';
import { METADATA_NAME } from './entry-name';
import { readMetadata } from './metadata';

export async function verifyArchive(input: Readable, opts: OperationOptions = {}): Promise<VerifyReport> {
  const source = await openArchiveSource(input, { ...opts, what: 'verification' });
  try {
    const { config } = await readMetadata(source);
    const files: VerifyReport['files'] = [];
    const seen = new Set([METADATA_NAME]);
    let dataSize = 0;
    for (;;) {
      const entry = await source.tar.next();
      if (!entry) break;
      if (seen.has(entry.name)) throw invalidArchive(`the archive holds the file ${quoteArchiveText(entry.name)} twice`, { entry: entry.name });
      seen.add(entry.name);
      source.file = entry.name;
      // The body must be read (not just skipped by size) for the gzip check to cover it.
      while (source.tar.remaining > 0) await source.tar.readData(4 * 1024 * 1024);
      files.push({ name: entry.name, size: entry.realSize, sparse: entry.segments !== null });
      dataSize += entry.realSize;
    }
    source.file = undefined;
    await source.tar.finish();
    return { config, gzip: source.gzip, files, dataSize, archiveBytes: source.inputBytes };
  } catch (err) {
    throw await source.explain(err);
  } finally {
    source.close();
  }
}
