import { invalidArchive, quoteArchiveText } from './archive-errors';
import type { ArchiveSource } from './archive-source';
import { METADATA_NAME } from './entry-name';
import { MAX_ENVELOPE_BYTES, parseEnvelope, type Envelope } from './envelope';

/** Reads and checks the first entry, which must be snapshot.json. */
export async function readMetadata(source: ArchiveSource): Promise<Envelope> {
  const entry = await source.tar.next();
  if (!entry) throw invalidArchive('the archive holds no entries (snapshot.json is missing)');
  if (entry.name !== METADATA_NAME) {
    // A hand-made tar of a snapshot folder lists its files in directory order: say how to put snapshot.json first.
    throw invalidArchive(
      `the first entry is ${quoteArchiveText(entry.name)}, not snapshot.json: this is not a snapshot archive, or its metadata is missing. ` +
        'Snapshot archives start with snapshot.json; to pack a snapshot folder by hand, name it first: tar -C DIR -czf FILE.tgz snapshot.json <the other files>',
      {
        entry: quoteArchiveText(entry.name),
      },
    );
  }
  if (entry.segments) throw invalidArchive('snapshot.json is stored as a sparse entry');
  if (entry.realSize > MAX_ENVELOPE_BYTES) throw invalidArchive(`snapshot.json is ${entry.realSize} bytes, more than the ${MAX_ENVELOPE_BYTES} allowed`);
  const parts: Buffer[] = [];
  while (source.tar.remaining > 0) parts.push(Buffer.from(await source.tar.readData(source.tar.remaining)));
  return parseEnvelope(Buffer.concat(parts));
}
