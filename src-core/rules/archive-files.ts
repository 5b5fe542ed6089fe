/**
 * Archive files: which file names are snapshot archives, and what an export
 * is called. Archives are tar, optionally gzip-wrapped; the extension is
 * the only hint a dropped or picked file gives before it is read.
 */
import { hasUnsafeChars } from './unsafe-text';

/** Lower-case; `.tgz` first, the app's own export extension. */
export const ARCHIVE_EXTENSIONS = ['.tgz', '.tar.gz', '.tar'] as const;

/** The extensions as people read them: ".tgz, .tar.gz or .tar". */
export const ARCHIVE_EXTENSIONS_TEXT = `${ARCHIVE_EXTENSIONS.slice(0, -1).join(', ')} or ${ARCHIVE_EXTENSIONS[ARCHIVE_EXTENSIONS.length - 1]}`;

/** For a file input's `accept`: the extensions and the MIME types browsers give them. */
export const ARCHIVE_ACCEPT = [...ARCHIVE_EXTENSIONS, 'application/gzip', 'application/x-tar'].join(',');

const GZIP_EXTENSIONS: readonly string[] = ARCHIVE_EXTENSIONS.filter((e) => e !== '.tar');
const GZIP_EXPORT = '.tgz';
const TAR_EXPORT = '.tar';

export function isArchiveFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return ARCHIVE_EXTENSIONS.some((s) => lower.endsWith(s));
}

/** For file dialogs, which take extensions without the dot: every archive kind, gzip-wrapped ones, or plain tar. */
export function dialogExtensions(kind: 'any' | 'gzip' | 'tar' = 'any'): string[] {
  const pick = kind === 'any' ? ARCHIVE_EXTENSIONS : kind === 'gzip' ? GZIP_EXTENSIONS : [TAR_EXPORT];
  return pick.map((e) => e.slice(1));
}

/** Splits files into archives and the rest, by name. */
export function splitArchiveFiles<F extends { name: string }>(files: readonly F[]): { accepted: F[]; refused: F[] } {
  const accepted: F[] = [];
  const refused: F[] = [];
  for (const f of files) (isArchiveFileName(f.name) ? accepted : refused).push(f);
  return { accepted, refused };
}

/** Characters no common file system (Windows included) takes in a name. */
const FILE_SYSTEM_RESERVED = new Set(['<', '>', ':', '"', '/', '\\', '|', '?', '*']);
/** Well under NAME_MAX (255 bytes) with room for the extension. */
const MAX_BASE_BYTES = 200;
const utf8 = new TextEncoder();

/** The longest prefix of `text` (whole code points) that is at most `max` bytes of UTF-8. */
function cutToBytes(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += utf8.encode(ch).length;
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

/**
 * The default export file name: "<name>.tgz" (".tar" without gzip), or
 * "<id>.tgz" when unnamed; safe on any file system: reserved and unsafe
 * characters become "_", leading and trailing dots and spaces go, and the
 * name is cut to fit a file name.
 */
export function exportFileName(snapshot: { id?: string | undefined; name: string }, gzip = true): string {
  const replaced = [...snapshot.name].map((ch) => (FILE_SYSTEM_RESERVED.has(ch) || hasUnsafeChars(ch) ? '_' : ch)).join('');
  const base = cutToBytes(replaced.replace(/^[\s.]+|[\s.]+$/g, ''), MAX_BASE_BYTES).replace(/[\s.]+$/, '');
  return `${base || snapshot.id || 'snapshot'}${gzip ? GZIP_EXPORT : TAR_EXPORT}`;
}

/** Appends the archive extension when the user typed a file name without one. */
export function withArchiveExtension(path: string, gzip = true): string {
  const lower = path.toLowerCase();
  if (gzip) return GZIP_EXTENSIONS.some((e) => lower.endsWith(e)) ? path : `${path}${GZIP_EXPORT}`;
  return lower.endsWith(TAR_EXPORT) ? path : `${path}${TAR_EXPORT}`;
}
