import path from 'node:path';
import { assertPlainName } from './entry-name';
import { invalidArchive } from './archive-errors';

/**
 * The path of data file `name` inside `dir`. The name is checked again here,
 * at the one place names become paths, so no caller can forget it.
 */
export function dataFilePath(dir: string, name: string): string {
  assertPlainName(name);
  const full = path.resolve(dir, name);
  if (path.dirname(full) !== path.resolve(dir)) throw invalidArchive(`entry "${name}" would be written outside the data directory`);
  return full;
}
