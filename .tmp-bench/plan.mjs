import { createRequire } from 'module'; const require = createRequire('/work/main/x.js');

// src-core/archive/tar-pack.ts
import { promises as fs } from "node:fs";
import path from "node:path";

// src-core/errors.ts
var SnapDeskError = class extends Error {
  code;
  details;
  constructor(code, message, details, options) {
    super(message, options);
    this.name = "SnapDeskError";
    this.code = code;
    this.details = details;
  }
  toData() {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
};
function cancelled(what = "operation") {
  return new SnapDeskError("cancelled", `${what} cancelled`);
}

// src-core/rules/unsafe-text.ts
var UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
var UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
var LAYOUT = /* @__PURE__ */ new Set(["\n", "	"]);
var counts = (ch, opts) => !(opts?.multiline && LAYOUT.has(ch));
function firstUnsafeChar(text, opts) {
  if (!UNSAFE.test(text)) return null;
  for (const m of text.matchAll(UNSAFE_ALL)) if (counts(m[0], opts)) return m[0];
  return null;
}
var hasUnsafeChars = (text, opts) => firstUnsafeChar(text, opts) !== null;

// src-core/rules/snapshot-names.ts
var MAX_TEXT_FIELD_LENGTH = 1024 * 1024;

// src-core/rules/archive-files.ts
var ARCHIVE_EXTENSIONS = [".tgz", ".tar.gz", ".tar"];
var ARCHIVE_EXTENSIONS_TEXT = `${ARCHIVE_EXTENSIONS.slice(0, -1).join(", ")} or ${ARCHIVE_EXTENSIONS[ARCHIVE_EXTENSIONS.length - 1]}`;
var ARCHIVE_ACCEPT = [...ARCHIVE_EXTENSIONS, "application/gzip", "application/x-tar"].join(",");
var GZIP_EXTENSIONS = ARCHIVE_EXTENSIONS.filter((e) => e !== ".tar");
var utf8 = new TextEncoder();

// src-core/rules/byte-sizes.ts
var grouped = new Intl.NumberFormat("en-US");

// src-core/rules/http.ts
var CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'"
];
var HEADER_ONLY_DIRECTIVES = ["frame-ancestors"];
var CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join("; ");
var CONTENT_SECURITY_POLICY_META = CSP_DIRECTIVES.filter((d) => !HEADER_ONLY_DIRECTIVES.includes(d.split(" ")[0])).join("; ");

// src-core/archive/entry-name.ts
var MAX_NAME_BYTES = 255;
var METADATA_NAME = "snapshot.json";
function plainNameProblem(name) {
  if (name === "") return "the name is empty";
  if (name === "." || name === "..") return 'the name is "." or ".."';
  if (name.includes("/") || name.includes("\\")) return "the name contains a path separator (archives must be flat)";
  if (hasUnsafeChars(name)) return "the name contains a control character or an invisible formatting character";
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`;
  if (name.includes("\uFFFD")) return "the name is not valid UTF-8";
  return null;
}

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
  let open = null;
  for (const seg of segments) {
    for (let at = seg.offset, end = seg.offset + seg.length; at < end; ) {
      const length = Math.min(end - at, span);
      const piece = { offset: at, length };
      if (open && at - (open.offset + open.length) <= maxGap && at + length - open.offset <= span) {
        open.segments.push(piece);
        open.length = at + length - open.offset;
      } else {
        if (open) yield open;
        open = { offset: at, length, segments: [piece] };
      }
      at += length;
    }
  }
  if (open) yield open;
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
async function scanDataRuns(fh, ranges, signal) {
  const segments = [];
  const SPAN = 4 * 1024 * 1024;
  const windows = [...readWindows(ranges, SPAN)];
  const largest = windows.reduce((n, w) => Math.max(n, w.length), 0);
  const buffers = [Buffer.allocUnsafe(largest), Buffer.allocUnsafe(windows.length > 1 ? largest : 0)];
  const readAt = async (w, buf) => {
    let got = 0;
    while (got < w.length) {
      const { bytesRead } = await fh.read(buf, got, w.length - got, w.offset + got);
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
async function nonZeroData(fh, size, allocated, signal) {
  if (size === 0) return [];
  const extents = allocated >= size ? null : await kernelExtents(fh.fd, size, allocated);
  return scanDataRuns(fh, extents ?? [{ offset: 0, length: size }], signal);
}

// src-core/archive/batched-writer.ts
var ZEROS = Buffer.alloc(64 * 1024);

// src-core/archive/file-body.ts
var READ_CHUNK = 4 * 1024 * 1024;
var WRITE_PIECE = 4 * 1024 * 1024;

// src-core/archive/tar-header.ts
var BLOCK = 512;
var USTAR_MAGIC = Buffer.from("ustar\x0000", "latin1");
var GNU_MAGIC = Buffer.from("ustar  \0", "latin1");

// src-core/archive/sparse-map.ts
var MAX_MAP_BYTES = 8 * 1024 * 1024;
var MAX_SEGMENTS = 256 * 1024;
var EXPORT_MAP_BUDGET = 1024 * 1024 - 4096;
var mapTextLength = (segments) => {
  let n = 2 + Math.max(0, segments.length - 1);
  for (const s of segments) n += 11 + String(s.offset).length + String(s.length).length;
  return n;
};
function fitMap(segments, budget = EXPORT_MAP_BUDGET) {
  let current = segments;
  for (let gap = 4096; mapTextLength(current) > budget; gap *= 2) {
    const merged = [];
    for (const s of current) {
      const last = merged[merged.length - 1];
      if (last && s.offset - (last.offset + last.length) <= gap) last.length = s.offset + s.length - last.offset;
      else merged.push({ ...s });
    }
    current = merged;
  }
  return current;
}

// src-core/archive/tar-pack.ts
var STREAM_BUFFER = 1024 * 1024;
var END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
var OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
async function planDataDir(dir2, signal, mapBudget = EXPORT_MAP_BUDGET, opened) {
  const names = (opened ? [...opened.keys()] : await fs.readdir(dir2)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const plan = [];
  try {
    for (const name of names) {
      if (signal?.aborted) throw cancelled("export");
      const problem = plainNameProblem(name);
      if (problem) throw new SnapDeskError("invalid_input", `cannot archive "${name}" in ${dir2}: ${problem}`, { path: path.join(dir2, name) });
      if (name === METADATA_NAME) {
        throw new SnapDeskError("invalid_input", `cannot archive ${dir2}: it holds a file named ${METADATA_NAME}, a name the archive format reserves for its metadata`, { path: dir2 });
      }
      plan.push(await planFile(dir2, name, mapBudget, signal, opened?.get(name)));
    }
  } catch (err) {
    await closePlan(plan);
    throw err;
  }
  return plan;
}
function openDataFile(file) {
  return fs.open(file, OPEN_FLAGS).catch((err) => {
    if (err.code === "ELOOP") throw new SnapDeskError("invalid_input", `cannot archive ${file}: it is a symbolic link, not a regular file`, { path: file });
    throw err;
  });
}
async function planFile(dir2, name, mapBudget, signal, given) {
  const file = path.join(dir2, name);
  const owned = !given;
  const fh = given ?? await openDataFile(file);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SnapDeskError("invalid_input", `cannot archive ${file}: it is not a regular file`, { path: file });
    const runs = await nonZeroData(fh, st.size, st.blocks * 512, signal);
    const whole = runs.length === 1 && runs[0]?.offset === 0 && runs[0].length === st.size;
    const segments = st.size === 0 || whole ? null : fitMap(runs, mapBudget);
    const dataBytes = segments ? segments.reduce((n, s) => n + s.length, 0) : st.size;
    return { name, size: st.size, mode: st.mode & 511, mtime: Math.floor(st.mtimeMs / 1e3), segments, dataBytes, fh, owned };
  } catch (err) {
    if (owned) await fh.close();
    throw err;
  }
}
async function closePlan(plan) {
  await Promise.all(plan.filter((f) => f.owned).map((f) => f.fh.close().catch(() => void 0)));
}

// ../../tmp/ld/plan.ts
var dir = process.argv[2];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const plan = await planDataDir(dir);
  console.log("plan ms", (performance.now() - t).toFixed(0), plan.map((f) => `${f.name}:${f.segments?.length ?? 0}`).join(" "));
  await closePlan(plan);
}
