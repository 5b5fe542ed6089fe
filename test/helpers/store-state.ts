/**
 * Store fixtures for archive tests: a temp cocoon root, seeded through the
 * real store so snapshots.json holds the store's own bytes, and a full
 * capture of everything under the root so a test can assert that a failed
 * import left the store exactly as it was.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { newSnapshotId } from '../../src-core/ids';
import { openStore, type LocalFileStore } from '../../src-core/localfile';

export interface TempStore {
  root: string;
  store: LocalFileStore;
  cleanup(): Promise<void>;
}

/** A fresh, empty store root under the system temp dir. */
export async function tempStore(prefix = 'snapdesk-store-'): Promise<TempStore> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { root, store: openStore({ root }), cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/** A tar stream of small data files, as `create` takes it. */
export function dataTar(files: Record<string, string | Buffer>): Readable {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, body);
  pack.finalize();
  // tar-stream packs are streamx streams; wrap for APIs typed on Node's Readable.
  return Readable.from(pack);
}

/** Adds `count` small committed snapshots ("seed-1", …) through the store's own create. */
export async function seedSnapshots(store: LocalFileStore, count = 2): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = newSnapshotId();
    await store.create(
      { id, name: `seed-${i}`, cpu: 1, memory: 268_435_456, hypervisor: 'firecracker' },
      dataTar({ vmstate: `state ${i}\n`, 'cocoon.json': '{"seed":true}\n' }),
    );
    ids.push(id);
  }
  return ids;
}

export interface TreeEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** sha256 of file contents (files only). */
  sha256?: string;
}

/** Everything under `root`: relative path → type, size and content hash. */
export async function captureTree(root: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const walk = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const name of names.sort()) {
      const abs = path.join(dir, name);
      const rel = path.relative(root, abs);
      const st = await fs.lstat(abs);
      if (st.isDirectory()) {
        out.set(rel, { type: 'dir', size: 0 });
        await walk(abs);
      } else if (st.isFile()) {
        const sha256 = createHash('sha256').update(await fs.readFile(abs)).digest('hex');
        out.set(rel, { type: 'file', size: st.size, sha256 });
      } else {
        out.set(rel, { type: st.isSymbolicLink() ? 'symlink' : 'other', size: st.size });
      }
    }
  };
  await walk(root);
  return out;
}

/** Lines describing how `after` differs from `before` (empty when identical). */
export function treeDiff(before: Map<string, TreeEntry>, after: Map<string, TreeEntry>): string[] {
  const lines: string[] = [];
  for (const [p, e] of after) {
    const b = before.get(p);
    if (!b) lines.push(`+ ${p} (${e.type}, ${e.size} bytes)`);
    else if (b.type !== e.type || b.size !== e.size || b.sha256 !== e.sha256) lines.push(`~ ${p} (${b.type} ${b.size} → ${e.type} ${e.size})`);
  }
  for (const p of before.keys()) if (!after.has(p)) lines.push(`- ${p}`);
  return lines;
}

/** The index file path of a store root. */
export const indexFileOf = (root: string): string => path.join(root, 'snapshot', 'db', 'snapshots.json');

/** snapshots.json bytes, or null when the file does not exist. */
export async function readIndexBytes(root: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(indexFileOf(root));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
