import type { Readable } from 'node:stream';
import type { Trash } from './trash/trash';
import type {
  ArchivePreview,
  ExportOptions,
  GcReport,
  ImportOptions,
  OperationOptions,
  RenamePatch,
  Snapshot,
  SnapshotConfig,
  SnapshotDetails,
  SnapshotSummary,
  VerifyReport,
} from './types';

/** Something that runs GC passes for registered modules (cocoon's gc.Orchestrator). */
export interface GcOrchestrator {
  register(module: { name: string; collect(): Promise<GcReport> }): void;
}

/**
 * The snapshot store, mirroring cocoon's `snapshot.Snapshot` interface
 * (docs/cocoon-snapshot-interface.txt). Refs are an exact ID, an
 * exact name, or a unique ID prefix of at least 3 characters.
 */
export interface SnapshotBackend {
  /** Backend type, e.g. "localfile". */
  type(): string;
  /** Root directory (the cocoon root, e.g. /var/lib/cocoon). */
  readonly root: string;

  /** Persists a snapshot from cfg (cfg.id required) and a tar stream of data files. Returns the ID. */
  create(cfg: SnapshotConfig, tarStream: Readable, opts?: OperationOptions): Promise<string>;
  /** All committed snapshots (pending ones are invisible), oldest first. */
  list(): Promise<Snapshot[]>;
  /** Like list, with disk usage per snapshot for UIs. */
  listSummaries(): Promise<SnapshotSummary[]>;
  /** One snapshot with its data files and disk usage. */
  inspect(ref: string): Promise<SnapshotDetails>;
  /** Resolves all refs first, then deletes each. Returns the IDs actually deleted. */
  delete(refs: string[]): Promise<string[]>;
  /** Edits name and/or description (index only). Names stay unique. */
  rename(ref: string, patch: RenamePatch): Promise<Snapshot>;
  /** The config and a tar stream of the data files. */
  restore(ref: string, opts?: OperationOptions): Promise<{ config: SnapshotConfig; stream: Readable }>;
  /** Streams the snapshot as a (by default gzip-wrapped) cocoon archive. */
  export(ref: string, opts?: ExportOptions): Promise<{ config: SnapshotConfig; stream: Readable }>;
  /** Exports to a file atomically (temp file beside it, renamed on success, removed on failure). */
  exportToFile(ref: string, path: string, opts?: ExportOptions): Promise<{ bytes: number }>;
  /** Stores an archive as a new snapshot (new ID, created_at = now). Returns the new ID. */
  import(stream: Readable, opts?: ImportOptions): Promise<string>;
  /** Reads only snapshot.json of an archive. */
  preview(stream: Readable, opts?: OperationOptions): Promise<ArchivePreview>;
  /** Checks a whole archive without storing anything. */
  verify(stream: Readable, opts?: OperationOptions): Promise<VerifyReport>;
  /** Removes orphan data directories and stale (>24 h) pending records, under the lock. */
  gc(): Promise<GcReport>;
  registerGC(orchestrator: GcOrchestrator): void;
  /** Optional "Direct" capability: the data directory and config. */
  dataDir(ref: string): Promise<{ dir: string; config: SnapshotConfig }>;
  /** Snapshot Desk's own: deletes that can be undone (cocoon has no trash; its rm is permanent, as `delete` is). */
  readonly trash: Trash;
}
