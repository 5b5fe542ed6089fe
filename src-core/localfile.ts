/**
 * The `localfile` snapshot backend: cocoon's on-disk store (FORMAT.md).
 * Every index access goes through the index owner (index-tx.ts): reads under
 * the shared store lock, writes under the exclusive one. Long work
 * (extracting, packing, exporting) happens outside the lock, protected by the
 * two-phase pending record and per-snapshot leases. Each operation lives in
 * its own module; this class puts them behind the backend interface.
 */
import type { Readable } from 'node:stream';
import { previewArchive } from './archive/preview';
import { verifyArchive } from './archive/verify';
import type { GcOrchestrator, SnapshotBackend } from './backend';
import { collectGarbage } from './gc';
import { freeName } from './rules';
import type { StorePaths } from './paths';
import type { ImportTarget, Reservation } from './reservation';
import { storeContext, type StoreContext } from './localfile-context';
import { createSnapshot, reserveSnapshot } from './localfile-create';
import { deleteSnapshots } from './localfile-delete';
import { exportStream, exportToFile, restoreStream } from './localfile-export';
import { importIntoStore } from './localfile-import';
import { inspectSnapshot, listSnapshots, listSummaries, lookupSnapshot } from './localfile-read';
import { renameSnapshot } from './localfile-rename';
import { Trash } from './trash/trash';
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
import { UsageCache } from './usage-cache';

export interface LocalFileStoreOptions {
  root: string;
  /** Clock in ms (tests move it to age pending records). */
  now?: () => number;
}

export class LocalFileStore implements SnapshotBackend, ImportTarget {
  readonly root: string;
  readonly paths: StorePaths;
  /** Shared with the trash, which works on the same index under the same lock. */
  readonly ctx: StoreContext;
  /** Deletes that can be undone (the CLI's `rm` stays permanent, as cocoon's is). */
  readonly trash: Trash;
  private readonly usageCache = new UsageCache();

  constructor(opts: LocalFileStoreOptions) {
    this.ctx = storeContext(opts.root, opts.now);
    this.trash = new Trash(this.ctx);
    this.paths = this.ctx.paths;
    this.root = this.paths.root;
  }

  type(): string {
    return 'localfile';
  }

  list(): Promise<Snapshot[]> {
    return listSnapshots(this.ctx);
  }

  listSummaries(): Promise<SnapshotSummary[]> {
    return listSummaries(this.ctx, this.usageCache);
  }

  inspect(ref: string): Promise<SnapshotDetails> {
    return inspectSnapshot(this.ctx, ref);
  }

  async dataDir(ref: string): Promise<{ dir: string; config: SnapshotConfig }> {
    const { dir, config } = await lookupSnapshot(this.ctx, ref);
    return { dir, config };
  }

  isNameTaken(name: string): Promise<boolean> {
    return this.ctx.index.read((tx) => tx.nameHolder(name) !== undefined);
  }

  suggestFreeName(name: string): Promise<string> {
    return this.ctx.index.read((tx) => freeName(name, (candidate) => tx.nameHolder(candidate) !== undefined));
  }

  reserve(input: SnapshotConfig): Promise<Reservation> {
    return reserveSnapshot(this.ctx, input);
  }

  create(cfg: SnapshotConfig, tarStream: Readable, opts: OperationOptions = {}): Promise<string> {
    return createSnapshot(this.ctx, cfg, tarStream, opts);
  }

  delete(refs: string[]): Promise<string[]> {
    return deleteSnapshots(this.ctx, refs);
  }

  rename(ref: string, patch: RenamePatch): Promise<Snapshot> {
    return renameSnapshot(this.ctx, ref, patch);
  }

  restore(ref: string, opts?: OperationOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
    return restoreStream(this.ctx, ref, opts);
  }

  export(ref: string, opts?: ExportOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
    return exportStream(this.ctx, ref, opts);
  }

  exportToFile(ref: string, file: string, opts?: ExportOptions): Promise<{ bytes: number }> {
    return exportToFile(this.ctx, ref, file, opts);
  }

  import(stream: Readable, opts: ImportOptions = {}): Promise<string> {
    return importIntoStore(this.ctx, this, stream, opts);
  }

  preview(stream: Readable, opts: OperationOptions = {}): Promise<ArchivePreview> {
    return previewArchive(stream, this, opts);
  }

  verify(stream: Readable, opts: OperationOptions = {}): Promise<VerifyReport> {
    return verifyArchive(stream, opts);
  }

  gc(): Promise<GcReport> {
    return collectGarbage(this.ctx);
  }

  registerGC(orchestrator: GcOrchestrator): void {
    orchestrator.register({ name: 'snapshot', collect: () => this.gc() });
  }
}

/** Opens the localfile store under root (nothing is created until the first write). */
export function openStore(opts: LocalFileStoreOptions): LocalFileStore {
  return new LocalFileStore(opts);
}
