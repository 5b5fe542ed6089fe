/**
 * Export and create read a directory, and that directory can hold more than
 * regular files: a symlink planted to leak /etc/passwd into an archive, a
 * FIFO that blocks whoever opens it, a subdirectory, a file named like the
 * metadata entry. Each must be refused with a typed error naming the file —
 * not followed, not hung on — and a refused export leaves no file behind.
 */
import { spawnSync } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packDataDir } from '../../src-core/archive/tar-pack';
import { SnapDeskError } from '../../src-core/errors';
import { refusal } from '../helpers/archive-assert';
import { captureTree, seedSnapshots, tempStore, treeDiff, type TempStore } from '../helpers/store-state';

const canMkfifo = os.platform() !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/**
 * Runs `work`; if it has not settled after `ms`, opens the FIFO for writing
 * (which releases a reader blocked in open(2)) so a hang becomes a failure
 * instead of a stuck test worker.
 */
async function unlessHungOn<T>(fifo: string, work: Promise<T>, ms = 5000): Promise<{ hung: boolean; outcome: Promise<T> }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = await Promise.race([
    work.then(
      () => false,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ms);
    }),
  ]);
  clearTimeout(timer);
  if (hung) {
    const fh = await fs.open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await fh?.close();
  }
  return { hung, outcome: work };
}

/** A typed error that is not an internal one, naming `file`. */
function expectRefusalNaming(err: unknown, file: string): void {
  expect(err).toBeInstanceOf(SnapDeskError);
  expect((err as SnapDeskError).code).not.toBe('internal');
  expect((err as SnapDeskError).message).toContain(file);
}

describe('exporting a snapshot whose data directory holds more than regular files', () => {
  let ts: TempStore;
  let dataDir: string;
  let outDir: string;

  beforeEach(async () => {
    ts = await tempStore('snapdesk-hostile-export-');
    await seedSnapshots(ts.store, 1);
    dataDir = (await ts.store.inspect('seed-1')).data_dir;
    outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-export-out-'));
  });
  afterEach(async () => {
    await fs.rm(outDir, { recursive: true, force: true });
    await ts.cleanup();
  });

  const exportRefused = async (planted: string): Promise<void> => {
    const target = path.join(outDir, 'seed-1.tgz');
    const before = await captureTree(ts.root);
    const err = await refusal(ts.store.exportToFile('seed-1', target));
    expectRefusalNaming(err, planted);
    expect(await fs.readdir(outDir), 'a refused export left a file behind').toEqual([]);
    expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
  };

  it('a symlink to /etc/passwd is refused, not followed into the archive', async () => {
    await fs.symlink('/etc/passwd', path.join(dataDir, 'passwd'));
    await exportRefused('passwd');
  });

  it('a subdirectory is refused', async () => {
    await fs.mkdir(path.join(dataDir, 'nested'));
    await exportRefused('nested');
  });

  it('a data file named snapshot.json is refused (it would shadow the metadata)', async () => {
    await fs.writeFile(path.join(dataDir, 'snapshot.json'), '{"config":{"name":"evil"},"version":1}\n');
    await exportRefused('snapshot.json');
  });

  it.skipIf(!canMkfifo)('a FIFO is refused, not opened and waited on forever', async () => {
    const fifo = path.join(dataDir, 'pipe');
    mkfifo(fifo);
    const target = path.join(outDir, 'seed-1.tgz');
    const { hung, outcome } = await unlessHungOn(fifo, ts.store.exportToFile('seed-1', target));
    const err = await refusal(outcome);
    expect(hung, 'export blocked opening the FIFO (open(2) without O_NONBLOCK waits for a writer)').toBe(false);
    expectRefusalNaming(err, 'pipe');
    expect(await fs.readdir(outDir)).toEqual([]);
  });
});

describe('creating a snapshot from a directory that holds a FIFO', () => {
  let ts: TempStore;
  let src: string;

  beforeEach(async () => {
    ts = await tempStore('snapdesk-hostile-create-');
    src = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-create-src-'));
    await fs.writeFile(path.join(src, 'state.json'), '{}\n');
  });
  afterEach(async () => {
    await fs.rm(src, { recursive: true, force: true });
    await ts.cleanup();
  });

  it.skipIf(!canMkfifo)('is refused naming the FIFO, not hung, and leaves no snapshot', async () => {
    const fifo = path.join(src, 'pipe');
    mkfifo(fifo);
    const work = ts.store.create({ id: 'FIFOFIFOFIFOFIFOFIFOFIFOFI', name: 'fifo' }, packDataDir(src));
    const { hung, outcome } = await unlessHungOn(fifo, work);
    const err = await refusal(outcome);
    expect(hung, 'create blocked opening the FIFO').toBe(false);
    expectRefusalNaming(err, 'pipe');
    expect(await ts.store.list()).toEqual([]);
  });
});
