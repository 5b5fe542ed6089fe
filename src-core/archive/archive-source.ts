/**
 * Opens an archive stream for reading: detects gzip by its magic bytes (raw
 * tar is accepted too), decompresses multi-member gzip (members that record
 * their length on several threads, see gunzip-members.ts), counts compressed
 * bytes for progress, and turns zlib's failures — a bad CRC32 or length
 * trailer, truncation, garbage between members — into invalid_archive. The
 * tar reader sees the end of the stream only after zlib has checked the last
 * trailer, so a caller that reads to the end may commit.
 */
import type { Readable } from 'node:stream';
import { cancelled, toSnapDeskError, type SnapDeskError } from '../errors';
import type { Progress } from '../types';
import { invalidArchive, unsupportedArchive } from './archive-errors';
import { ByteReader } from './byte-reader';
import { inflateGzip } from './gunzip-members';
import { ByteCounter } from './progress';
import { TarReader } from './tar-reader';

export interface SourceOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Total input bytes when known (progress total). */
  sizeHint?: number;
  /** What to call the work in a cancellation message. */
  what?: string;
  /** Decompression workers (see inflateGzip): default half the cores; 0, libuv's thread pool. */
  inflateThreads?: number;
}

export interface ArchiveSource {
  gzip: boolean;
  tar: TarReader;
  /** Compressed (input) bytes read so far. */
  readonly inputBytes: number;
  /** The data file being read, reported with progress. */
  file: string | undefined;
  /**
   * The error to report for a failure met while reading: a corrupt gzip body
   * often inflates to plausible garbage that trips the tar checks first, so a
   * tar-level error is replaced by the gzip error found within the next few
   * MiB, when there is one.
   */
  explain(err: unknown): Promise<SnapDeskError>;
  /** Stops reading and releases everything (the input stream is destroyed). Safe to call twice. */
  close(): void;
}

const EXPLAIN_LOOKAHEAD = 16 * 1024 * 1024;

/**
 * How much of an archive file to read at a time (a read stream's
 * highWaterMark). Each read is a round trip through libuv's thread pool that
 * wakes a pool thread, which on a busy machine can take the CPU from the
 * event loop; Node's default of 64 KiB makes 16 times as many as this.
 */
export const ARCHIVE_READ_CHUNK = 1024 * 1024;

/** Reads until `n` bytes are buffered (or the stream ends) and puts them back. */
function peek(input: Readable, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (err?: Error): void => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      input.off('error', done);
      input.off('close', onClose);
      if (err) return reject(err);
      const head = Buffer.concat(chunks);
      if (head.length > 0 && !input.readableEnded) input.unshift(head);
      resolve(head);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (length < n && (chunk = input.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length >= n) done();
    };
    const onEnd = (): void => done();
    const onClose = (): void => {
      if (!input.readableEnded) done(input.errored ?? new Error('the input closed before any data arrived'));
    };
    input.on('readable', onReadable);
    input.on('end', onEnd);
    input.on('error', done);
    input.on('close', onClose);
  });
}

/** Other compressions people wrap tars in, by their magic bytes, and how to undo each. */
const OTHER_FORMATS: { name: string; magic: number[]; undo: string }[] = [
  { name: 'xz-compressed', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], undo: 'decompress it first (xz -d FILE)' },
  { name: 'zstd-compressed', magic: [0x28, 0xb5, 0x2f, 0xfd], undo: 'decompress it first (zstd -d FILE)' },
  { name: 'bzip2-compressed', magic: [0x42, 0x5a, 0x68], undo: 'decompress it first (bunzip2 FILE)' },
  { name: 'a zip file', magic: [0x50, 0x4b, 0x03, 0x04], undo: 'unpack it and import the .tgz or .tar inside' },
];

/** The error for a file in one of OTHER_FORMATS, or null. */
function otherFormat(head: Buffer): SnapDeskError | null {
  const f = OTHER_FORMATS.find((o) => head.length >= o.magic.length && o.magic.every((b, i) => head[i] === b));
  return f ? unsupportedArchive(`the file is ${f.name}; snapshot archives are gzip-compressed or plain tar: ${f.undo}`) : null;
}

export async function openArchiveSource(input: Readable, opts: SourceOptions = {}): Promise<ArchiveSource> {
  const what = opts.what ?? 'operation';
  if (opts.signal?.aborted) {
    input.destroy();
    throw cancelled(what);
  }
  let head: Buffer;
  try {
    head = await peek(input, 6);
  } catch (err) {
    input.destroy();
    throw toSnapDeskError(err);
  }
  if (head.length < 2) {
    input.destroy();
    throw invalidArchive(head.length === 0 ? 'the file is empty' : 'the file is too small to be an archive');
  }
  const other = otherFormat(head);
  if (other) {
    input.destroy();
    throw other;
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;

  const source: ArchiveSource = {
    gzip,
    tar: undefined as unknown as TarReader,
    get inputBytes() {
      return counter.bytes;
    },
    file: undefined,
    explain,
    close,
  };
  const counter = new ByteCounter(
    opts.onProgress ? (bytes) => opts.onProgress?.({ bytesDone: bytes, bytesTotal: opts.sizeHint, file: source.file }) : undefined,
  );
  const streams: Readable[] = [input, counter];
  let failure: SnapDeskError | null = null;
  let closed = false;
  const fail = (err: SnapDeskError): void => {
    if (failure) return;
    failure = err;
    // Deferred: an abort can fire from inside the input's own read (a generator
    // that is still running cannot be closed); one tick later it can.
    process.nextTick(() => {
      for (const s of streams) s.destroy(err);
    });
  };
  // Errors of any stage reach the reader through `last`; their origin decides the message.
  input.on('error', (err) => fail(toSnapDeskError(err)));
  input.on('close', () => {
    if (!input.readableEnded && !closed) fail(invalidArchive('the input stream closed before the end of the archive'));
  });
  counter.on('error', (err) => fail(toSnapDeskError(err)));
  input.pipe(counter);

  const onAbort = (): void => fail(cancelled(what));
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const raw = counter[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // gzip errors arrive as typed errors from the inflating iterator itself.
  const iterator: AsyncIterator<Buffer> = gzip ? inflateGzip(raw, opts.inflateThreads === undefined ? {} : { threads: opts.inflateThreads }) : raw;
  const guarded: AsyncIterator<Buffer> = {
    async next() {
      if (failure) throw failure;
      try {
        return await iterator.next();
      } catch (err) {
        throw failure ?? toSnapDeskError(err);
      }
    },
  };
  async function explain(err: unknown): Promise<SnapDeskError> {
    const e = toSnapDeskError(err);
    if (failure) return failure;
    if (!gzip || e.code !== 'invalid_archive' || closed) return e;
    try {
      for (let seen = 0; seen < EXPLAIN_LOOKAHEAD; ) {
        const next = await guarded.next();
        if (next.done) break;
        seen += next.value.length;
      }
    } catch (later) {
      const l = toSnapDeskError(later);
      if (l.code === 'invalid_archive') return l;
    }
    return e;
  }
  function close(): void {
    if (closed) return;
    closed = true;
    opts.signal?.removeEventListener('abort', onAbort);
    for (const s of streams) {
      // Swallow the premature-close errors that destroying a half-read chain produces.
      s.on('error', () => undefined);
      if (!s.destroyed) s.destroy();
    }
    // Stops the inflating iterator (and its streaming gunzip, if any) where it stands.
    void iterator.return?.().catch(() => undefined);
  }
  source.tar = new TarReader(new ByteReader(guarded));
  return source;
}
