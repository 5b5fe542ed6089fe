import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged, counting them; `onChunk` runs once per chunk (not per tar block). */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly onChunk?: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.onChunk?.(this.bytes);
    cb(null, chunk);
  }
}
