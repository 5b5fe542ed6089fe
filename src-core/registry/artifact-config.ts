/**
 * The snapshot config blob (epoch's manifest.SnapshotConfig): the
 * snapshot.json config fields in camelCase, empty ones omitted, plus
 * `files` (each data file's tar mode and, for a sparse file, its
 * COCOON.sparse.map text and real size) and `createdAt` (the push time).
 * Fields epoch does not carry (name, queue sizes, no_direct_io) do not
 * travel; the name comes from the pull.
 */
import { SnapDeskError } from '../errors';
import type { BlobIdSet, SnapshotConfig } from '../types';
import { goMarshal, goTime, type GoValue } from './go-json';

export interface ArtifactFile {
  mode?: number;
  sparseMap?: string;
  sparseSize?: number;
}

export interface ArtifactConfig {
  schemaVersion: string;
  snapshotId: string;
  description?: string;
  image?: string;
  imageDigest?: string;
  imageType?: string;
  imageBlobIds?: BlobIdSet;
  hypervisor?: string;
  cpu?: number;
  memory?: number;
  storage?: number;
  nics?: number;
  network?: string;
  windows?: boolean;
  files: Record<string, ArtifactFile>;
  createdAt: string;
}

/** The bytes of the config blob, as Go's json.Marshal writes epoch's struct. */
export function encodeArtifactConfig(cfg: SnapshotConfig, files: Map<string, ArtifactFile>, createdMs: number): Buffer {
  const out: Record<string, GoValue> = { schemaVersion: 'v1', snapshotId: cfg.id ?? '' };
  const put = (key: string, v: string | number | boolean | undefined): void => {
    if (v !== undefined && v !== '' && v !== 0 && v !== false) out[key] = v;
  };
  put('description', cfg.description);
  put('image', cfg.image);
  put('imageDigest', cfg.image_digest);
  put('imageType', cfg.image_type);
  const blobIds = Object.keys(cfg.image_blob_ids ?? {});
  if (blobIds.length > 0) out.imageBlobIds = new Map(blobIds.map((k) => [k, {}]));
  put('hypervisor', cfg.hypervisor);
  put('cpu', cfg.cpu);
  put('memory', cfg.memory);
  put('storage', cfg.storage);
  put('nics', cfg.nics);
  put('network', cfg.network);
  put('windows', cfg.windows);
  if (files.size > 0) {
    const encoded = new Map<string, GoValue>();
    for (const [name, f] of files) {
      const entry: Record<string, GoValue> = {};
      if (f.mode) entry.mode = f.mode;
      if (f.sparseMap) entry.sparseMap = f.sparseMap;
      if (f.sparseSize) entry.sparseSize = f.sparseSize;
      encoded.set(name, entry);
    }
    out.files = encoded;
  }
  out.createdAt = goTime(createdMs);
  return Buffer.from(goMarshal(out), 'utf8');
}

const bad = (why: string): SnapDeskError => new SnapDeskError('invalid_archive', `the snapshot's config blob is not valid: ${why}`);

const optString = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`"${k}" is not a string`);
  return v;
};
const optCount = (o: Record<string, unknown>, k: string): number | undefined => {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`"${k}" is not a non-negative integer`);
  return v;
};

/** Parses and checks a config blob from a registry (untrusted). */
export function parseArtifactConfig(bytes: Buffer): ArtifactConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad('it is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('it is not a JSON object');
  const o = raw as Record<string, unknown>;
  const files: Record<string, ArtifactFile> = {};
  const rawFiles = o.files ?? {};
  if (typeof rawFiles !== 'object' || rawFiles === null || Array.isArray(rawFiles)) throw bad('"files" is not an object');
  for (const [name, f] of Object.entries(rawFiles as Record<string, unknown>)) {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw bad(`files["${name}"] is not an object`);
    const fo = f as Record<string, unknown>;
    const entry: ArtifactFile = {};
    const mode = optCount(fo, 'mode');
    const sparseMap = optString(fo, 'sparseMap');
    const sparseSize = optCount(fo, 'sparseSize');
    if (mode) entry.mode = mode;
    if (sparseMap) entry.sparseMap = sparseMap;
    if (sparseSize) entry.sparseSize = sparseSize;
    files[name] = entry;
  }
  const blobIds = o.imageBlobIds;
  if (blobIds !== undefined && blobIds !== null && (typeof blobIds !== 'object' || Array.isArray(blobIds))) throw bad('"imageBlobIds" is not an object');
  const windows = o.windows;
  if (windows !== undefined && windows !== null && typeof windows !== 'boolean') throw bad('"windows" is not true or false');
  const cfg: ArtifactConfig = {
    schemaVersion: optString(o, 'schemaVersion') ?? '',
    snapshotId: optString(o, 'snapshotId') ?? '',
    files,
    createdAt: optString(o, 'createdAt') ?? '',
  };
  const strings = ['description', 'image', 'imageDigest', 'imageType', 'hypervisor', 'network'] as const;
  for (const k of strings) {
    const v = optString(o, k);
    if (v) cfg[k] = v;
  }
  const counts = ['cpu', 'memory', 'storage', 'nics'] as const;
  for (const k of counts) {
    const v = optCount(o, k);
    if (v) cfg[k] = v;
  }
  if (windows === true) cfg.windows = true;
  if (blobIds && typeof blobIds === 'object') {
    const keys = Object.keys(blobIds);
    if (keys.length > 0) cfg.imageBlobIds = Object.fromEntries(keys.map((k) => [k, {}]));
  }
  return cfg;
}

/** The snapshot.json config a pull imports, as epoch's pull builds it for `cocoon snapshot import`. */
export function snapshotConfigOf(art: ArtifactConfig, name: string): SnapshotConfig {
  const cfg: SnapshotConfig = { name };
  if (art.snapshotId) cfg.id = art.snapshotId;
  if (art.description) cfg.description = art.description;
  if (art.image) cfg.image = art.image;
  if (art.imageDigest) cfg.image_digest = art.imageDigest;
  if (art.imageType) cfg.image_type = art.imageType;
  if (art.imageBlobIds) cfg.image_blob_ids = art.imageBlobIds;
  if (art.hypervisor) cfg.hypervisor = art.hypervisor;
  if (art.cpu) cfg.cpu = art.cpu;
  if (art.memory) cfg.memory = art.memory;
  if (art.storage) cfg.storage = art.storage;
  if (art.nics) cfg.nics = art.nics;
  if (art.network) cfg.network = art.network;
  if (art.windows) cfg.windows = true;
  return cfg;
}
