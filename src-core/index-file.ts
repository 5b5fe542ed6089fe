/**
 * snapshots.json: `{"snapshots": {<id>: record}, "names": {<name>: <id>}}`.
 * Reading tolerates a missing file (an empty store) and Go's `null` maps;
 * writing is atomic (temp file in the same directory, fsync, rename, fsync of
 * the directory) so a crash leaves either the old or the new index, never a
 * torn one. Maps are `Map`s so an ID or name like "__proto__" is just a key.
 */
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from './atomic-write';
import { SnapDeskError } from './errors';
import { jsonText, keepRaw } from './raw-json';
import { entriesToJSON, goEscape, parseRecord, recordToJSON, type StoredRecord } from './record';

export interface SnapshotIndex {
  snapshots: Map<string, StoredRecord>;
  /** name → snapshot ID */
  names: Map<string, string>;
  /** Top-level fields this version does not know, kept for the rewrite (values as RawJson). */
  extra: [string, unknown][];
}

export const emptyIndex = (): SnapshotIndex => ({ snapshots: new Map(), names: new Map(), extra: [] });

export { TEMP_PREFIX } from './atomic-write';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function damaged(file: string, problem: string, cause?: unknown): SnapDeskError {
  return new SnapDeskError('io', `the snapshot index ${file} is damaged: ${problem}; fix or restore the file`, { path: file }, { cause });
}

/** Parses the text of snapshots.json, validating every record. */
export function parseIndex(text: string, file: string): SnapshotIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw damaged(file, `it is not valid JSON (${(err as Error).message})`, err);
  }
  if (!isPlainObject(raw)) throw damaged(file, 'the top level is not a JSON object');
  const index = emptyIndex();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'snapshots') {
      if (value === null) continue;
      if (!isPlainObject(value)) throw damaged(file, '"snapshots" is not an object');
      for (const [id, rec] of Object.entries(value)) {
        // A null record is what Go would decode as a nil pointer; it holds nothing.
        if (rec === null) continue;
        index.snapshots.set(id, parseRecord(rec, id, file));
      }
    } else if (key === 'names') {
      if (value === null) continue;
      if (!isPlainObject(value)) throw damaged(file, '"names" is not an object');
      for (const [name, id] of Object.entries(value)) {
        if (typeof id !== 'string') throw damaged(file, `name "${name}" does not map to a snapshot ID string`);
        index.names.set(name, id);
      }
    } else {
      index.extra.push([key, keepRaw(value)]);
    }
  }
  return index;
}

/** Reads the index; a missing file is an empty store. */
export async function readIndex(file: string): Promise<SnapshotIndex> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
    throw err;
  }
  return parseIndex(text, file);
}

const byKey = <T>(m: Map<string, T>): [string, T][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Serializes as Go's json.Marshal would: compact, map keys sorted, then a newline. */
export function serializeIndex(index: SnapshotIndex): string {
  const snapshots = `{${byKey(index.snapshots)
    .map(([id, rec]) => `${goEscape(JSON.stringify(id))}:${recordToJSON(rec)}`)
    .join(',')}}`;
  const names = entriesToJSON(byKey(index.names));
  const extra = index.extra.map(([k, v]) => `,${goEscape(`${JSON.stringify(k)}:${jsonText(v)}`)}`).join('');
  return `{"snapshots":${snapshots},"names":${names}${extra}}\n`;
}

/** Atomically replaces the index file (cocoon's index is 0644 whatever the umask). Call only under the exclusive store lock. */
export async function writeIndex(file: string, index: SnapshotIndex): Promise<void> {
  await writeFileAtomic(file, serializeIndex(index));
}
