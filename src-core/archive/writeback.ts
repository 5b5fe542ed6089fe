/**
 * Early write-back of imported data. An import ends with fdatasync, so data
 * is on disk before the snapshot is committed; left alone, the kernel writes
 * most of a large file back only then, and the import waits for the whole
 * file at its end. Asking it to start writing data back as soon as each
 * 32 MiB of the file is written (sync_file_range with SYNC_FILE_RANGE_WRITE,
 * Linux only, through koffi because Node has no binding) lets the disk work while
 * decompression goes on, so the final fdatasync has little left to do. It is
 * only a hint: the fdatasync stays, and where the call is missing nothing
 * changes. The call can wait for a busy disk queue, so it runs on koffi's
 * worker thread, never on the event loop.
 */
import type * as Koffi from 'koffi';

type SyncFileRange = ((fd: number, offset: number, nbytes: number, flags: number) => number) & {
  async: (fd: number, offset: number, nbytes: number, flags: number, cb: (err: unknown, result: number) => void) => void;
};

const SYNC_FILE_RANGE_WRITE = 2;
/** Requests in flight at most, process-wide (koffi keeps 8 call contexts ready; more are allocated per call). */
const MAX_PENDING = 2;
let pending = 0;
/** Requests in flight now (tests watch the bound). */
export const pendingWritebacks = (): number => pending;
let loaded: Promise<SyncFileRange | null> | undefined;

function load(): Promise<SyncFileRange | null> {
  loaded ??= (async () => {
    if (process.platform !== 'linux') return null;
    try {
      const ns = (await import('koffi')) as typeof Koffi & { default?: typeof Koffi };
      const koffi = ns.default ?? ns;
      return koffi.load('libc.so.6').func('int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags)') as SyncFileRange;
    } catch {
      return null;
    }
  })();
  return loaded;
}

/**
 * Asks the kernel to start writing [offset, offset + length) of `fd` back to
 * disk; resolves once the request is made (not when the data is on disk),
 * never rejects. Await it before closing `fd`.
 */
export async function startWriteback(fd: number, offset: number, length: number): Promise<void> {
  // A congested disk holds requests in the kernel; rather than queue more (each one koffi
  // must set up on the event loop's thread), skip the hint: the kernel writes back anyway.
  if (pending >= MAX_PENDING) return;
  pending++;
  try {
    const fn = await load();
    if (!fn) return;
    // The result does not matter: fdatasync at the end is what makes the data durable.
    await new Promise<void>((resolve) => fn.async(fd, offset, length, SYNC_FILE_RANGE_WRITE, () => resolve()));
  } finally {
    pending--;
  }
}

/**
 * File written between two requests (32 MiB). Each request is a koffi
 * asynchronous call set up on the event loop's thread: one per batch written
 * (up to 8 MiB, often far less where holes split the data) put 0.31 s of a
 * bulk import's main-thread profile samples in those calls. Gathered, the
 * main thread ran 693 instead of 785 ms and waited 625 instead of 731 ms for
 * a CPU (medians of four alternating imports), and the import took 2.69
 * instead of 2.96 s.
 */
export const WRITEBACK_SPAN = 32 * 1024 * 1024;

/** Write-back hints for one file, gathered into one request per `span` of the file written. */
export class WritebackHints {
  private from = -1;
  private to = 0;
  private readonly requests: Promise<void>[] = [];

  constructor(
    private readonly fd: number,
    private readonly span = WRITEBACK_SPAN,
    private readonly request: (fd: number, offset: number, length: number) => Promise<void> = startWriteback,
  ) {}

  /** Notes that [position, position + length) reached the file; asks for write-back once a span has gathered. */
  written(position: number, length: number): void {
    this.from = this.from < 0 ? position : Math.min(this.from, position);
    this.to = Math.max(this.to, position + length);
    if (this.to - this.from < this.span) return;
    this.requests.push(this.request(this.fd, this.from, this.to - this.from));
    this.from = -1;
  }

  /** Resolves once every request is made; await it before closing the file. */
  async settled(): Promise<void> {
    await Promise.all(this.requests);
  }
}
