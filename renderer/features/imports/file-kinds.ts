/** Snapshot archives are tar, optionally gzip-wrapped; the extension is the only hint a drop gives. */
const ARCHIVE_SUFFIXES = ['.tgz', '.tar.gz', '.tar'] as const;

export const ARCHIVE_ACCEPT = ARCHIVE_SUFFIXES.join(',');

export function isArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return ARCHIVE_SUFFIXES.some((s) => lower.endsWith(s));
}

export function splitArchiveFiles<F extends { name: string }>(files: readonly F[]): { accepted: F[]; refused: F[] } {
  const accepted: F[] = [];
  const refused: F[] = [];
  for (const f of files) (isArchiveName(f.name) ? accepted : refused).push(f);
  return { accepted, refused };
}
