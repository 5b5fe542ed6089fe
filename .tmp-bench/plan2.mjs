import { createRequire } from 'module'; const require = createRequire('/work/main/x.js');

// ../../tmp/ld/plan2.ts
import { open } from "node:fs/promises";

// src-core/archive/file-extents.ts
var api;
function loadKernelApi() {
  api ??= (async () => {
    const lib = process.platform === "linux" ? "libc.so.6" : process.platform === "darwin" ? "/usr/lib/libSystem.B.dylib" : null;
    if (!lib) return null;
    try {
      const ns = await import("koffi");
      const koffi = ns.default ?? ns;
      const libc = koffi.load(lib);
      const lseek = libc.func("int64_t lseek(int fd, int64_t offset, int whence)");
      const fiemapArch = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");
      const ioctl = fiemapArch ? libc.func("int ioctl(int fd, unsigned long request, ...)") : null;
      const darwin = process.platform === "darwin";
      return { lseek, ioctl, errno: () => koffi.errno(), seekData: darwin ? 4 : 3, seekHole: darwin ? 3 : 4, enxio: koffi.os.errno.ENXIO ?? 6 };
    } catch {
      return null;
    }
  })();
  return api;
}
var SLICE_MS = 10;
var yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));
function append(segments, offset, end) {
  const last = segments[segments.length - 1];
  if (last && last.offset + last.length >= offset) last.length = Math.max(last.length, end - last.offset);
  else segments.push({ offset, length: end - offset });
}
var FS_IOC_FIEMAP = 3223348747;
var FIEMAP_HEADER = 32;
var FIEMAP_EXTENT = 56;
var FIEMAP_BATCH = 1024;
var FIEMAP_EXTENT_LAST = 1;
async function fiemapExtents(ioctl, fd, size, allocated) {
  const buf = Buffer.alloc(FIEMAP_HEADER + FIEMAP_BATCH * FIEMAP_EXTENT);
  const segments = [];
  let start = 0;
  let slice = performance.now();
  while (start < size) {
    buf.fill(0, 0, FIEMAP_HEADER);
    buf.writeBigUInt64LE(BigInt(start), 0);
    buf.writeBigUInt64LE(BigInt(size - start), 8);
    buf.writeUInt32LE(FIEMAP_BATCH, 24);
    if (ioctl(fd, FS_IOC_FIEMAP, "uint8_t *", buf) !== 0) return null;
    const mapped2 = buf.readUInt32LE(20);
    if (mapped2 === 0) break;
    let last = false;
    for (let i = 0; i < mapped2; i++) {
      const at = FIEMAP_HEADER + i * FIEMAP_EXTENT;
      const logical = Number(buf.readBigUInt64LE(at));
      const end = Math.min(size, logical + Number(buf.readBigUInt64LE(at + 16)));
      if ((buf.readUInt32LE(at + 40) & FIEMAP_EXTENT_LAST) !== 0) last = true;
      if (end > logical) append(segments, Math.max(logical, 0), end);
      start = Math.max(start, end);
    }
    if (last) break;
    if (performance.now() - slice > SLICE_MS) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
  const mapped = segments.reduce((n, s) => n + s.length, 0);
  const slack = 128 * 1024 + segments.length * 16;
  return mapped + slack >= Math.min(allocated, size) ? segments : null;
}
async function seekExtents(k, fd, size) {
  const segments = [];
  let at = 0;
  let slice = performance.now();
  while (at < size) {
    const data = Number(k.lseek(fd, at, k.seekData));
    if (data < 0) {
      if (k.errno() === k.enxio) break;
      return null;
    }
    if (data >= size) break;
    const hole = Number(k.lseek(fd, data, k.seekHole));
    if (hole < 0) return null;
    const end = Math.min(hole, size);
    segments.push({ offset: data, length: end - data });
    at = end;
    if (performance.now() - slice > SLICE_MS) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
  return segments;
}
async function kernelExtents(fd, size, allocated, method = "any") {
  const k = await loadKernelApi();
  if (!k) return null;
  const mapped = k.ioctl && method === "any" ? await fiemapExtents(k.ioctl, fd, size, allocated) : null;
  return mapped ?? seekExtents(k, fd, size);
}

// src-core/archive/read-windows.ts
var READ_ALONG_GAP = 256 * 1024;
function* readWindows(segments, span, maxGap = READ_ALONG_GAP) {
  let open2 = null;
  for (const seg of segments) {
    for (let at = seg.offset, end = seg.offset + seg.length; at < end; ) {
      const length = Math.min(end - at, span);
      const piece = { offset: at, length };
      if (open2 && at - (open2.offset + open2.length) <= maxGap && at + length - open2.offset <= span) {
        open2.segments.push(piece);
        open2.length = at + length - open2.offset;
      } else {
        if (open2) yield open2;
        open2 = { offset: at, length, segments: [piece] };
      }
      at += length;
    }
  }
  if (open2) yield open2;
}

// src-core/archive/sparse.ts
var HOLE_BLOCK = 4096;
var ZERO_BLOCK = Buffer.alloc(HOLE_BLOCK);
function isZeroRange(buf, start, end) {
  if (buf[start] !== 0 || buf[end - 1] !== 0 || buf[start + end >>> 1] !== 0) return false;
  return buf.compare(ZERO_BLOCK, 0, end - start, start, end) === 0;
}
function dataRuns(buf, fileOffset) {
  const runs = [];
  let runStart = -1;
  let s = 0;
  let e = Math.min(buf.length, HOLE_BLOCK - fileOffset % HOLE_BLOCK);
  while (s < buf.length) {
    if (isZeroRange(buf, s, e)) {
      if (runStart >= 0) runs.push(runStart, s);
      runStart = -1;
    } else if (runStart < 0) {
      runStart = s;
    }
    s = e;
    e = Math.min(buf.length, s + HOLE_BLOCK);
  }
  if (runStart >= 0) runs.push(runStart, buf.length);
  return runs;
}
async function scanDataRuns(fh2, ranges, signal) {
  const segments = [];
  const SPAN = 4 * 1024 * 1024;
  const windows = [...readWindows(ranges, SPAN)];
  const largest = windows.reduce((n, w) => Math.max(n, w.length), 0);
  const buffers = [Buffer.allocUnsafe(largest), Buffer.allocUnsafe(windows.length > 1 ? largest : 0)];
  const readAt = async (w, buf) => {
    let got = 0;
    while (got < w.length) {
      const { bytesRead } = await fh2.read(buf, got, w.length - got, w.offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  };
  let next = windows.length > 0 ? readAt(windows[0], buffers[0]) : null;
  for (let i = 0; i < windows.length; i++) {
    signal?.throwIfAborted();
    const buf = await next;
    next = i + 1 < windows.length ? readAt(windows[i + 1], buffers[(i + 1) % 2]) : null;
    next?.catch(() => void 0);
    const w = windows[i];
    for (const part of w.segments) {
      const from = part.offset - w.offset;
      const runs = dataRuns(buf.subarray(from, Math.min(buf.length, from + part.length)), part.offset);
      for (let k = 0; k < runs.length; k += 2) {
        const offset = part.offset + (runs[k] ?? 0);
        const length = (runs[k + 1] ?? 0) - (runs[k] ?? 0);
        const last = segments[segments.length - 1];
        if (last && last.offset + last.length === offset) last.length += length;
        else segments.push({ offset, length });
      }
    }
  }
  return segments;
}
function scanExtents(fh2, size, signal) {
  return scanDataRuns(fh2, [{ offset: 0, length: size }], signal);
}
async function dataExtents(fh2, size, allocated, signal) {
  if (size === 0) return [];
  if (allocated >= size) return [{ offset: 0, length: size }];
  return await kernelExtents(fh2.fd, size, allocated) ?? scanExtents(fh2, size, signal);
}

// ../../tmp/ld/plan2.ts
var file = process.argv[2];
var fh = await open(file);
var st = await fh.stat();
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  const ext = await dataExtents(fh, st.size, st.blocks * 512);
  const t1 = performance.now() - t;
  const w = [...readWindows(ext, 4 << 20)];
  t = performance.now();
  const runs = await scanDataRuns(fh, ext);
  console.log("extents", ext.length, t1.toFixed(0), "ms; windows", w.length, "scan", (performance.now() - t).toFixed(0), "ms runs", runs.length);
}
