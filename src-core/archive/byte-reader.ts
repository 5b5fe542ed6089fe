/**
 * Pulls exact byte counts out of a stream of chunks (the decompressed tar).
 * Bodies are handed out as sub-views of the chunks the stream produced, so
 * the hot path copies nothing; only headers that straddle chunks are joined.
 */
export class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  private ended = false;
  /** Bytes consumed so far (offset in the tar stream). */
  position = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Loads the next non-empty chunk; false at end of stream. */
  private async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  /** Exactly n bytes, or null if the stream ends first (a partial read is lost: callers treat it as truncation). */
  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill())) return n === 0 ? Buffer.alloc(0) : null;
    if (this.chunk.length - this.at >= n) {
      const out = this.chunk.subarray(this.at, this.at + n);
      this.at += n;
      this.position += n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (!(await this.fill())) return null;
      const take = Math.min(n - filled, this.chunk.length - this.at);
      this.chunk.copy(out, filled, this.at, this.at + take);
      this.at += take;
      filled += take;
      this.position += take;
    }
    return out;
  }

  /** Up to `max` bytes (at least one) as a view of the current chunk; null at end of stream. */
  async readSome(max: number): Promise<Buffer | null> {
    if (!(await this.fill())) return null;
    const take = Math.min(max, this.chunk.length - this.at);
    const out = this.chunk.subarray(this.at, this.at + take);
    this.at += take;
    this.position += take;
    return out;
  }

  /** Discards exactly n bytes; false if the stream ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      const part = await this.readSome(left);
      if (!part) return false;
      left -= part.length;
    }
    return true;
  }
}
