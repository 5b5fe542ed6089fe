/**
 * snapshot.json, the archive's first entry: {"config": SnapshotConfig,
 * "version": 1}, indented by two spaces with a trailing newline, as cocoon's
 * json.MarshalIndent writes it. Field order and omit-empty rules come from
 * the store's record module, so archive and index agree.
 */
import { configEntries, goEscape, parseConfigFields } from '../record';
import type { SnapshotConfig } from '../types';
import { invalidArchive, quoteArchiveText, unsupportedArchive } from './archive-errors';

export const ENVELOPE_VERSION = 1;
/** snapshot.json is a few hundred bytes; a bigger one is not a snapshot. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

export interface Envelope {
  config: SnapshotConfig;
  version: number;
}

export function serializeEnvelope(config: SnapshotConfig): Buffer {
  const ordered = Object.fromEntries(configEntries(config));
  return Buffer.from(`${goEscape(JSON.stringify({ config: ordered, version: ENVELOPE_VERSION }, null, 2))}\n`, 'utf8');
}

/** Parses and type-checks snapshot.json; anything off is invalid_archive, another version unsupported_archive. */
export function parseEnvelope(data: Buffer): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw invalidArchive(`snapshot.json is not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidArchive('snapshot.json is not a JSON object');
  const { config, version } = raw as { config?: unknown; version?: unknown };
  if (version === undefined) throw invalidArchive('snapshot.json has no "version"');
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    // An object or array is named, not serialized: it may be nested too deep for JSON.stringify.
    const shown = typeof version === 'object' && version !== null ? (Array.isArray(version) ? 'an array' : 'an object') : quoteArchiveText(JSON.stringify(version));
    throw invalidArchive(`snapshot.json has a "version" that is not an integer (${shown})`);
  }
  if (version !== ENVELOPE_VERSION) throw unsupportedArchive(`snapshot.json has version ${version}; this app reads version ${ENVELOPE_VERSION}`, { version });
  if (config === undefined || config === null) throw invalidArchive('snapshot.json has no "config"');
  const parsed = parseConfigFields(config, (field, problem) =>
    invalidArchive(`snapshot.json: ${field ? `config field "${field}" ` : '"config" '}${problem}`, { field }),
  );
  return { config: parsed.config, version };
}
