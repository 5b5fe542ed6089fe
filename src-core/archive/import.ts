/**
 * Import: snapshot.json first, then reserve the snapshot in the store (new
 * ID, name checked), extract the data files into the reserved directory, read
 * the stream to its end (gzip CRC32/length verified), and only then commit.
 * Any failure or abort before that rolls the reservation back.
 */
import type { Readable } from 'node:stream';
import { newSnapshotId } from '../ids';
import { cancelled } from '../errors';
import type { Reservation, ImportTarget } from '../reservation';
import type { ImportOptions, SnapshotConfig } from '../types';
import { openArchiveSource } from './archive-source';
import { METADATA_NAME } from './entry-name';
import { readMetadata } from './metadata';
import { extractEntries } from './tar-extract';

/** The config to store: the archive's, with a new ID and the user's non-empty overrides. */
export function importedConfig(archived: SnapshotConfig, opts: Pick<ImportOptions, 'name' | 'description'>): SnapshotConfig {
  const config: SnapshotConfig = { ...archived, id: newSnapshotId(), name: opts.name || archived.name };
  const description = opts.description || archived.description;
  if (description) config.description = description;
  else delete config.description;
  return config;
}

export async function importArchive(input: Readable, target: ImportTarget, opts: ImportOptions = {}): Promise<string> {
  const source = await openArchiveSource(input, { ...opts, what: 'import' });
  let reservation: Reservation | null = null;
  try {
    const envelope = await readMetadata(source);
    // Reserve before writing a byte: the name is held and a crash leaves a pending record GC can find.
    reservation = await target.reserve(importedConfig(envelope.config, opts));
    await extractEntries(source, reservation.dir, [METADATA_NAME]);
    if (opts.signal?.aborted) throw cancelled('import');
    await reservation.commit();
    // An abort that raced the commit still means "I did not want this": undo it.
    if (opts.signal?.aborted) throw cancelled('import');
    return reservation.id;
  } catch (err) {
    const reason = await source.explain(err);
    source.close();
    if (reservation) await reservation.rollback();
    throw reason;
  } finally {
    source.close();
  }
}
