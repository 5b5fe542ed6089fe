/**
 * The trash's own index, `<root>/snapshot/trash/trash.json`, written
 * atomically like snapshots.json. Each entry keeps the snapshot's whole
 * record (unknown fields included) so a restore puts back exactly what left,
 * and a state that says which step of a move was last made durable:
 *   trashing  — the entry is written; the data may or may not have moved yet
 *   trashed   — in the trash; the record is gone from snapshots.json
 *   restoring — a restore began; the record may be back, the data may have moved
 *   purging   — being deleted for ever
 * The trash lives beside `snapshot/localfile/`, not inside it: cocoon's GC
 * scans only the subdirectories of `snapshot/localfile/` for orphans.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { SnapDeskError } from '../errors';
import type { StorePaths } from '../paths';
import { goEscape, parseRecord, recordToJSON, type StoredRecord } from '../record';

export const TRASH_VERSION = 1;
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Snapshots stay this long in the trash by default. */
export const DEFAULT_RETENTION_DAYS = 7;
export { MAX_RETENTION_DAYS } from '../rules';
/** Below this much free space on the store's file system, the trash empties oldest first. */
export const DEFAULT_MIN_FREE_BYTES = 2 * 1024 ** 3;

export type TrashState = 'trashing' | 'trashed' | 'restoring' | 'purging';
const STATES: readonly TrashState[] = ['trashing', 'trashed', 'restoring', 'purging'];

export interface TrashEntry {
  state: TrashState;
  /** RFC 3339 time it was moved to the trash. */
  deleted_at: string;
  /** Name of its data directory, in snapshot/localfile before and in the trash now. */
  dir: string;
  /** False when the snapshot had no data directory to move. */
  has_data: boolean;
  /** Allocated bytes of its data when it was trashed. */
  size: number;
  /** The name a restore in progress gives it. */
  restore_name?: string;
  record: StoredRecord;
}

export interface TrashSettings {
  retentionDays: number;
  minFreeBytes: number;
}

export interface TrashIndex {
  entries: Map<string, TrashEntry>;
  settings: TrashSettings;
}

export interface TrashPaths {
  /** <root>/snapshot/trash */
  root: string;
  /** <root>/snapshot/trash/trash.json */
  indexFile: string;
}

export const trashPaths = (paths: StorePaths): TrashPaths => {
  const root = path.join(path.dirname(paths.dataRoot), 'trash');
  return { root, indexFile: path.join(root, 'trash.json') };
};

export const defaultTrashSettings = (): TrashSettings => ({ retentionDays: DEFAULT_RETENTION_DAYS, minFreeBytes: DEFAULT_MIN_FREE_BYTES });

export const emptyTrash = (): TrashIndex => ({ entries: new Map(), settings: defaultTrashSettings() });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPlainDirName = (s: unknown): s is string => typeof s === 'string' && s !== '' && s !== '.' && s !== '..' && !/[/\\\0]/.test(s);

function damaged(file: string, problem: string): SnapDeskError {
  return new SnapDeskError('io', `the trash index ${file} is damaged: ${problem}; fix or remove the file (the snapshots in the trash are then lost)`, { path: file });
}

function parseEntry(raw: unknown, id: string, file: string): TrashEntry {
  if (!isObject(raw)) throw damaged(file, `entry "${id}" is not an object`);
  const { state, deleted_at, dir, has_data, size, restore_name, record } = raw;
  if (typeof state !== 'string' || !STATES.includes(state as TrashState)) throw damaged(file, `entry "${id}" has an unknown state`);
  if (typeof deleted_at !== 'string' || Number.isNaN(Date.parse(deleted_at))) throw damaged(file, `entry "${id}" has no valid deleted_at`);
  if (!isPlainDirName(dir)) throw damaged(file, `entry "${id}" has no plain directory name`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw damaged(file, `entry "${id}" has no valid size`);
  if (restore_name !== undefined && typeof restore_name !== 'string') throw damaged(file, `entry "${id}" has a restore_name that is not a string`);
  return {
    state: state as TrashState,
    deleted_at,
    dir,
    has_data: has_data !== false,
    size,
    ...(restore_name !== undefined ? { restore_name } : {}),
    record: parseRecord(record, id, file),
  };
}

export function parseTrash(text: string, file: string): TrashIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw damaged(file, `it is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw damaged(file, 'the top level is not a JSON object');
  if (raw.version !== TRASH_VERSION) throw damaged(file, `version ${JSON.stringify(raw.version)} is not ${TRASH_VERSION}`);
  const trash = emptyTrash();
  const { retention_days, min_free_bytes, entries } = raw;
  if (typeof retention_days === 'number' && Number.isFinite(retention_days) && retention_days >= 0) trash.settings.retentionDays = retention_days;
  if (typeof min_free_bytes === 'number' && Number.isSafeInteger(min_free_bytes) && min_free_bytes >= 0) trash.settings.minFreeBytes = min_free_bytes;
  if (entries !== undefined) {
    if (!isObject(entries)) throw damaged(file, '"entries" is not an object');
    for (const [id, entry] of Object.entries(entries)) trash.entries.set(id, parseEntry(entry, id, file));
  }
  return trash;
}

export function serializeTrash(trash: TrashIndex): string {
  const ids = [...trash.entries.keys()].sort();
  const entries = ids.map((id) => {
    const { record, ...rest } = trash.entries.get(id)!;
    const head = goEscape(JSON.stringify(rest)).slice(0, -1);
    return `${goEscape(JSON.stringify(id))}:${head},"record":${recordToJSON(record)}}`;
  });
  return `{"version":${TRASH_VERSION},"retention_days":${trash.settings.retentionDays},"min_free_bytes":${trash.settings.minFreeBytes},"entries":{${entries.join(',')}}}\n`;
}

/** Reads the trash index; a missing file is an empty trash. */
export async function readTrash(paths: TrashPaths): Promise<TrashIndex> {
  let text: string;
  try {
    text = await fs.readFile(paths.indexFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyTrash();
    throw err;
  }
  return parseTrash(text, paths.indexFile);
}

/** Call only under the exclusive store lock. */
export async function writeTrash(paths: TrashPaths, trash: TrashIndex): Promise<void> {
  await fs.mkdir(paths.root, { recursive: true, mode: 0o750 });
  await writeFileAtomic(paths.indexFile, serializeTrash(trash));
}
