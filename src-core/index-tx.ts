/**
 * The one owner of snapshots.json. Every read of the index happens in a
 * read transaction (shared store lock), every change in a write transaction
 * (exclusive lock); inside, code sees an `IndexTx`, never the two maps.
 * A record and its name always change together here, so "remove a record
 * and its name" is written once.
 */
import { SnapDeskError, nameConflict } from './errors';
import { readIndex, writeIndex, type SnapshotIndex } from './index-file';
import type { StoreLock } from './lock';
import type { StorePaths } from './paths';
import type { StoredRecord } from './record';
import { resolve, resolveMany } from './resolve';

/** What a read transaction may do. */
export interface IndexReader {
  get(id: string): StoredRecord | undefined;
  /** The record of an ID the caller just resolved; an internal error if it is gone. */
  require(id: string): StoredRecord;
  /** Every record, pending ones included (GC's view). */
  all(): [string, StoredRecord][];
  /** Committed records only: what cocoon lists. */
  committed(): [string, StoredRecord][];
  /** Pending records: creates in progress or crash remnants. */
  pending(): [string, StoredRecord][];
  /** The ID a ref names (ID, name or unique prefix; pending records are invisible). */
  resolve(ref: string): string;
  /** Every ref resolved (the first bad one fails), duplicates dropped. */
  resolveMany(refs: readonly string[]): string[];
  /**
   * The ID holding a name (pending records hold their name too). The names
   * map answers; the records are scanned as well, so an index whose map lost
   * an entry still cannot end up with two snapshots of one name.
   */
  nameHolder(name: string): string | undefined;
}

/** A write transaction: a reader that can also change records (with their names) and save. */
export interface IndexTx extends IndexReader {
  /** True when there are changes not yet saved. */
  readonly changed: boolean;
  /** Adds a record under id, with its name. Refuses an ID in use and a taken name. */
  put(id: string, rec: StoredRecord): void;
  /** Removes a record and the name pointing at it; returns what was removed. */
  delete(id: string): StoredRecord | undefined;
  /** Gives a record a new name ("" = unnamed); a name held by another record is a name_conflict. */
  rename(id: string, name: string): void;
  /** Marks the index changed after editing a record's other fields in place. */
  touch(): void;
  /** Drops names that point at no record (they would block that name for ever). Returns how many. */
  dropDanglingNames(): number;
  /** Writes the index now (for orderings that need a durable step mid-transaction). */
  save(): Promise<void>;
}

class Transaction implements IndexTx {
  changed = false;

  constructor(
    private readonly index: SnapshotIndex,
    private readonly file: string,
  ) {}

  get(id: string): StoredRecord | undefined {
    return this.index.snapshots.get(id);
  }

  require(id: string): StoredRecord {
    const rec = this.index.snapshots.get(id);
    if (!rec) throw new SnapDeskError('internal', `snapshot ${id} vanished from the index`);
    return rec;
  }

  all(): [string, StoredRecord][] {
    return [...this.index.snapshots];
  }

  committed(): [string, StoredRecord][] {
    return this.all().filter(([, rec]) => !rec.data.pending);
  }

  pending(): [string, StoredRecord][] {
    return this.all().filter(([, rec]) => rec.data.pending);
  }

  resolve(ref: string): string {
    return resolve(this.index, ref);
  }

  resolveMany(refs: readonly string[]): string[] {
    return resolveMany(this.index, refs);
  }

  nameHolder(name: string): string | undefined {
    if (name === '') return undefined;
    const id = this.index.names.get(name);
    if (id !== undefined && this.index.snapshots.has(id)) return id;
    for (const [other, rec] of this.index.snapshots) if (rec.data.name === name) return other;
    return undefined;
  }

  put(id: string, rec: StoredRecord): void {
    if (this.index.snapshots.has(id)) throw new SnapDeskError('invalid_input', `a snapshot with ID ${id} already exists`, { id });
    const holder = this.nameHolder(rec.data.name);
    if (holder !== undefined) throw nameConflict(rec.data.name, holder);
    this.index.snapshots.set(id, rec);
    if (rec.data.name !== '') this.index.names.set(rec.data.name, id);
    this.changed = true;
  }

  delete(id: string): StoredRecord | undefined {
    const rec = this.index.snapshots.get(id);
    if (!rec) return undefined;
    this.index.snapshots.delete(id);
    if (this.index.names.get(rec.data.name) === id) this.index.names.delete(rec.data.name);
    this.changed = true;
    return rec;
  }

  rename(id: string, name: string): void {
    const rec = this.require(id);
    if (name === rec.data.name) return;
    const holder = this.nameHolder(name);
    if (holder !== undefined && holder !== id) throw nameConflict(name, holder);
    if (this.index.names.get(rec.data.name) === id) this.index.names.delete(rec.data.name);
    rec.data.name = name;
    if (name !== '') this.index.names.set(name, id);
    this.changed = true;
  }

  touch(): void {
    this.changed = true;
  }

  dropDanglingNames(): number {
    let dropped = 0;
    for (const [name, id] of [...this.index.names]) {
      if (!this.index.snapshots.has(id)) {
        this.index.names.delete(name);
        dropped++;
      }
    }
    if (dropped > 0) this.changed = true;
    return dropped;
  }

  async save(): Promise<void> {
    await writeIndex(this.file, this.index);
    this.changed = false;
  }
}

/** Opens transactions on the index of one store. */
export class IndexOwner {
  constructor(
    private readonly paths: StorePaths,
    private readonly lock: StoreLock,
  ) {}

  /** Runs fn on a consistent view under the shared lock. */
  read<T>(fn: (tx: IndexReader) => Promise<T> | T): Promise<T> {
    return this.lock.withShared(async () => fn(await this.open()));
  }

  /**
   * Runs fn under the exclusive lock and writes the index afterwards if fn
   * changed it. When fn throws, changes not yet saved are dropped.
   */
  write<T>(fn: (tx: IndexTx) => Promise<T> | T): Promise<T> {
    return this.lock.withExclusive(async () => {
      const tx = await this.open();
      const result = await fn(tx);
      if (tx.changed) await tx.save();
      return result;
    });
  }

  private async open(): Promise<Transaction> {
    return new Transaction(await readIndex(this.paths.indexFile), this.paths.indexFile);
  }
}
