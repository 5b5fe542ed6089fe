import { defaultArchiveName } from '../../src-core/archive/archive-name';
import type { Snapshot } from '../../src-core/types';

/** The core's default `<name>.tgz` (or `<id>.tgz` when unnamed); `.tar` when not gzip-wrapped. */
export function archiveFileName(snapshot: Pick<Snapshot, 'id' | 'name'>, gzip = true): string {
  const name = defaultArchiveName(snapshot);
  return gzip ? name : name.replace(/\.tgz$/, '.tar');
}

/** Appends the archive extension when the user typed a name without one. */
export function withArchiveExtension(path: string, gzip = true): string {
  const lower = path.toLowerCase();
  if (gzip) return lower.endsWith('.tgz') || lower.endsWith('.tar.gz') ? path : `${path}.tgz`;
  return lower.endsWith('.tar') ? path : `${path}.tar`;
}
