/**
 * gunzip that inflates several members at once when it can. Members that
 * record their length (this app's own, see gzip-member.ts) are cut out of
 * the stream without inflating them and inflated on worker threads
 * (inflate-pool.ts), a few at a time, CRC32 and length checked there too;
 * their output comes out in stream order. From the first member that does
 * not record its length (any other writer's archive), the rest of the stream
 * goes through zlib's ordinary streaming gunzip, at full single-thread speed
 * as before.
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import { createGunzip, gunzip, type ZlibOptions } from 'node:zlib';
import { toSnapDeskError, type SnapDeskError } from '../errors';
import { invalidArchive } from './archive-errors';
import { MAX_TAGGED_OUTPUT, memberTrailer, readMemberHead, TRAILER_BYTES } from './gzip-member';
import { InflatePool } from './inflate-pool';
import { LoopTurns } from './loop-turns';

/** zlib's error texts, as sentences about the archive. */
export function gzipError(err: Error & { code?: string }): SnapDeskError {
  const msg = err.message;
  if (/unexpected end of file/i.test(msg)) return invalidArchive('the gzip stream is truncated (the file is incomplete)');
  if (/incorrect data check/i.test(msg)) return invalidArchive('the gzip CRC32 check failed: the archive is corrupt');
  if (/incorrect length check/i.test(msg)) return invalidArchive('the gzip length check failed: the archive is corrupt');
  if (/incorrect header check|unknown compression method|invalid/i.test(msg) || err.code?.startsWith('Z_')) {
    return invalidArchive(`the gzip data is corrupt or followed by garbage (${msg})`);
  }
  return toSnapDeskError(err);
}

/**
 * Input chunks, handed out as views of themselves. Nothing is joined here: a
 * member that spans chunks comes out as its parts, which inflateMembers
 * copies once, into a reused buffer, on its way to a worker. (Joining them
 * here cost the event loop's thread a fresh allocation per chunk boundary,
 * the bulk of the memory it first touched in an import; on a VM, first
 * touches are slow and show up as that thread's CPU time.)
 */
class InputQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;

  constructor(private readonly input: AsyncIterator<Buffer>) {}

  /** Reads until at least `n` bytes are buffered; false if the input ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.length < n) {
      if (this.ended) return false;
      const next = await this.input.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      if (next.value.length === 0) continue;
      this.chunks.push(next.value);
      this.length += next.value.length;
    }
    return true;
  }

  /** The first `n` buffered bytes (fewer if fewer are buffered), left in place: a view, or a copy of just them across chunks. */
  peek(n: number): Buffer {
    const want = Math.min(n, this.length);
    const first = this.chunks[0];
    if (!first || first.length >= want) return (first ?? Buffer.alloc(0)).subarray(0, want);
    return joinBytes(this.chunks, 0, want);
  }

  /** The first `n` buffered bytes (n at most what is buffered), removed, as views of the chunks they lie in. */
  take(n: number): Buffer[] {
    const parts: Buffer[] = [];
    for (let left = n; left > 0; ) {
      const first = this.chunks[0] as Buffer;
      if (first.length <= left) {
        parts.push(first);
        this.chunks.shift();
        left -= first.length;
      } else {
        parts.push(first.subarray(0, left));
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    return parts;
  }

  /** Everything not taken yet, then the rest of the input. */
  async *rest(): AsyncGenerator<Buffer> {
    const buffered = this.chunks;
    this.chunks = [];
    this.length = 0;
    yield* buffered;
    for (;;) {
      if (this.ended) return;
      const next = await this.input.next();
      if (next.done) return;
      yield next.value;
    }
  }
}

/** Bytes [from, from + n) of `parts` taken as one stream, copied into a buffer of their own. */
function joinBytes(parts: readonly Buffer[], from: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let skip = from;
  let filled = 0;
  for (const p of parts) {
    if (filled === n) break;
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    filled += p.copy(out, filled, skip, Math.min(p.length, skip + n - filled));
    skip = 0;
  }
  return out;
}

function gunzipAsync(member: Buffer, opts: ZlibOptions): Promise<{ buffer: Buffer; consumed: number }> {
  return new Promise((resolve, reject) => {
    gunzip(member, { ...opts, info: true } as ZlibOptions, (err, result) => {
      if (err) return reject(err);
      const { buffer, engine } = result as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      resolve({ buffer, consumed: engine.bytesWritten });
    });
  });
}

/**
 * Inflates a run of consecutive tagged members on the thread pool, in one
 * job (small members cost more to dispatch than to inflate); zlib checks
 * every member's header, CRC32 and length there, and the run must end
 * exactly where the members' headers say and inflate to the sizes their
 * trailers announce. `parts` are the run's bytes in order: views of the
 * input's chunks, a member split wherever a chunk ended.
 */
async function inflateMembers(parts: Buffer[], size: number, pool: InflatePool | null): Promise<Buffer> {
  let out: { buffer: Buffer; consumed: number };
  let inputLength = 0;
  try {
    if (pool) {
      // Copied into a reused buffer of its own, which moves to a worker.
      const input = pool.inputBuffer(parts.reduce((n, m) => n + m.length, 0));
      for (const m of parts) inputLength += m.copy(input, inputLength);
      out = await pool.gunzip(input, inputLength, size);
    } else {
      const input = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
      inputLength = input.length;
      // One pass with an output buffer of the announced size: a single thread-pool job, no re-growing.
      out = await gunzipAsync(input, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size + 1) });
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_BUFFER_TOO_LARGE') throw invalidArchive('the gzip length check failed: the archive is corrupt');
    if (/unexpected end of file/i.test(e.message)) throw invalidArchive('the gzip data is corrupt (a member ends before its recorded length)');
    throw gzipError(e);
  }
  if (out.consumed !== inputLength) throw invalidArchive('the gzip data is corrupt (a member does not end where its header says)');
  if (out.buffer.length !== size) throw invalidArchive('the gzip length check failed: the archive is corrupt');
  return out.buffer;
}

/**
 * Decompression workers by default: half the cores. An import is bound by
 * writing what it inflates, so more do not finish it sooner: measured on
 * 2 cores, one worker imported either bench set as fast as two (bulk 2.0 s,
 * guest 1.4–1.5 s) with about 155 instead of 200 MiB peak RSS. Verify,
 * which writes nothing, inflates on libuv's thread pool as before: there it
 * ran 0.81–0.96 s on the guest archive at ~130 MiB, against 1.0–1.3 s with
 * one worker and 0.79 s at 192 MiB (over the 200 MB bound) with two.
 */
const defaultInflateThreads = (): number => Math.max(1, Math.floor(os.availableParallelism() / 2));

/** Compressed bytes gathered into one inflation job (a few members of ~1 MiB of data, or many small ones). */
const JOB_INPUT = 1024 * 1024;

/**
 * The streaming gunzip for the rest of the input, as an iterator with the
 * app's error messages. Node's gunzip ends the stream at a zero byte after
 * a member and ignores whatever follows (measured: zero padding and junk
 * after a 133-byte member, and it reported 133 bytes consumed); here what
 * follows must be zeros, as after this app's own members (expectZeros).
 */
async function* streamGunzip(rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // Chunks fed that zlib may not have consumed yet (fed[0] starts at input offset fedFrom).
  const fed: Buffer[] = [];
  let fedFrom = 0;
  let tapEnded: () => void = () => undefined;
  const tapDone = new Promise<void>((resolve) => (tapEnded = resolve));
  // Pulls with next(), not for-await: stopping the feed must not close the input, whose tail is checked below.
  async function* tap(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const next = await rest.next();
        if (next.done) return;
        fed.push(next.value);
        while (fed.length > 1 && fedFrom + (fed[0] as Buffer).length <= gunzip.bytesWritten) fedFrom += (fed.shift() as Buffer).length;
        yield next.value;
      }
    } finally {
      tapEnded();
    }
  }
  const feed = Readable.from(tap(), { objectMode: false });
  feed.on('error', (err) => gunzip.destroy(err));
  feed.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    const e = err as Error & { code?: string };
    throw e.code?.startsWith('Z_') || /gzip|check|unexpected end of file/i.test(e.message) ? gzipError(e) : err;
  } finally {
    feed.destroy();
    gunzip.destroy();
  }
  // The stream ended: what zlib did not consume, fed or not yet read, must be zero padding.
  await tapDone;
  let skip = gunzip.bytesWritten - fedFrom;
  for (const chunk of fed) {
    if (skip < chunk.length) refuseUnlessZeros(chunk.subarray(Math.max(0, skip)));
    skip -= chunk.length;
  }
  for (;;) {
    const next = await rest.next();
    if (next.done) break;
    refuseUnlessZeros(next.value);
  }
}

function refuseUnlessZeros(bytes: Uint8Array): void {
  for (const b of bytes) if (b !== 0) throw invalidArchive('the gzip data is corrupt or followed by garbage (incorrect header check)');
}

export interface InflateGzipOptions {
  /** Members inflating at once; default: the cores plus one. */
  parallel?: number;
  /** Decompression workers; default half the cores; 0: libuv's thread pool (zlib's async API). */
  threads?: number;
}

/**
 * The decompressed bytes of a gzip stream (one or more members; trailing
 * zero bytes after the last member are ignored, as zlib does).
 */
export async function* inflateGzip(input: AsyncIterator<Buffer>, opts: InflateGzipOptions = {}): AsyncGenerator<Buffer> {
  const parallel = Math.max(1, opts.parallel ?? os.availableParallelism() + 1);
  const turn = new LoopTurns();
  const threads = opts.threads ?? defaultInflateThreads();
  const queue = new InputQueue(input);
  const inflight: Promise<Buffer>[] = [];
  let group: Buffer[] = [];
  let groupBytes = 0;
  let groupSize = 0;
  let members = 0;
  // Decompression workers from the second job on: a preview, which reads the first member only, starts none.
  // In an object: TypeScript does not see the closure assign it, and would call it null in \`finally\`.
  const workers: { pool: InflatePool | null } = { pool: null };
  let jobs = 0;
  const dispatch = (): void => {
    if (group.length === 0) return;
    const job = inflateMembers(group, groupSize, jobs++ === 0 || threads === 0 ? null : (workers.pool ??= new InflatePool(threads)));
    // Awaited in order; this only keeps a failure that is not awaited yet from being "unhandled".
    job.catch(() => undefined);
    inflight.push(job);
    group = [];
    groupBytes = 0;
    groupSize = 0;
  };
  try {
    for (;;) {
      if (!(await queue.fill(1))) break;
      let head = readMemberHead(queue.peek(64));
      while (head.kind === 'need') {
        if (!(await queue.fill(head.bytes))) throw invalidArchive('the gzip stream is truncated (the file is incomplete)');
        head = readMemberHead(queue.peek(64));
      }
      if (head.kind === 'garbage') {
        if (members === 0) throw invalidArchive('the gzip data is corrupt or followed by garbage (incorrect header check)');
        dispatch();
        while (inflight.length > 0) yield await turn.next(inflight.shift() as Promise<Buffer>);
        await expectZeros(queue);
        break;
      }
      if (head.kind === 'plain') {
        dispatch();
        while (inflight.length > 0) yield await turn.next(inflight.shift() as Promise<Buffer>);
        yield* streamGunzip(queue.rest());
        return;
      }
      if (!(await queue.fill(head.memberLength))) throw invalidArchive("the gzip stream is truncated: it ends inside a member (the file is incomplete, or the member's recorded length is damaged)");
      const member = queue.take(head.memberLength);
      // The trailer is the member's last 8 bytes: read in place unless they straddle two chunks.
      const last = member[member.length - 1] as Buffer;
      const { size } = memberTrailer(last.length >= TRAILER_BYTES ? last : joinBytes(member, head.memberLength - TRAILER_BYTES, TRAILER_BYTES));
      if (size > MAX_TAGGED_OUTPUT) throw invalidArchive(`a gzip member claims to inflate to ${size} bytes, more than this app ever writes in one member (its recorded length or size is damaged): the archive is corrupt`);
      if (group.length > 0 && (groupBytes + head.memberLength > JOB_INPUT || groupSize + size > MAX_TAGGED_OUTPUT)) dispatch();
      group.push(...member);
      groupBytes += head.memberLength;
      groupSize += size;
      members++;
      // The first member goes alone: it holds snapshot.json, all that a preview reads.
      if (groupBytes >= JOB_INPUT || members === 1) dispatch();
      while (inflight.length >= parallel) yield await turn.next(inflight.shift() as Promise<Buffer>);
    }
    dispatch();
    while (inflight.length > 0) yield await turn.next(inflight.shift() as Promise<Buffer>);
  } finally {
    inflight.length = 0;
    await workers.pool?.terminate();
  }
}

/** After the last member: only zero bytes may follow (zlib ignores those); anything else is garbage. */
async function expectZeros(queue: InputQueue): Promise<void> {
  for await (const chunk of queue.rest()) refuseUnlessZeros(chunk);
}
