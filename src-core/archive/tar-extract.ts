/**
 * Extraction of data-file entries into a data directory, shared by create
 * (a plain tar of data files) and import (after snapshot.json).
 */
import type { Readable } from 'node:stream';
import type { OperationOptions } from '../types';
import { invalidArchive, quoteArchiveText } from './archive-errors';
import { openArchiveSource, type ArchiveSource } from './archive-source';
import { writeEntryFile } from './entry-writer';

export interface ExtractResult {
  files: number;
  /** Sum of the files' apparent sizes. */
  bytes: number;
  /** The extracted files in archive order. */
  entries: { name: string; size: number; sparse: boolean }[];
}

/**
 * Extracts every remaining entry of `source` into `dir`, then reads the
 * stream to its very end (end marker, padding, gzip trailer). `taken` holds
 * names already used (snapshot.json for import).
 */
export async function extractEntries(source: ArchiveSource, dir: string, taken: Iterable<string> = []): Promise<ExtractResult> {
  const seen = new Set(taken);
  const result: ExtractResult = { files: 0, bytes: 0, entries: [] };
  for (;;) {
    const entry = await source.tar.next();
    if (!entry) break;
    if (seen.has(entry.name)) throw invalidArchive(`the archive holds the file ${quoteArchiveText(entry.name)} twice`, { entry: entry.name });
    seen.add(entry.name);
    source.file = entry.name;
    await writeEntryFile(source.tar, entry, dir);
    result.files++;
    result.bytes += entry.realSize;
    result.entries.push({ name: entry.name, size: entry.realSize, sparse: entry.segments !== null });
  }
  source.file = undefined;
  await source.tar.finish();
  return result;
}

/**
 * Extracts a tar of flat data files (gzip-wrapped or not) into `dir`, an
 * existing empty directory. On failure the files written so far stay: the
 * caller owns `dir` and removes it with its rollback.
 */
export async function extractDataTar(tar: Readable, dir: string, opts: OperationOptions = {}): Promise<{ files: number; bytes: number }> {
  const source = await openArchiveSource(tar, { ...opts, what: 'extraction' });
  try {
    const { files, bytes } = await extractEntries(source, dir);
    return { files, bytes };
  } catch (err) {
    throw await source.explain(err);
  } finally {
    source.close();
  }
}
