import { hasUnsafeChars } from '../rules';
import { invalidArchive, quoteArchiveText } from './archive-errors';

/** NAME_MAX of common file systems: a longer name could not be created anyway. */
export const MAX_NAME_BYTES = 255;

/** The metadata entry every archive starts with. */
export const METADATA_NAME = 'snapshot.json';

/**
 * Why `name` is not a plain file name, or null when it is one. Data files
 * are flat, so anything that could address another directory (separators,
 * `.`/`..`) or confuse a terminal or a file system (control and format characters,
 * over-long names) is refused.
 */
export function plainNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  if (name === '.' || name === '..') return 'the name is "." or ".."';
  if (name.includes('/') || name.includes('\\')) return 'the name contains a path separator (archives must be flat)';
  if (hasUnsafeChars(name)) return 'the name contains a control character or an invisible formatting character';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`;
  if (name.includes('\ufffd')) return 'the name is not valid UTF-8';
  return null;
}

/**
 * `name` without leading "./": `tar -C DIR .` names every file "./name", and
 * cocoon's importer (which keeps only the base name) reads those as "name".
 */
export function withoutDotSlash(name: string): string {
  return name.replace(/^(?:\.\/)+/, '');
}

/** The entry `tar -C DIR .` writes for DIR itself ("./" or "."), which an import skips. */
export const isArchiveRootDir = (name: string): boolean => name === '.' || name === './' || withoutDotSlash(name) === '';

/** Throws invalid_archive unless `name` is a plain data file name. */
export function assertPlainName(name: string): string {
  const problem = plainNameProblem(name);
  if (problem) throw invalidArchive(`entry ${quoteArchiveText(name)} is not a plain file name: ${problem}`, { entry: quoteArchiveText(name) });
  return name;
}
