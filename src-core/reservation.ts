import type { Snapshot, SnapshotConfig } from './types';

/**
 * The store-side half of a two-phase write (create, import). `reserve`
 * registers a pending record (invisible to readers, but holding its name and
 * protecting its data directory from GC) and creates the empty data
 * directory; the caller fills it, then commits or rolls back.
 */
export interface Reservation {
  readonly id: string;
  /** Absolute path of the (new, empty) data directory. */
  readonly dir: string;
  /** The config as it will be committed (id and final name set). */
  readonly config: SnapshotConfig;
  /** Clears `pending`; the snapshot becomes visible. */
  commit(): Promise<Snapshot>;
  /** Removes the data directory and the record. Safe to call more than once. */
  rollback(): Promise<void>;
}

/** What the archive codec needs from a store to import into it. */
export interface ImportTarget {
  /** Refuses a name in use with a name_conflict error. cfg.id must be set. */
  reserve(cfg: SnapshotConfig): Promise<Reservation>;
  /** True when a committed or pending snapshot holds this name. */
  isNameTaken(name: string): Promise<boolean>;
  /** A free name derived from `name` ("web" → "web-2", "web-3", …). */
  suggestFreeName(name: string): Promise<string>;
}
