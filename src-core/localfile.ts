/**
 * The `localfile` snapshot backend: cocoon's on-disk store (FORMAT.md).
 * Every index write happens under the exclusive store lock, every read under
 * the shared one; long work (extracting, packing, exporting) happens outside
 * the lock, protected by the two-phase pending record.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { exportArchive, exportArchiveToFile } from './archive/export';
import { importArchive } from './archive/import';
import { previewArchive } from './archive/preview';
import { extractDataTar } from './archive/tar-extract';
import { packDataDir } from './archive/tar-pack';
import { verifyArchive } from './archive/verify';
import type { GcOrchestrator, SnapshotBackend } from './backend';
import { cancelled, nameConflict, notFound, SnapDeskError, toSnapDeskError } from './errors';
import { collectGarbage } from './gc';
import { assertSnapshotId } from './ids';
import { readIndex, writeIndex, type SnapshotIndex } from './index-file';
import { StoreLock } from './lock';
import { validateDescription, validateName } from './names';
import { freeName } from './rules';
import { dataDirFor, storePaths, type StorePaths } from './paths';
import { toConfig, toSnapshot, validateConfig, type StoredRecord } from './record';
import type { ImportTarget, Reservation } from './reservation';
import { resolve, resolveMany } from './resolve';
import { holdLease, leaseForRemoval, type Lease } from './lease';
import { removeDataDir, safeDataDir } from './safe-dir';
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
import { dirUsage, mapLimit } from './usage';
import { UsageCache } from './usage-cache';
import { syncDataDir } from './sync';

/** How many data directories listSummaries stats at once. */
const USAGE_CONCURRENCY = 8;
/** Data directories hold guest memory and disks: owner and group only, as cocoon creates them. */
const DATA_DIR_MODE = 0o750;

export interface LocalFileStoreOptions {
  root: string;
  /** Clock in ms (tests move it to age pending records). */
  now?: () => number;
}

/**
 * Oldest first; RFC 3339 times with different offsets compare by instant,
 * ties by ID. Each time is parsed once, not in every comparison.
 */
function sortByCreation<T>(items: T[], snapshotOf: (item: T) => Snapshot): T[] {
  const keyed = items.map((item) => {
    const snapshot = snapshotOf(item);
    return { item, at: Date.parse(snapshot.created_at), id: snapshot.id };
  });
  keyed.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((k) => k.item);
}

/**
 * The ID holding a name (pending records hold their name too). The names map
 * answers; the records are scanned as well, so an index whose map lost an
 * entry still cannot end up with two snapshots of one name.
 */
function nameHolder(index: SnapshotIndex, name: string): string | undefined {
  if (name === '') return undefined;
  const id = index.names.get(name);
  if (id !== undefined && index.snapshots.has(id)) return id;
  for (const [other, rec] of index.snapshots) if (rec.data.name === name) return other;
  return undefined;
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}

export class LocalFileStore implements SnapshotBackend, ImportTarget {
  readonly root: string;
  readonly paths: StorePaths;
  private readonly lock: StoreLock;
  private readonly now: () => number;
  private readonly usageCache = new UsageCache();

  constructor(opts: LocalFileStoreOptions) {
    this.paths = storePaths(opts.root);
    this.root = this.paths.root;
    this.lock = new StoreLock(this.paths);
    this.now = opts.now ?? Date.now;
  }

  type(): string {
    return 'localfile';
  }

  // ---- locked index access -------------------------------------------------

  private view<T>(fn: (index: SnapshotIndex) => Promise<T> | T): Promise<T> {
    return this.lock.withShared(async () => fn(await readIndex(this.paths.indexFile)));
  }

  /** Read-modify-write under the exclusive lock; fn returns whether it changed the index. */
  private update<T>(fn: (index: SnapshotIndex) => Promise<{ changed: boolean; result: T }>): Promise<T> {
    return this.lock.withExclusive(async () => {
      const index = await readIndex(this.paths.indexFile);
      const { changed, result } = await fn(index);
      if (changed) await writeIndex(this.paths.indexFile, index);
      return result;
    });
  }

  private record(index: SnapshotIndex, id: string): StoredRecord {
    const rec = index.snapshots.get(id);
    if (!rec) throw new SnapDeskError('internal', `snapshot ${id} vanished from the index`);
    return rec;
  }

  // ---- reading ---------------------------------------------------------------

  async list(): Promise<Snapshot[]> {
    return this.view((index) => {
      const out: Snapshot[] = [];
      for (const [id, rec] of index.snapshots) if (!rec.data.pending) out.push(toSnapshot(rec.data, id));
      return sortByCreation(out, (s) => s);
    });
  }

  async listSummaries(): Promise<SnapshotSummary[]> {
    const rows = await this.view((index) => {
      const out: { snapshot: Snapshot; rec: StoredRecord }[] = [];
      for (const [id, rec] of index.snapshots) if (!rec.data.pending) out.push({ snapshot: toSnapshot(rec.data, id), rec });
      return sortByCreation(out, (r) => r.snapshot);
    });
    this.usageCache.retainOnly(new Set(rows.map((r) => r.snapshot.id)));
    // Usage is measured outside the lock: it is advisory, and statting many directories must not hold up writers.
    return mapLimit(rows, USAGE_CONCURRENCY, async ({ snapshot, rec }) => {
      try {
        const dir = await safeDataDir(this.paths, snapshot.id, rec.data, false);
        return { ...snapshot, usage: await this.usageCache.usage(snapshot.id, dir) };
      } catch {
        return { ...snapshot, usage: null };
      }
    });
  }

  async inspect(ref: string): Promise<SnapshotDetails> {
    return this.view(async (index) => {
      const id = resolve(index, ref);
      const rec = this.record(index, id);
      const dir = await safeDataDir(this.paths, id, rec.data, true);
      const { files, usage } = await dirUsage(dir).catch((err: unknown) => {
        throw new SnapDeskError('io', `cannot read the data directory ${dir} of snapshot ${id}: ${toSnapDeskError(err).message}`, { id, path: dir }, { cause: err });
      });
      return { ...toSnapshot(rec.data, id), data_dir: dir, files, usage };
    });
  }

  async dataDir(ref: string): Promise<{ dir: string; config: SnapshotConfig }> {
    const { dir, config } = await this.lookup(ref);
    return { dir, config };
  }

  private lookup(ref: string): Promise<{ id: string; dir: string; config: SnapshotConfig }> {
    return this.view(async (index) => {
      const id = resolve(index, ref);
      const rec = this.record(index, id);
      return { id, dir: await safeDataDir(this.paths, id, rec.data, true), config: toConfig(rec.data) };
    });
  }

  async isNameTaken(name: string): Promise<boolean> {
    return this.view((index) => nameHolder(index, name) !== undefined);
  }

  async suggestFreeName(name: string): Promise<string> {
    return this.view((index) => freeName(name, (candidate) => nameHolder(index, candidate) !== undefined));
  }

  // ---- two-phase create ------------------------------------------------------

  /**
   * Registers a pending record (holding its name), and only then creates the
   * empty data directory: a crash between the two leaves a pending record GC
   * can find, never a directory GC would take for an orphan mid-write.
   */
  async reserve(input: SnapshotConfig): Promise<Reservation> {
    const cfg = validateConfig(input);
    const id = assertSnapshotId(cfg.id);
    validateName(cfg.name);
    if (cfg.description !== undefined) validateDescription(cfg.description);
    const dir = dataDirFor(this.paths, id);
    const lease = await this.update(async (index) => {
      if (index.snapshots.has(id)) throw new SnapDeskError('invalid_input', `a snapshot with ID ${id} already exists`, { id });
      const holder = nameHolder(index, cfg.name);
      if (holder !== undefined) throw nameConflict(cfg.name, holder);
      const created_at = new Date(this.now()).toISOString();
      index.snapshots.set(id, { data: { ...cfg, id, created_at, pending: true, data_dir: dir }, extra: [] });
      if (cfg.name !== '') index.names.set(cfg.name, id);
      await writeIndex(this.paths.indexFile, index);
      let madeDir = false;
      try {
        await fs.mkdir(this.paths.dataRoot, { recursive: true, mode: 0o755 });
        // Not recursive: an existing directory of this ID must not be adopted.
        await fs.mkdir(dir, { mode: DATA_DIR_MODE });
        madeDir = true;
        // The build lease marks the reservation as alive; if this process dies the kernel drops it and GC may reap at once.
        const held = await holdLease(this.paths, id, 'exclusive', { wait: false });
        if (!held) throw new SnapDeskError('locked', `snapshot ${id} is in use by another process`, { id });
        return { changed: false, result: held };
      } catch (err) {
        if (madeDir) await removeDataDir(this.paths, dir).catch(() => undefined);
        index.snapshots.delete(id);
        if (index.names.get(cfg.name) === id) index.names.delete(cfg.name);
        await writeIndex(this.paths.indexFile, index);
        throw toSnapDeskError(err);
      }
    });
    return this.reservation(id, dir, { ...cfg, id }, lease);
  }

  private reservation(id: string, dir: string, config: SnapshotConfig, lease: Lease): Reservation {
    let state: 'open' | 'committed' | 'rolledBack' = 'open';
    let committed: Snapshot | null = null;
    let inFlight: Promise<unknown> = Promise.resolve();
    // Calls are chained so a commit racing a rollback (an abort at the last moment) runs one after the other.
    const serial = <T>(fn: () => Promise<T>): Promise<T> => {
      const p = inFlight.then(fn, fn);
      inFlight = p.catch(() => undefined);
      return p;
    };
    return {
      id,
      dir,
      config,
      commit: () =>
        serial(async () => {
          if (state === 'committed' && committed) return committed;
          if (state === 'rolledBack') throw new SnapDeskError('internal', `snapshot ${id} was rolled back and cannot be committed`);
          // Data reaches the disk before the record says it is there.
          await syncDataDir(dir);
          committed = await this.update(async (index) => {
            const rec = index.snapshots.get(id);
            if (!rec) throw new SnapDeskError('io', `the pending record of snapshot ${id} disappeared from the index before it was committed`, { id });
            delete rec.data.pending;
            return { changed: true, result: toSnapshot(rec.data, id) };
          });
          state = 'committed';
          await lease.release();
          return committed;
        }),
      rollback: () =>
        serial(async () => {
          if (state === 'rolledBack') return;
          // After a commit, rollback undoes it (an import cancelled at the very
          // last moment must not leave its snapshot behind), but, like delete,
          // not while someone is reading it.
          await this.update(async (index) => {
            const held = state === 'open' ? lease : await leaseForRemoval(this.paths, id);
            if (!held) throw new SnapDeskError('locked', `snapshot ${id} is already in use and cannot be rolled back; delete it when it is free`, { id });
            await removeDataDir(this.paths, dir);
            const rec = index.snapshots.get(id);
            if (rec) {
              index.snapshots.delete(id);
              if (index.names.get(rec.data.name) === id) index.names.delete(rec.data.name);
            }
            // The snapshot is gone: its lease file goes too.
            await held.discard();
            return { changed: rec !== undefined, result: undefined };
          });
          state = 'rolledBack';
        }),
    };
  }

  async create(cfg: SnapshotConfig, tarStream: Readable, opts: OperationOptions = {}): Promise<string> {
    throwIfAborted(opts.signal, 'create');
    const reservation = await this.reserve(cfg);
    try {
      throwIfAborted(opts.signal, 'create');
      // A stream that already failed while we reserved would never emit again.
      if (tarStream.destroyed) throw tarStream.errored ?? new SnapDeskError('io', 'the data stream closed before it was read');
      await extractDataTar(tarStream, reservation.dir, opts);
      throwIfAborted(opts.signal, 'create');
      await reservation.commit();
      return reservation.id;
    } catch (err) {
      tarStream.destroy();
      await reservation.rollback();
      throw toSnapDeskError(err);
    }
  }

  // ---- changing ---------------------------------------------------------------

  async delete(refs: string[]): Promise<string[]> {
    return this.lock.withExclusive(async () => {
      const index = await readIndex(this.paths.indexFile);
      // All or nothing up front: every ref resolves, every directory is safe and none is in use before anything is removed.
      const ids = resolveMany(index, refs);
      const dirs = await Promise.all(ids.map((id) => safeDataDir(this.paths, id, this.record(index, id).data, false)));
      const leases = await this.leasesForRemoval(ids, dirs);
      const deleted: string[] = [];
      try {
        for (const [i, id] of ids.entries()) {
          // Directory first, then the record, as cocoon does: a crash in between leaves a record a second delete removes.
          await removeDataDir(this.paths, dirs[i]!);
          const rec = this.record(index, id);
          index.snapshots.delete(id);
          if (index.names.get(rec.data.name) === id) index.names.delete(rec.data.name);
          await writeIndex(this.paths.indexFile, index);
          deleted.push(id);
        }
      } finally {
        await Promise.all(leases.map((l) => l.release()));
      }
      return deleted;
    });
  }

  /** Exclusive leases on every data directory, or a `locked` error naming the first one in use (and none kept). */
  private async leasesForRemoval(ids: string[], dirs: string[]): Promise<Lease[]> {
    const leases: Lease[] = [];
    for (const [i, id] of ids.entries()) {
      const lease = await leaseForRemoval(this.paths, path.basename(dirs[i]!));
      if (!lease) {
        await Promise.all(leases.map((l) => l.release()));
        throw new SnapDeskError('locked', `snapshot ${id} is in use (an export, restore or clone is reading it); try again when it finishes`, { id });
      }
      leases.push(lease);
    }
    return leases;
  }

  /**
   * Renames and/or re-describes (index only). An empty name makes the
   * snapshot unnamed, as cocoon allows; a name held by another snapshot,
   * committed or pending, is a name_conflict.
   */
  async rename(ref: string, patch: RenamePatch): Promise<Snapshot> {
    if (patch.name !== undefined) validateName(patch.name);
    if (patch.description !== undefined) validateDescription(patch.description);
    return this.update(async (index) => {
      const id = resolve(index, ref);
      const rec = this.record(index, id);
      let changed = false;
      if (patch.name !== undefined && patch.name !== rec.data.name) {
        const holder = nameHolder(index, patch.name);
        if (holder !== undefined && holder !== id) throw nameConflict(patch.name, holder);
        if (index.names.get(rec.data.name) === id) index.names.delete(rec.data.name);
        rec.data.name = patch.name;
        if (patch.name !== '') index.names.set(patch.name, id);
        changed = true;
      }
      if (patch.description !== undefined && patch.description !== (rec.data.description ?? '')) {
        if (patch.description === '') delete rec.data.description;
        else rec.data.description = patch.description;
        changed = true;
      }
      return { changed, result: toSnapshot(rec.data, id) };
    });
  }

  // ---- data streams (the codec lives in ./archive) --------------------------

  /**
   * The data directory under a shared lease, so neither our delete nor
   * cocoon's removes it while it is read. As cocoon does: resolve, take the
   * lease (never while holding the index lock), then check the snapshot is
   * still there.
   */
  private async leasedDataDir(ref: string): Promise<{ dir: string; config: SnapshotConfig; lease: Lease }> {
    const { id, dir, config } = await this.lookup(ref);
    const lease = (await holdLease(this.paths, path.basename(dir), 'shared', { wait: true }))!;
    const still = await this.view((index) => {
      const rec = index.snapshots.get(id);
      return rec !== undefined && !rec.data.pending;
    });
    if (!still) {
      await lease.release();
      throw notFound(ref);
    }
    return { dir, config, lease };
  }

  /** Releases the lease when the stream is done, however it ends. */
  private leased(stream: Readable, lease: Lease): Readable {
    stream.once('close', () => void lease.release());
    return stream;
  }

  async restore(ref: string, opts?: OperationOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
    const { dir, config, lease } = await this.leasedDataDir(ref);
    return { config, stream: this.leased(packDataDir(dir, opts), lease) };
  }

  async export(ref: string, opts?: ExportOptions): Promise<{ config: SnapshotConfig; stream: Readable }> {
    const { dir, config, lease } = await this.leasedDataDir(ref);
    return { config, stream: this.leased(exportArchive({ dir, config }, opts), lease) };
  }

  async exportToFile(ref: string, file: string, opts?: ExportOptions): Promise<{ bytes: number }> {
    const { dir, config, lease } = await this.leasedDataDir(ref);
    try {
      return await exportArchiveToFile({ dir, config }, path.resolve(file), opts);
    } finally {
      await lease.release();
    }
  }

  import(stream: Readable, opts: ImportOptions = {}): Promise<string> {
    return importArchive(stream, this, opts);
  }

  preview(stream: Readable, opts: OperationOptions = {}): Promise<ArchivePreview> {
    return previewArchive(stream, this, opts);
  }

  verify(stream: Readable, opts: OperationOptions = {}): Promise<VerifyReport> {
    return verifyArchive(stream, opts);
  }

  // ---- GC --------------------------------------------------------------------

  gc(): Promise<GcReport> {
    return collectGarbage({ paths: this.paths, lock: this.lock, now: this.now });
  }

  registerGC(orchestrator: GcOrchestrator): void {
    orchestrator.register({ name: 'snapshot', collect: () => this.gc() });
  }
}

/** Opens the localfile store under root (nothing is created until the first write). */
export function openStore(opts: LocalFileStoreOptions): LocalFileStore {
  return new LocalFileStore(opts);
}
