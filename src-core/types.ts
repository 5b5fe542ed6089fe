/**
 * Records of the cocoon snapshot format. Field names are the exact JSON names
 * cocoon writes (snake_case), so objects can be serialized without mapping.
 * See docs/FORMAT.md (copied facts: every field but `name` is
 * omitted when zero/empty; `name` is always present, possibly "").
 */

/** A set of hex digests, serialized by Go as `{"<hex>": {}}`. */
export type BlobIdSet = Record<string, Record<string, never>>;

export interface SnapshotConfig {
  cpu?: number;
  memory?: number;
  storage?: number;
  queue_size?: number;
  disk_queue_size?: number;
  image?: string;
  image_digest?: string;
  image_type?: string;
  network?: string;
  no_direct_io?: boolean;
  windows?: boolean;
  id?: string;
  name: string;
  description?: string;
  image_blob_ids?: BlobIdSet;
  hypervisor?: string;
  nics?: number;
}

/** A committed snapshot as List/Inspect return it. */
export interface Snapshot extends SnapshotConfig {
  id: string;
  /** RFC 3339 time. */
  created_at: string;
}

/** One data file of a snapshot, with what it really costs on disk. */
export interface DataFileInfo {
  name: string;
  /** Apparent size (st_size). */
  size: number;
  /** Allocated bytes (st_blocks * 512); smaller than size for sparse files. */
  allocated: number;
}

export interface DiskUsage {
  /** Sum of apparent sizes. */
  size: number;
  /** Sum of allocated bytes. */
  allocated: number;
}

/** Inspect result: the snapshot plus where and how it is stored. */
export interface SnapshotDetails extends Snapshot {
  data_dir: string;
  files: DataFileInfo[];
  usage: DiskUsage;
}

/** List row for UIs: the snapshot and its disk usage (null if unreadable). */
export interface SnapshotSummary extends Snapshot {
  usage: DiskUsage | null;
}

/** Progress of a long operation (create/export/import/verify). */
export interface Progress {
  /** Bytes processed so far (meaning per operation: input bytes for import/verify, data bytes for export). */
  bytesDone: number;
  /** Total bytes when known. */
  bytesTotal?: number;
  /** The data file being processed, when there is one. */
  file?: string;
}

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface RenamePatch {
  name?: string;
  description?: string;
}

export interface GcReport {
  /** IDs (directory names) of orphan data directories removed. */
  removedOrphanDirs: string[];
  /** IDs of stale pending records removed (with their data). */
  removedStalePending: string[];
  /** IDs deleted for ever from the trash (retention or low free space); absent when none. */
  purgedFromTrash?: string[];
}

export interface ExportOptions extends OperationOptions {
  /** gzip-wrap the tar stream (default true). */
  gzip?: boolean;
  /** gzip level 1..9 (default 1, fast). */
  level?: number;
}

export interface ImportOptions extends OperationOptions {
  /** Non-empty values override the archive's own. */
  name?: string;
  description?: string;
  /** Total input size in bytes when known (for progress). */
  sizeHint?: number;
}

/** What `preview` learns from an archive's snapshot.json alone. */
export interface ArchivePreview {
  config: SnapshotConfig;
  version: number;
  gzip: boolean;
  /** True when config.name is non-empty and already used in this store. */
  nameTaken: boolean;
  /** Why config.name cannot be stored as it is (control or invisible formatting characters). */
  nameProblem?: string;
  /** A free name to use instead when config.name is taken or refused: counted on ("web-golden-2") or cleaned. */
  suggestedName?: string;
  /** Why config.description cannot be stored as it is. */
  descriptionProblem?: string;
  /** The description cleaned of what is refused in it, when it is. */
  suggestedDescription?: string;
}

export interface VerifyReport {
  config: SnapshotConfig;
  gzip: boolean;
  files: { name: string; size: number; sparse: boolean }[];
  /** Total apparent size of data files. */
  dataSize: number;
  /** Bytes read from the input. */
  archiveBytes: number;
}
