/**
 * A minimal ImportTarget for codec tests that do not need the real store:
 * it reserves data directories under a temp root and keeps records in memory,
 * so a test can see exactly what an import committed or left behind.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nameConflict } from '../../src-core/errors';
import type { ImportTarget, Reservation } from '../../src-core/reservation';
import type { Snapshot, SnapshotConfig } from '../../src-core/types';

export interface DirTarget extends ImportTarget {
  root: string;
  /** Records by ID, with `pending` while reserved. */
  records: Map<string, { config: SnapshotConfig; pending: boolean; created_at: string }>;
  /** Called at the start of commit (to abort "during commit" in tests). */
  onCommit?: () => void;
  cleanup(): Promise<void>;
}

export async function dirTarget(): Promise<DirTarget> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-archive-'));
  const records: DirTarget['records'] = new Map();
  const taken = (name: string): boolean => name !== '' && [...records.values()].some((r) => r.config.name === name);
  const target: DirTarget = {
    root,
    records,
    async reserve(cfg: SnapshotConfig): Promise<Reservation> {
      if (!cfg.id) throw new Error('cfg.id is required');
      if (taken(cfg.name)) throw nameConflict(cfg.name);
      const id = cfg.id;
      const dir = path.join(root, id);
      const created_at = new Date().toISOString();
      records.set(id, { config: cfg, pending: true, created_at });
      await fs.mkdir(dir);
      return {
        id,
        dir,
        config: cfg,
        async commit(): Promise<Snapshot> {
          target.onCommit?.();
          const rec = records.get(id);
          if (!rec) throw new Error('reservation is gone');
          rec.pending = false;
          return { ...cfg, id, created_at };
        },
        async rollback(): Promise<void> {
          records.delete(id);
          await fs.rm(dir, { recursive: true, force: true });
        },
      };
    },
    async isNameTaken(name) {
      return taken(name);
    },
    async suggestFreeName(name) {
      for (let i = 2; ; i++) if (!taken(`${name}-${i}`)) return `${name}-${i}`;
    },
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
  return target;
}

export async function tempDir(prefix = 'snapdesk-data-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A file of `size` bytes with data only where given; the rest is holes. */
export async function sparseFile(file: string, size: number, data: { offset: number; bytes: Buffer }[]): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    for (const d of data) await fh.write(d.bytes, 0, d.bytes.length, d.offset);
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
}

/** Bytes the file really occupies on disk. */
export async function allocated(file: string): Promise<number> {
  return (await fs.stat(file)).blocks * 512;
}

/** name → {size, sha256} of every file in a directory. */
export async function dirDigest(dir: string): Promise<Record<string, { size: number; sha256: string }>> {
  const out: Record<string, { size: number; sha256: string }> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    const file = path.join(dir, name);
    out[name] = { size: (await fs.stat(file)).size, sha256: await sha256File(file) };
  }
  return out;
}

/** Deterministic pseudo-random bytes (incompressible, reproducible). */
export function noise(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
