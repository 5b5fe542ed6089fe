/**
 * Extraction of data-file entries into a data directory, shared by create
 * (a plain tar of data files) and import (after snapshot.json).
 */
import type { Readable } from 'node:stream';
import { SafeDir } from '../safe-dir';
import type { OperationOptions } from '../types';
import { invalidArchive, quoteArchiveText } from './archive-errors';
import { openArchiveSource, type ArchiveSource } from './archive-source';
import { writeEntryFile } from './entry-writer';
import type { TarEntry } from './tar-reader';

export interface ExtractResult {
  files: number;
  /** Sum of the files' apparent sizes. */
  bytes: number;
  /** The extracted files in archive order. */
  entries: { name: string; size: number; sparse: boolean }[];
}

/**
 * Walks every remaining data entry of `source` once (refusing a name seen
 * before; `taken` holds names already used, snapshot.json for import), hands
 * each to `consume`, which must read its body, then reads the stream to its
 * very end (end marker, padding, gzip trailer). Shared by extraction and
 * verify so both judge an archive by the same rules.
 */
export async function walkDataEntries(
  source: ArchiveSource,
  taken: Iterable<string>,
  consume: (entry: TarEntry) => Promise<void>,
): Promise<ExtractResult> {
  const seen = new Set(taken);
  const result: ExtractResult = { files: 0, bytes: 0, entries: [] };
  for (;;) {
    const entry = await source.tar.next();
    if (!entry) break;
    if (seen.has(entry.name)) throw invalidArchive(`the archive holds the file ${quoteArchiveText(entry.name)} twice`, { entry: entry.name });
    seen.add(entry.name);
    source.file = entry.name;
    await consume(entry);
    result.files++;
    result.bytes += entry.realSize;
    result.entries.push({ name: entry.name, size: entry.realSize, sparse: entry.segments !== null });
  }
  source.file = undefined;
  await source.tar.finish();
  return result;
}

/**
 * Extracts every remaining entry of `source` into `dir` (see walkDataEntries).
 * Files are created under the directory as opened at the start, and the
 * directory is checked to be still in place once everything is written, so
 * a swap for a symlink mid-way fails the extraction instead of redirecting it.
 */
export async function extractEntries(source: ArchiveSource, dir: string, taken: Iterable<string> = []): Promise<ExtractResult> {
  const target = await SafeDir.open(dir);
  try {
    const result = await walkDataEntries(source, taken, (entry) => writeEntryFile(source.tar, entry, target));
    await target.verify();
    return result;
  } finally {
    await target.close();
  }
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
