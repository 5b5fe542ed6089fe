/**
 * A data file's archive body, both ways: the bytes of its data segments in
 * order (what follows its tar header), and writing such a body back into a
 * fresh file. Shared by export/import and usable on its own (for example to
 * move one file's body through another transport).
 */
import type { FileHandle } from 'node:fs/promises';
import { SnapDeskError } from '../errors';
import { BatchedFileWriter, type BatchedWriterOptions } from './batched-writer';
import type { Segment } from './sparse-map';
import { WritebackHints } from './writeback';

const READ_CHUNK = 4 * 1024 * 1024;
const READ_AHEAD = 1;
const WRITE_PIECE = 4 * 1024 * 1024;

/**
 * The body of a file: the bytes of `segments` in order, in fresh buffers of
 * up to 4 MiB, reading a couple of buffers ahead of the consumer. `file`
 * names the file in errors.
 */
export async function* readFileBody(fh: FileHandle, segments: readonly Segment[], file: string): AsyncGenerator<Buffer> {
  const reads: Promise<Buffer>[] = [];
  const pieces = (function* () {
    for (const seg of segments) {
      for (let at = seg.offset, end = seg.offset + seg.length; at < end; at += READ_CHUNK) yield [at, Math.min(READ_CHUNK, end - at)] as const;
    }
  })();
  const readAt = async (pos: number, want: number): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) throw new SnapDeskError('io', `${file} became shorter while it was being read; export again once nothing writes to it`, { path: file });
      got += bytesRead;
    }
    return buf;
  };
  const next = (): void => {
    const p = pieces.next();
    if (p.done) return;
    const read = readAt(p.value[0], p.value[1]);
    // Keep a read-ahead failure from surfacing as "unhandled" if the consumer stops first.
    read.catch(() => undefined);
    reads.push(read);
  };
  for (let i = 0; i <= READ_AHEAD; i++) next();
  while (reads.length > 0) {
    const buf = await (reads.shift() as Promise<Buffer>);
    next();
    yield buf;
  }
}

/**
 * Writes a body back: `read(max)` hands out up to `max` next body bytes
 * (buffers the writer may keep until written), which land at `segments` in
 * the fresh file `fh`; the file then gets `realSize` and is flushed to disk.
 */
export async function writeFileBody(
  read: (max: number) => Promise<Buffer>,
  fh: FileHandle,
  segments: readonly Segment[],
  realSize: number,
  opts: BatchedWriterOptions = {},
): Promise<void> {
  const writebacks = new WritebackHints(fh.fd);
  const writer = new BatchedFileWriter(fh, { onWritten: (position, length) => writebacks.written(position, length), ...opts });
  try {
    for (const seg of segments) {
      for (let at = seg.offset, end = seg.offset + seg.length; at < end; ) {
        const data = await read(Math.min(WRITE_PIECE, end - at));
        await writer.write(data, at);
        at += data.length;
      }
    }
    await writer.close();
  } finally {
    await writer.settle();
    // The requests name this file's descriptor: all are made before the caller may close it.
    await writebacks.settled();
  }
  await fh.truncate(realSize);
  // Data reaches the disk before the record that makes it visible is committed.
  await fh.datasync();
}
