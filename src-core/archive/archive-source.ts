/**
 * Opens an archive stream for reading: detects gzip by its magic bytes (raw
 * tar is accepted too), decompresses multi-member gzip, counts compressed
 * bytes for progress, and turns zlib's failures — a bad CRC32 or length
 * trailer, truncation, garbage between members — into invalid_archive. The
 * tar reader sees the end of the stream only after zlib has checked the last
 * trailer, so a caller that reads to the end may commit.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { cancelled, toSnapDeskError, type SnapDeskError } from '../errors';
import type { Progress } from '../types';
import { invalidArchive } from './archive-errors';
import { ByteReader } from './byte-reader';
import { ByteCounter } from './progress';
import { TarReader } from './tar-reader';

export interface SourceOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Total input bytes when known (progress total). */
  sizeHint?: number;
  /** What to call the work in a cancellation message. */
  what?: string;
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

/** zlib's error texts, as sentences about the archive. */
function gzipError(err: Error & { code?: string }): SnapDeskError {
  const msg = err.message;
  if (/unexpected end of file/i.test(msg)) return invalidArchive('the gzip stream is truncated (the file is incomplete)');
  if (/incorrect data check/i.test(msg)) return invalidArchive('the gzip CRC32 check failed: the archive is corrupt');
  if (/incorrect length check/i.test(msg)) return invalidArchive('the gzip length check failed: the archive is corrupt');
  if (/incorrect header check|unknown compression method|invalid/i.test(msg) || err.code?.startsWith('Z_')) {
    return invalidArchive(`the gzip data is corrupt or followed by garbage (${msg})`);
  }
  return toSnapDeskError(err);
}

export async function openArchiveSource(input: Readable, opts: SourceOptions = {}): Promise<ArchiveSource> {
  const what = opts.what ?? 'operation';
  if (opts.signal?.aborted) {
    input.destroy();
    throw cancelled(what);
  }
  let head: Buffer;
  try {
    head = await peek(input, 2);
  } catch (err) {
    input.destroy();
    throw toSnapDeskError(err);
  }
  if (head.length < 2) {
    input.destroy();
    throw invalidArchive(head.length === 0 ? 'the file is empty' : 'the file is too small to be an archive');
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
  const gunzip = gzip ? createGunzip({ chunkSize: 256 * 1024 }) : null;
  const streams: (Readable | NodeJS.ReadWriteStream)[] = gunzip ? [input, counter, gunzip] : [input, counter];
  const last = (gunzip ?? counter) as Readable;
  let failure: SnapDeskError | null = null;
  let closed = false;
  const fail = (err: SnapDeskError): void => {
    if (failure) return;
    failure = err;
    // Deferred: an abort can fire from inside the input's own read (a generator
    // that is still running cannot be closed); one tick later it can.
    process.nextTick(() => {
      for (const s of streams) (s as Readable).destroy(err);
    });
  };
  // Errors of any stage reach the reader through `last`; their origin decides the message.
  input.on('error', (err) => fail(toSnapDeskError(err)));
  input.on('close', () => {
    if (!input.readableEnded && !closed) fail(invalidArchive('the input stream closed before the end of the archive'));
  });
  counter.on('error', (err) => fail(toSnapDeskError(err)));
  gunzip?.on('error', (err) => fail(gzipError(err)));
  input.pipe(counter);
  if (gunzip) counter.pipe(gunzip);

  const onAbort = (): void => fail(cancelled(what));
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const iterator = last[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
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
      const r = s as Readable;
      // Swallow the premature-close errors that destroying a half-read chain produces.
      r.on('error', () => undefined);
      if (!r.destroyed) r.destroy();
    }
  }
  source.tar = new TarReader(new ByteReader(guarded));
  return source;
}
