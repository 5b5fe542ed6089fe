import { createRequire } from 'module'; const require = createRequire('/work/main/x.js');

// ../../tmp/ld/fx.ts
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

// ../../tmp/ld/fx.ts
var fh = await open(process.argv[2]);
var st = await fh.stat();
var t = performance.now();
var a = await kernelExtents(fh.fd, st.size, st.blocks * 512, process.argv[3] === "seek" ? "seek" : "any");
console.log("any", a?.length, (performance.now() - t).toFixed(1));
await fh.close();
