/**
 * Records of snapshots.json, field for field as cocoon's Go structs write
 * them: the same names, the same order, every field but `name` and
 * `created_at` omitted when zero or empty. Fields this version does not know
 * are kept verbatim and written back after the known ones, so a
 * read-modify-write by this app never loses what a newer cocoon added.
 */
import { SnapDeskError } from './errors';
import { jsonText, keepRaw } from './raw-json';
import type { BlobIdSet, Snapshot, SnapshotConfig } from './types';

type FieldKind = 'int' | 'string' | 'bool' | 'blobset';

/** SnapshotConfig in Go struct order. */
const CONFIG_FIELDS = [
  ['cpu', 'int'],
  ['memory', 'int'],
  ['storage', 'int'],
  ['queue_size', 'int'],
  ['disk_queue_size', 'int'],
  ['image', 'string'],
  ['image_digest', 'string'],
  ['image_type', 'string'],
  ['network', 'string'],
  ['no_direct_io', 'bool'],
  ['windows', 'bool'],
  ['id', 'string'],
  ['name', 'string'],
  ['description', 'string'],
  ['image_blob_ids', 'blobset'],
  ['hypervisor', 'string'],
  ['nics', 'int'],
] as const satisfies readonly (readonly [keyof SnapshotConfig, FieldKind])[];

const CONFIG_KINDS: ReadonlyMap<string, FieldKind> = new Map(CONFIG_FIELDS);
export const CONFIG_FIELD_NAMES: readonly string[] = CONFIG_FIELDS.map(([k]) => k);

/** Go's zero time, what cocoon would write for a record without created_at. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A record of the index: a Snapshot plus `pending` and `data_dir`. */
export interface SnapshotRecord extends SnapshotConfig {
  created_at: string;
  pending?: boolean;
  data_dir?: string;
}

/** A record as stored, with the fields this version does not know kept in file order (values as RawJson). */
export interface StoredRecord {
  data: SnapshotRecord;
  extra: [string, unknown][];
}

/** Builds the error for a field that has the wrong type. */
export type FieldErrorFactory = (field: string, problem: string) => SnapDeskError;

/** A wrong value in words; an object is not shown (it may be nested too deep to serialize, or huge). */
const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : typeof v === 'string'
          ? `the string ${JSON.stringify(v.slice(0, 40))}`
          : `${typeof v} ${JSON.stringify(v)}`;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one value against its kind; returns the normalized value, or undefined for a zero value (omitted). */
function checkField(field: string, kind: FieldKind, v: unknown, fail: FieldErrorFactory): unknown {
  // Go leaves a field at its zero value when the JSON says null.
  if (v === null || v === undefined) return undefined;
  switch (kind) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw fail(field, `must be an integer, found ${describe(v)}`);
      if (!Number.isSafeInteger(v)) throw fail(field, `is too large to handle exactly (${v})`);
      return v === 0 ? undefined : v;
    case 'string':
      if (typeof v !== 'string') throw fail(field, `must be a string, found ${describe(v)}`);
      return v === '' ? undefined : v;
    case 'bool':
      if (typeof v !== 'boolean') throw fail(field, `must be true or false, found ${describe(v)}`);
      return v ? true : undefined;
    case 'blobset': {
      if (!isPlainObject(v)) throw fail(field, `must be an object of {"<hex digest>": {}}, found ${describe(v)}`);
      const set: BlobIdSet = {};
      for (const [hex, member] of Object.entries(v)) {
        if (member !== null && !isPlainObject(member)) throw fail(field, `entry "${hex}" must be {}, found ${describe(member)}`);
        Object.defineProperty(set, hex, { value: {}, enumerable: true, writable: true, configurable: true });
      }
      return Object.keys(set).length === 0 ? undefined : set;
    }
  }
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function checkTime(field: string, v: unknown, fail: FieldErrorFactory): string {
  if (v === null || v === undefined) return ZERO_TIME;
  if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
    throw fail(field, `must be an RFC 3339 time, found ${describe(v)}`);
  }
  return v;
}

/** Validates and normalizes a SnapshotConfig-shaped object; unknown fields are returned apart. */
export function parseConfigFields(raw: unknown, fail: FieldErrorFactory): { config: SnapshotConfig; extra: [string, unknown][] } {
  if (!isPlainObject(raw)) throw fail('', `must be an object, found ${describe(raw)}`);
  const config: SnapshotConfig = { name: '' };
  const extra: [string, unknown][] = [];
  for (const [key, value] of Object.entries(raw)) {
    const kind = CONFIG_KINDS.get(key);
    if (!kind) {
      extra.push([key, value]);
      continue;
    }
    const checked = checkField(key, kind, value, fail);
    if (key === 'name') config.name = (checked as string | undefined) ?? '';
    else if (checked !== undefined) setOwn(config, key, checked);
  }
  return { config, extra };
}

/** Parses one record of snapshots.json (`id` is its key there). Wrong types are a clear error. */
export function parseRecord(raw: unknown, id: string, file: string): StoredRecord {
  const fail: FieldErrorFactory = (field, problem) =>
    new SnapDeskError(
      'io',
      `the snapshot index ${file} is damaged: snapshot "${id}"${field ? ` field "${field}"` : ''} ${problem}; fix or restore the file`,
      { path: file, id, field },
    );
  const { config, extra: rest } = parseConfigFields(raw, fail);
  const extra: [string, unknown][] = [];
  const data: SnapshotRecord = { ...config, created_at: ZERO_TIME };
  let sawCreatedAt = false;
  for (const [key, value] of rest) {
    if (key === 'created_at') {
      data.created_at = checkTime(key, value, fail);
      sawCreatedAt = true;
    } else if (key === 'pending') {
      if (checkField(key, 'bool', value, fail)) data.pending = true;
    } else if (key === 'data_dir') {
      const dir = checkField(key, 'string', value, fail) as string | undefined;
      if (dir !== undefined) data.data_dir = dir;
    } else {
      extra.push([key, keepRaw(value)]);
    }
  }
  if (!sawCreatedAt) data.created_at = ZERO_TIME;
  return { data, extra };
}

/** Validates a config given by a caller (create, import, CLI --config). */
export function validateConfig(raw: unknown): SnapshotConfig {
  const fail: FieldErrorFactory = (field, problem) =>
    new SnapDeskError('invalid_input', `invalid snapshot config: ${field ? `field "${field}" ` : ''}${problem}`, { field });
  return parseConfigFields(raw, fail).config;
}

/** The config's fields in Go order with cocoon's omitempty rules (`name` always present). */
export function configEntries(cfg: SnapshotConfig): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, kind] of CONFIG_FIELDS) {
    const v = (cfg as unknown as Record<string, unknown>)[key];
    if (key === 'name') {
      out.push(['name', typeof v === 'string' ? v : '']);
      continue;
    }
    if (v === undefined || v === null || v === 0 || v === '' || v === false) continue;
    if (kind === 'blobset') {
      const hexes = Object.keys(v as object).sort();
      if (hexes.length === 0) continue;
      const set: BlobIdSet = {};
      for (const hex of hexes) setOwn(set, hex, {});
      out.push([key, set]);
      continue;
    }
    out.push([key, v]);
  }
  return out;
}

/**
 * JSON text of ordered entries, escaped as Go's encoding/json does (<, >, &,
 * U+2028 and U+2029 as \u escapes) so our writes read like cocoon's.
 */
export function entriesToJSON(entries: [string, unknown][]): string {
  return goEscape(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`);
}

/** Go's HTML-safe escaping; these characters can only occur inside JSON strings, so a global replace is exact. */
export function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A record's JSON text: known fields in Go order, then the unknown ones as found. */
export function recordToJSON(rec: StoredRecord): string {
  const entries = configEntries(rec.data);
  entries.push(['created_at', rec.data.created_at]);
  if (rec.data.pending) entries.push(['pending', true]);
  if (rec.data.data_dir) entries.push(['data_dir', rec.data.data_dir]);
  return entriesToJSON([...entries, ...rec.extra]);
}

/** The config part of a record (what Restore/Export hand out). */
export function toConfig(rec: SnapshotRecord): SnapshotConfig {
  // Built in Go field order so JSON.stringify of the result reads like cocoon's output.
  const cfg = {} as SnapshotConfig;
  for (const [key, value] of configEntries(rec)) setOwn(cfg, key, value);
  return cfg;
}

/** The Snapshot part of a record. `id` is always the index key: that is what refs resolve to. */
export function toSnapshot(rec: SnapshotRecord, id: string): Snapshot {
  return { ...toConfig(rec), id, created_at: rec.created_at };
}
