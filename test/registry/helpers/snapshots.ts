/** Source snapshots with holes for registry tests, and byte-exact comparison of data directories. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packDataDir } from '../../../src-core/archive/tar-pack';
import { newSnapshotId } from '../../../src-core/ids';
import { openStore, type LocalFileStore } from '../../../src-core/localfile';
import type { SnapshotConfig } from '../../../src-core/types';

export const MiB = 1024 * 1024;

export interface TempStore {
  root: string;
  store: LocalFileStore;
  cleanup(): Promise<void>;
}

export async function tempStore(prefix = 'snapdesk-reg-'): Promise<TempStore> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { root, store: openStore({ root }), cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/** Writes `data` pieces at offsets into a file of `size` bytes, leaving holes elsewhere. */
export async function writeSparse(file: string, size: number, pieces: [number, Buffer][]): Promise<void> {
  const fh = await fs.open(file, 'w', 0o640);
  try {
    for (const [offset, data] of pieces) await fh.write(data, 0, data.length, offset);
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
}

/** A cloud-hypervisor style snapshot: small JSON files, random memory, a sparse raw disk, an empty file. */
export async function makeSnapshot(store: LocalFileStore, name: string, opts: { memoryBytes?: number; diskBytes?: number } = {}): Promise<{ id: string; config: SnapshotConfig }> {
  const src = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-src-'));
  try {
    await fs.writeFile(path.join(src, 'config.json'), '{"cpus":{"boot_vcpus":2},"memory":{"size":1073741824}}\n');
    await fs.writeFile(path.join(src, 'state.json'), '{"state":"paused"}\n');
    await fs.writeFile(path.join(src, 'memory-ranges'), randomBytes(opts.memoryBytes ?? MiB));
    await fs.writeFile(path.join(src, 'cidata.img'), Buffer.from('cidata <&> \u2028 text'));
    await fs.writeFile(path.join(src, 'empty.bin'), Buffer.alloc(0));
    const disk = opts.diskBytes ?? 16 * MiB;
    await writeSparse(path.join(src, 'cow.raw'), disk, [
      [0, randomBytes(8192)],
      [Math.floor(disk / 2), randomBytes(12288)],
      [disk - 4096, randomBytes(4096)],
    ]);
    const config: SnapshotConfig = {
      id: newSnapshotId(),
      name,
      description: 'golden <web> & cache',
      cpu: 2,
      memory: 1073741824,
      storage: 10737418240,
      image: 'ghcr.io/cocoonstack/ubuntu:24.04',
      image_digest: 'sha256:' + 'ab'.repeat(32),
      image_type: 'oci',
      image_blob_ids: { ['cd'.repeat(32)]: {}, ['01'.repeat(32)]: {} },
      hypervisor: 'cloud-hypervisor',
      nics: 1,
      network: 'bridge-net',
    };
    const id = await store.create(config, packDataDir(src));
    return { id, config };
  } finally {
    await fs.rm(src, { recursive: true, force: true });
  }
}

/** Every file of two data directories: same names, same bytes; sparse sources stay sparse. */
export async function expectSameData(expectFn: (v: unknown) => { toEqual(x: unknown): void; toBe(x: unknown): void; toBeLessThan(x: number): void }, a: string, b: string): Promise<void> {
  const names = (await fs.readdir(a)).sort();
  expectFn((await fs.readdir(b)).sort()).toEqual(names);
  for (const n of names) {
    const [x, y] = await Promise.all([fs.readFile(path.join(a, n)), fs.readFile(path.join(b, n))]);
    expectFn(Buffer.compare(x, y) === 0 ? n : `${n} differs`).toBe(n);
    const [sa, sb] = await Promise.all([fs.stat(path.join(a, n)), fs.stat(path.join(b, n))]);
    if (sa.blocks * 512 < sa.size) expectFn(sb.blocks * 512).toBeLessThan(sb.size);
  }
}

/** Data directories under the store (committed or not): nothing may be left after a failed pull. */
export async function dataDirsOf(root: string): Promise<string[]> {
  const dir = path.join(root, 'snapshot', 'localfile');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => !n.endsWith('.lease'));
}

export async function indexRecords(root: string): Promise<Record<string, { pending?: boolean }>> {
  const text = await fs.readFile(path.join(root, 'snapshot', 'db', 'snapshots.json'), 'utf8').catch(() => '{"snapshots":{}}');
  return (JSON.parse(text) as { snapshots: Record<string, { pending?: boolean }> }).snapshots;
}
