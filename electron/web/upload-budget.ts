import { statfs } from 'node:fs/promises';
import { SnapDeskError } from '../../src-core/errors';

export interface UploadLimits {
  /** Largest single upload, in bytes. */
  maxBytes: number;
  /** Uploads receiving at once; more are refused until one ends. */
  maxConcurrent: number;
  /** Free space kept back beyond what uploads in flight declared (the store's own writes, the import's output). */
  marginBytes: number;
}

export async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

export interface UploadReservation {
  /** `bytes` more of the upload are on disk. */
  landed(bytes: number): void;
  /** The upload ended (kept or not): its slot and unused space go back. */
  release(): void;
}

export interface FileSize {
  name: string;
  size: number;
}

/**
 * The disk space and upload slots uploads hold while they arrive. Each
 * upload reserves its declared size before its first byte is stored, so two
 * uploads that each fit the free space cannot together fill the disk: a new
 * one must fit what is free minus everything reserved and the margin.
 */
export class UploadBudget {
  private reserved = 0;
  private running = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    readonly limits: UploadLimits,
    /** Bytes free for an unprivileged writer in `dir`'s file system. */
    private readonly freeSpace: (dir: string) => Promise<number> = freeBytes,
  ) {}

  /** Throws the reason `files` would be refused now: one over the limit, or the batch more than the free space. */
  check(files: readonly FileSize[]): Promise<void> {
    return this.fits(files);
  }

  /**
   * Takes an upload slot and the file's size of disk space before its first
   * byte is stored. The holder reports bytes as they land (the file system's
   * free space then counts them) and releases what is left when it ends.
   */
  async reserve(file: FileSize): Promise<UploadReservation> {
    if (this.running >= this.limits.maxConcurrent) {
      throw new SnapDeskError('locked', `${this.running} uploads are already arriving; send ${file.name} when one of them has finished`, { running: this.running });
    }
    this.running++;
    // One check at a time, each seeing every reservation taken before it: uploads starting together cannot all pass.
    const turn = this.queue.then(() => this.fits([file]));
    this.queue = turn.catch(() => undefined);
    try {
      await turn;
    } catch (err) {
      this.running--;
      throw err;
    }
    this.reserved += file.size;
    let left = file.size;
    let released = false;
    return {
      landed: (bytes) => {
        const n = Math.min(bytes, left);
        left -= n;
        this.reserved -= n;
      },
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        this.reserved -= left;
        left = 0;
      },
    };
  }

  /** Bytes in flight (declared by uploads still arriving). */
  get inFlight(): number {
    return this.reserved;
  }

  private async fits(files: readonly FileSize[]): Promise<void> {
    for (const { name, size } of files) {
      if (size > this.limits.maxBytes) {
        throw new SnapDeskError('invalid_input', `${name} is larger than the ${this.limits.maxBytes}-byte upload limit`, { size, maxBytes: this.limits.maxBytes });
      }
    }
    // A batch is kept all or none, so it has to fit as a whole.
    const size = files.reduce((sum, f) => sum + f.size, 0);
    // What the file system has, less what other uploads in flight will still write and the margin.
    const available = Math.max(0, (await this.freeSpace(this.dir)) - this.reserved - this.limits.marginBytes);
    if (size > available) {
      const what = files.length === 1 ? (files[0] as FileSize).name : `${files.length} files`;
      throw new SnapDeskError('no_space', `not enough space in ${this.dir} for ${what} (${size} bytes needed, ${available} free)`, { size, free: available });
    }
  }
}
