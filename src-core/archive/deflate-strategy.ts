/**
 * How to compress each part of a compression chunk: store it (deflate's
 * stored blocks), Huffman-code it without looking for repeats, or deflate it
 * properly. Pages are classified by cheap samples of their bytes:
 *
 * - Random or already-compressed data (encrypted pages, compressed files,
 *   media) measures ~7.8 bits per byte of entropy: deflate cannot shrink it
 *   and level 1 spends about six times as long on it as storing it does, so
 *   it is stored (threshold 7.5 bits; text, code and zeros stay far below).
 * - Data of middling entropy with almost no repeated 4-byte sequences (small
 *   alphabets of values, operand-heavy binary data) gains nothing from
 *   deflate's match search, which is where level 1 spends its time: Huffman
 *   coding alone gets within a few percent of level 1's size at about a
 *   third of the time. Real machine code and text do repeat (a third or more
 *   of their positions start a repeat), so they keep full deflate.
 * - Everything else (text, code, zeros) is deflated at the chosen level.
 *
 * With libdeflate as the deflater (see libdeflate.ts) the Huffman-only class
 * is not used: libdeflate's level 1 codes those pages as fast as zlib's
 * Huffman-only mode and smaller, so the repeat probe would be wasted time.
 * Random pages are stored from runs of 2 pages: deflating them costs as much
 * as deflating code (about 115 MiB/s) for nothing, while each split costs a
 * member header and trailer (28 bytes) and a fresh window after it.
 *
 * The function is self-contained (no imports, no outer names) because the
 * compression worker is built from source text and embeds it with
 * `planDeflateRuns.toString()`.
 */

/** How a run is compressed: 0 stored, 1 Huffman only, 2 deflated at the chosen level. */
export type RunMode = 0 | 1 | 2;
export const STORE: RunMode = 0;
export const HUFFMAN: RunMode = 1;
export const DEFLATE: RunMode = 2;

/** [start, end, mode]: a byte range of the chunk and how it is compressed. */
export type PlannedRun = [number, number, RunMode];

/** `huffman`: whether repeat-poor pages get the Huffman-only class (worth it with zlib only). */
export function planDeflateRuns(data: Uint8Array, huffman = true): PlannedRun[] {
  const PAGE = 4096;
  // A member costs 28 bytes and a fresh deflate window: short runs are not worth splitting off.
  // Huffman-only saves less per page than storing does, so its runs must be longer to pay.
  const MIN_STORE_PAGES = 2;
  const MIN_HUFFMAN_PAGES = 8;
  const STRIDE = 4;
  const RANDOM_BITS = 7.5;
  const HUFFMAN_MIN_BITS = 5.3;
  const QUICK_STEP = 64;
  const QUICK_DISTINCT = 24;
  const PROBE_BYTES = 1024;
  const HUFFMAN_MAX_REPEATS = 0.1;

  const fullPages = Math.floor(data.length / PAGE);
  const mode = new Uint8Array(fullPages).fill(2);
  const seen = new Uint8Array(256);
  const counts = new Uint16Array(256);
  const table = new Int32Array(4096);
  // c·log2(c) for every count a page sample can reach, so the entropy sum is table lookups.
  const samples = PAGE / STRIDE;
  const clog = new Float64Array(samples + 1);
  for (let c = 2; c <= samples; c++) clog[c] = c * Math.log2(c);
  for (let p = 0; p < fullPages; p++) {
    const start = p * PAGE;
    const end = start + PAGE;
    // Quick look: 64 bytes across the page. Text, zero and sparse pages show few distinct values.
    seen.fill(0);
    let distinct = 0;
    for (let i = start; i < end; i += QUICK_STEP) {
      const b = data[i] as number;
      if (seen[b] === 0) {
        seen[b] = 1;
        distinct++;
      }
    }
    if (distinct < QUICK_DISTINCT) continue;
    counts.fill(0);
    for (let i = start; i < end; i += STRIDE) {
      const b = data[i] as number;
      counts[b] = (counts[b] as number) + 1;
    }
    let sum = 0;
    for (let k = 0; k < 256; k++) sum += clog[counts[k] as number] as number;
    const bits = Math.log2(samples) - sum / samples;
    if (bits > RANDOM_BITS) {
      mode[p] = 0;
      continue;
    }
    if (!huffman || bits <= HUFFMAN_MIN_BITS) continue;
    // Repeats of 4-byte sequences in the page's first KiB: what deflate's match search could use.
    table.fill(-1);
    let repeats = 0;
    const probeEnd = start + PROBE_BYTES - 3;
    for (let i = start; i < probeEnd; i++) {
      const a = data[i] as number;
      const b = data[i + 1] as number;
      const c = data[i + 2] as number;
      const d = data[i + 3] as number;
      const h = Math.imul((a | (b << 8) | (c << 16) | (d << 24)) >>> 0, 2654435761) >>> 20;
      const prev = table[h] as number;
      if (prev >= 0 && data[prev] === a && data[prev + 1] === b && data[prev + 2] === c && data[prev + 3] === d) repeats++;
      table[h] = i;
    }
    if (repeats < HUFFMAN_MAX_REPEATS * (PROBE_BYTES - 3)) mode[p] = 1;
  }

  const runs: PlannedRun[] = [];
  const add = (start: number, end: number, m: RunMode): void => {
    if (end <= start) return;
    const last = runs[runs.length - 1];
    if (last && last[2] === m && last[1] === start) last[1] = end;
    else runs.push([start, end, m]);
  };
  let p = 0;
  while (p < fullPages) {
    let q = p;
    while (q < fullPages && mode[q] === mode[p]) q++;
    // A short run of a cheaper kind is deflated with its neighbours.
    const m = mode[p] as RunMode;
    add(p * PAGE, q * PAGE, q - p >= (m === 0 ? MIN_STORE_PAGES : MIN_HUFFMAN_PAGES) ? m : 2);
    p = q;
  }
  // The tail shorter than a page (and an empty chunk) is deflated.
  add(fullPages * PAGE, data.length, 2);
  if (runs.length === 0) runs.push([0, 0, 2]);
  return runs;
}
