/**
 * The gzip export path: the tar stream is packed straight into ~1 MiB
 * chunks (file data read from disk into the chunk itself, no intermediate
 * buffers), the chunks are compressed on the worker pool, and the members go
 * to a sink in order. Chunks and output buffers travel to the workers and
 * back and are reused, so an export of any size runs on about a dozen
 * buffers: nothing is allocated per chunk, and no garbage waits for a
 * collection in any thread.
 *
 * Flow control is a bounded window: at most `threads × 2` chunks are being
 * compressed or waiting to be written; packing waits for the oldest to be
 * written before it starts another.
 */
import { cancelled, SnapDeskError, toSnapDeskError } from '../errors';
import { CompressPool, type CompressResult } from './compress-pool';
import { checkedGzipOptions, type GzipParallelOptions } from './gzip-parallel';
import { readWindows } from './read-windows';
import { bodySegments, closePlan, planDataDir, tarPieces, type PackOptions, type PlannedFile } from './tar-pack';

/** Where the members go. `data` is only valid until the returned promise settles (its buffer is reused). */
export interface ArchiveSink {
  write(data: Buffer): Promise<void>;
}

export interface GzipExportOptions extends PackOptions, GzipParallelOptions {}

/** Room an output buffer gets beyond its chunk: member headers and stored-block overhead fit well inside. */
const OUTPUT_SLACK = 64 * 1024;

/** Packs `dir` as a tar, gzips it on every core and writes the members to `sink`; resolves when the last is written. */
export async function writeGzipArchive(dir: string, sink: ArchiveSink, opts: GzipExportOptions = {}): Promise<void> {
  const { level, threads, chunkSize, engine } = checkedGzipOptions(opts);
  const { signal, onProgress } = opts;
  let plan: PlannedFile[] = [];
  let pool: CompressPool | null = null;
  const inFlight: Promise<CompressResult>[] = [];
  try {
    // The workers start up while the files are planned.
    pool = new CompressPool(threads, level, chunkSize, engine);
    const workers = pool;
    plan = await planDataDir(dir, signal, opts.mapBudget, opts.opened);
    const window = threads * 2;
    const spareInputs: Buffer[] = [];
    const spareOutputs: Buffer[] = [];
    const total = plan.reduce((n, f) => n + f.dataBytes, 0);
    let done = 0;
    onProgress?.({ bytesDone: 0, bytesTotal: total });

    let chunk: Buffer = Buffer.allocUnsafeSlow(chunkSize);
    let fill = 0;
    let dispatched = 0;
    const writeOldest = async (): Promise<void> => {
      const r = await (inFlight.shift() as Promise<CompressResult>);
      await sink.write(r.output.subarray(0, r.length));
      spareInputs.push(r.input);
      for (const out of [r.output, r.spare]) if (out && out.length >= chunkSize + OUTPUT_SLACK) spareOutputs.push(out);
    };
    const dispatch = async (): Promise<void> => {
      if (signal?.aborted) throw cancelled('export');
      if (inFlight.length >= window) await writeOldest();
      const result = workers.compress(chunk, fill, spareOutputs.pop() ?? Buffer.allocUnsafeSlow(chunkSize + OUTPUT_SLACK));
      // Awaited in order by writeOldest; a failure here must not count as unhandled meanwhile.
      result.catch(() => undefined);
      inFlight.push(result);
      dispatched++;
      chunk = spareInputs.pop() ?? Buffer.allocUnsafeSlow(chunkSize);
      fill = 0;
    };
    const addBytes = async (bytes: Buffer): Promise<void> => {
      for (let from = 0; from < bytes.length; ) {
        const n = bytes.copy(chunk, fill, from);
        fill += n;
        from += n;
        if (fill === chunkSize) await dispatch();
      }
    };
    // Small segments close together are read in one call into `staging` and copied out (read-windows.ts).
    let staging: Buffer | null = null;
    const addFile = async (f: PlannedFile, file: string): Promise<void> => {
      const readFully = async (into: Buffer, offset: number, length: number, position: number): Promise<void> => {
        for (let got = 0; got < length; ) {
          const { bytesRead } = await f.fh.read(into, offset + got, length - got, position + got);
          if (bytesRead === 0) throw new SnapDeskError('io', `${file} became shorter while it was being read; export again once nothing writes to it`, { path: file });
          got += bytesRead;
        }
      };
      for (const w of readWindows(bodySegments(f), chunkSize)) {
        if (w.segments.length === 1) {
          // One stretch: straight into the chunk, across chunk boundaries.
          for (let at = w.offset, end = w.offset + w.length; at < end; ) {
            const n = Math.min(end - at, chunkSize - fill);
            await readFully(chunk, fill, n, at);
            fill += n;
            at += n;
            if (fill === chunkSize) await dispatch();
          }
        } else {
          staging ??= Buffer.allocUnsafe(chunkSize);
          await readFully(staging, 0, w.length, w.offset);
          for (const seg of w.segments) await addBytes(staging.subarray(seg.offset - w.offset, seg.offset - w.offset + seg.length));
        }
        done += w.segments.reduce((n, seg) => n + seg.length, 0);
        onProgress?.({ bytesDone: done, bytesTotal: total, file: f.name });
      }
    };

    for (const piece of tarPieces(dir, plan, opts.prefix)) {
      if ('bytes' in piece) await addBytes(piece.bytes);
      else await addFile(piece.file, piece.path);
    }
    if (fill > 0 || dispatched === 0) await dispatch();
    while (inFlight.length > 0) await writeOldest();
  } catch (err) {
    throw toSnapDeskError(err);
  } finally {
    await pool?.terminate();
    await closePlan(plan);
  }
}
