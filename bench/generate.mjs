// Synthetic snapshot data for the benchmark: guest memory that looks like
// guest memory (runs of zero pages, random pages, code-like and text-like
// pages) and sparse disks with data in scattered extents. Written in large
// sequential chunks; nothing is held in memory beyond one chunk and the
// small page pools.
import { randomFillSync } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

const PAGE = 4096;
const CHUNK = 4 * 1024 * 1024;
const POOL = 2 * 1024 * 1024;

/** A small deterministic PRNG (xorshift32) so layouts repeat from run to run. */
export function prng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

const WORDS = (
  'the of and to in is for on that with as was at by from this be are or an it not have which ' +
  'kernel module nginx worker request response GET POST HTTP/1.1 200 404 cache hit miss upstream ' +
  'connection timeout user session token error warning info debug systemd journal pid uid memory ' +
  'page alloc free slab buffer socket tcp listen accept close read write open file path /usr/lib ' +
  '/var/log /etc/nginx json {"id": "name": "value": true false null 0x7f 1024 4096 65536'
).split(' ');

/** Log- and config-like text: compresses about 3-4x with gzip -1. */
function textPool(rng) {
  const out = Buffer.alloc(POOL);
  let at = 0;
  while (at < POOL) {
    const line = [];
    const n = 4 + rng.int(12);
    for (let i = 0; i < n; i++) line.push(WORDS[rng.int(WORDS.length)]);
    if (rng.next() < 0.3) line.unshift(`2026-11-28T0${rng.int(10)}:${10 + rng.int(50)}:${10 + rng.int(50)}.${rng.int(1000)}Z`);
    at += out.write(line.join(' ') + '\n', at, 'latin1');
  }
  return out;
}

/** Machine-code-like bytes: a few common opcodes with random operands; compresses about 1.5-2x. */
function codePool(rng) {
  const ops = [
    [0x48, 0x89], [0x48, 0x8b], [0xe8], [0xe9], [0x0f, 0x84], [0x0f, 0x85], [0x55], [0x5d], [0xc3],
    [0x48, 0x83, 0xec], [0x48, 0x83, 0xc4], [0x31, 0xc0], [0x85, 0xc0], [0x74], [0x75], [0x41, 0x57],
  ];
  const out = Buffer.alloc(POOL);
  let at = 0;
  while (at < POOL - 16) {
    const op = ops[rng.int(ops.length)];
    for (const b of op) out[at++] = b;
    const operands = rng.int(5);
    for (let i = 0; i < operands; i++) out[at++] = rng.next() < 0.5 ? rng.int(256) : rng.int(16);
  }
  return out;
}

/** Fills `buf` with whole pages of one kind. */
function fillPages(buf, kind, pools, rng) {
  if (kind === 'zero') buf.fill(0);
  else if (kind === 'random') randomFillSync(buf);
  else {
    const pool = kind === 'code' ? pools.code : pools.text;
    for (let at = 0; at < buf.length; at += PAGE) {
      const from = rng.int(POOL / PAGE) * PAGE;
      pool.copy(buf, at, from, from + Math.min(PAGE, buf.length - at));
    }
  }
}

/** Picks a page kind by cumulative weights. */
function pick(mix, r) {
  let acc = 0;
  for (const [kind, w] of mix) {
    acc += w;
    if (r < acc) return kind;
  }
  return mix[mix.length - 1][0];
}

/** The memory mix: 40% zero pages, 20% random, 20% code-like, 20% text-like, in runs of 1-64 pages. */
export const MEMORY_MIX = [
  ['zero', 0.4],
  ['random', 0.2],
  ['code', 0.2],
  ['text', 0.2],
];

/**
 * Guest memory as a running VM leaves it: zero pages scattered all through
 * (about 45% of pages, in runs of 1-6 pages), code-like and text-like pages,
 * and about 10% random pages (page cache of compressed or encrypted data).
 */
export const GUEST_MIX = [
  ['zero', 0.45],
  ['code', 0.25],
  ['text', 0.2],
  ['random', 0.1],
];

/**
 * Writes a dense (non-sparse) memory file of `size` bytes: runs of pages of
 * one kind, kinds drawn from `mix`, run lengths 1..`maxRun` pages.
 */
export function writeMemoryFile(file, size, seed = 1, mix = MEMORY_MIX, maxRun = 64) {
  const rng = prng(seed);
  const pools = { text: textPool(rng), code: codePool(rng) };
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(CHUNK);
  try {
    let written = 0;
    let runKind = 'zero';
    let runLeft = 0;
    while (written < size) {
      const len = Math.min(CHUNK, size - written);
      for (let at = 0; at < len; ) {
        if (runLeft === 0) {
          runKind = pick(mix, rng.next());
          runLeft = 1 + rng.int(maxRun);
        }
        const pages = Math.min(runLeft, Math.ceil((len - at) / PAGE));
        const bytes = Math.min(pages * PAGE, len - at);
        fillPages(chunk.subarray(at, at + bytes), runKind, pools, rng);
        runLeft -= pages;
        at += bytes;
      }
      writeSync(fd, chunk, 0, len, written);
      written += len;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a sparse disk: apparent size `apparent`, `dataBytes` of data in
 * extents at random positions (one per equal slot, so they never overlap):
 * `count` equal extents when given, else extents of 64 KiB-4 MiB. Disk data
 * mix: text, code, random (compressed files). Returns the number of extents.
 */
export function writeSparseDisk(file, apparent, dataBytes, seed = 2, count = 0) {
  const rng = prng(seed);
  const pools = { text: textPool(rng), code: codePool(rng) };
  const extents = [];
  let left = dataBytes;
  const each = count > 0 ? Math.max(PAGE, Math.floor(dataBytes / count / PAGE) * PAGE) : 0;
  while (left > 0) {
    const len = Math.min(left, each || (16 + rng.int(1009)) * PAGE); // 64 KiB .. ~4 MiB
    extents.push(len);
    left -= len;
  }
  const slot = Math.floor(apparent / extents.length / PAGE) * PAGE;
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, apparent);
    const buf = Buffer.alloc(CHUNK);
    extents.forEach((len, i) => {
      const room = Math.max(0, slot - len);
      const offset = i * slot + Math.floor(rng.int(room / PAGE + 1)) * PAGE;
      for (let done = 0; done < len; done += CHUNK) {
        const n = Math.min(CHUNK, len - done);
        fillPages(buf.subarray(0, n), pick([['text', 0.5], ['code', 0.2], ['random', 0.3]], rng.next()), pools, rng);
        writeSync(fd, buf, 0, n, offset + done);
      }
    });
  } finally {
    closeSync(fd);
  }
  return extents.length;
}

/** Small metadata files a cloud-hypervisor snapshot carries. */
export function smallFiles() {
  return {
    'config.json': JSON.stringify({ cpus: { boot_vcpus: 2 }, memory: { size: 1073741824 }, payload: { kernel: '/vmlinux' } }, null, 2) + '\n',
    'state.json': JSON.stringify({ version: 1, devices: ['virtio-blk', 'virtio-net', 'virtio-console'] }) + '\n',
    'cocoon.json': '{"bench":true}\n',
  };
}
