/**
 * Preview: what an import would create, from snapshot.json alone. It reads
 * only the first entry and then stops reading, so it is instant on any size.
 */
import type { Readable } from 'node:stream';
import type { ImportTarget } from '../reservation';
import { cleanDescription, cleanName, descriptionProblem, nameProblem } from '../rules';
import type { ArchivePreview, OperationOptions, SnapshotConfig } from '../types';

/** The parts of a preview that say what an import would refuse. */
export type ImportAdvice = Pick<ArchivePreview, 'nameTaken' | 'nameProblem' | 'suggestedName' | 'descriptionProblem' | 'suggestedDescription'>;
import { openArchiveSource } from './archive-source';
import { readMetadata } from './metadata';

export async function previewArchive(input: Readable, target: ImportTarget, opts: OperationOptions = {}): Promise<ArchivePreview> {
  const source = await openArchiveSource(input, { ...opts, what: 'preview' });
  try {
    const { config, version } = await readMetadata(source);
    source.close();
    return { config, version, gzip: source.gzip, ...(await importAdvice(config, target)) };
  } catch (err) {
    throw await source.explain(err);
  } finally {
    source.close();
  }
}

/** What an import of `config` into `target` would refuse in its name and description, and what to use instead. */
export async function importAdvice(config: SnapshotConfig, target: Pick<ImportTarget, 'isNameTaken' | 'suggestFreeName'>): Promise<ImportAdvice> {
  const nameTaken = config.name !== '' && (await target.isNameTaken(config.name));
  const advice: ImportAdvice = { nameTaken };
  const badName = nameProblem(config.name);
  if (badName) {
    advice.nameProblem = badName;
    const cleaned = cleanName(config.name);
    if (cleaned !== '') advice.suggestedName = await target.suggestFreeName(cleaned);
  } else if (nameTaken) {
    advice.suggestedName = await target.suggestFreeName(config.name);
  }
  const badDescription = descriptionProblem(config.description ?? '');
  if (badDescription) {
    advice.descriptionProblem = badDescription;
    advice.suggestedDescription = cleanDescription(config.description ?? '');
  }
  return advice;
}
