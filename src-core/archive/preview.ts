/**
 * Preview: what an import would create, from snapshot.json alone. It reads
 * only the first entry and then stops reading, so it is instant on any size.
 */
import type { Readable } from 'node:stream';
import type { ImportTarget } from '../reservation';
import type { ArchivePreview, OperationOptions } from '../types';
import { openArchiveSource } from './archive-source';
import { readMetadata } from './metadata';

export async function previewArchive(input: Readable, target: ImportTarget, opts: OperationOptions = {}): Promise<ArchivePreview> {
  const source = await openArchiveSource(input, { ...opts, what: 'preview' });
  try {
    const { config, version } = await readMetadata(source);
    source.close();
    const nameTaken = config.name !== '' && (await target.isNameTaken(config.name));
    const preview: ArchivePreview = { config, version, gzip: source.gzip, nameTaken };
    if (nameTaken) preview.suggestedName = await target.suggestFreeName(config.name);
    return preview;
  } catch (err) {
    throw await source.explain(err);
  } finally {
    source.close();
  }
}
